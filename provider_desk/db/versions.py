"""The one check that a save is based on the version of the record the user opened.

Every service that changes an existing record takes ``expected_version`` (the ``version`` of the
frozen row the form was opened from) and calls :func:`check_version` before changing anything.
A stale save is refused with who changed the record and when, so nothing is silently overwritten.

On PostgreSQL the row is re-read with ``SELECT ... FOR UPDATE``: the check sees the latest
committed version and no other PC can change the row until this transaction ends. On SQLite a write
session already holds the database's write lock from its first statement (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from provider_desk import clock
from provider_desk.errors import ConflictError

RELOAD_ADVICE = (
    "Nothing was saved. What you typed is still in the form: copy anything you need, close it "
    "and open the record again."
)


def changed_by_message(
    name: str, when: dt.datetime | None, *, now: dt.datetime | None = None
) -> str:
    """ "Changed by NAME at HH:MM — reload to see their changes." in this PC's local time.

    The date is added ("on 2 Dec 2026") when the change was not made on the same local day as
    ``now`` (default: this PC's clock).
    """
    who = name or "someone else"
    if when is None:
        return f"Changed by {who} — reload to see their changes."
    local_now = (now or clock.local_now()).astimezone()
    local = when.astimezone(local_now.tzinfo)
    text = f"Changed by {who} at {local:%H:%M}"
    if local.date() != local_now.date():
        text += f" on {local.day} {local:%b %Y}"
    return text + " — reload to see their changes."


def conflict(row: Any, *, now: dt.datetime | None = None) -> ConflictError:
    """The refusal for a stale save of ``row`` (a Tracked row as it is now in the database)."""
    return ConflictError(changed_by_message(row.updated_by, row.updated_at, now=now), RELOAD_ADVICE)


def check_version(
    row: Any, expected_version: int | None, *, now: dt.datetime | None = None
) -> None:
    """Refuse to change ``row`` unless it is still at ``expected_version`` (what the user opened).

    Call it straight after loading the row and before changing it.

    Raises:
        ConflictError: someone saved the record since; the message names them and when.
        TypeError: a caller did not say which version it opened (a bug, never the user's fault).
    """
    if expected_version is None or isinstance(expected_version, bool):
        raise TypeError(
            f"changing an existing {type(row).__name__} needs the version the user opened "
            "(expected_version)"
        )
    state = inspect(row)
    session = state.session
    if (
        session is not None
        and state.persistent
        and session.get_bind().dialect.name != "sqlite"
        and not session.is_modified(row)
    ):
        # Lock the row and read its latest committed version (another PC may have just saved).
        session.refresh(row, with_for_update=True)
    if row.version != expected_version:
        raise conflict(row, now=now)


def current_version(s: Session, model: type[Any], row_id: int) -> int:
    """The version of a row as this transaction sees it, for writers that read and change a
    record in one transaction (importers, the demo builder): nobody can change it in between."""
    row = s.get(model, row_id)
    if row is None:
        raise LookupError(f"no {model.__name__} {row_id}")
    return int(row.version)


def touch(row: Any) -> None:
    """Count a change made through ``row``'s child rows (a course's required roles, a kind's
    per-role intervals) as a change of ``row`` itself: its version goes up and who/when are
    stamped, so a form opened before the change is refused rather than undoing it."""
    flag_modified(row, "updated_by")
