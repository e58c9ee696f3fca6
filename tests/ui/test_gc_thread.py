"""Garbage is collected on the GUI thread only (a worker collecting Qt objects can crash)."""

from __future__ import annotations

import gc
import weakref

from pytestqt.qtbot import QtBot

from ui import gc_thread


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_automatic_collection_is_off_and_the_gui_thread_collects(qtbot: QtBot) -> None:
    collector = gc_thread.install()
    assert collector is not None and gc_thread.install() is collector  # once per application
    assert not gc.isenabled()
    node = _Node()
    ref = weakref.ref(node)
    del node
    for _ in range(collector.threshold[0] + 10):  # past the young generation's threshold
        _Node()
    qtbot.wait(3 * gc_thread.INTERVAL_MS)  # the timer's turn on the GUI thread
    assert ref() is None
