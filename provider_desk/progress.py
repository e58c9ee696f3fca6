"""A tiny Qt-free progress protocol: long work reports (done, total, what) and may be cancelled."""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


class Progress(Protocol):
    """Called now and then by long work. Return False to cancel."""

    def __call__(self, done: int, total: int, what: str) -> bool: ...


def no_progress(done: int, total: int, what: str) -> bool:
    """The default: nobody is watching, never cancel."""
    return True
