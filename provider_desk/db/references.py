"""One generator of reference numbers, safe when two PCs create records at the same moment.

Each series (``complaint-2026``, ``audit-2026``, ``person``) is one row of ``reference_counter``,
incremented with ``UPDATE ... SET value = value + 1 ... RETURNING value`` inside the transaction
that creates the record. On PostgreSQL the update locks the row until that transaction ends, so a
second PC waits and then gets the next number; on SQLite the write session already holds the
database's write lock (``BEGIN IMMEDIATE``). If the record is not saved, its number is not used
either (the increment rolls back with it).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from provider_desk.models.counter import ReferenceCounter


def next_number(s: Session, series: str) -> int:
    """The next number in ``series`` (1 for a new series), taken inside ``s``'s transaction."""
    bump = (
        update(ReferenceCounter)
        .where(ReferenceCounter.name == series)
        .values(value=ReferenceCounter.value + 1)
        .returning(ReferenceCounter.value)
    )
    value = s.execute(bump).scalar()
    if value is not None:
        return int(value)
    # A new series: create it at 0 without failing if another PC creates it at the same moment,
    # then take the next number as usual.
    _ensure(s, series)
    value = s.execute(bump).scalar()
    assert value is not None
    return int(value)


def next_free(
    s: Session, series: str, make: Callable[[int], str], used: Callable[[str], bool]
) -> str:
    """The next reference ``make(n)`` in ``series`` that no record holds yet.

    A reference typed in by hand or imported from an older log may already hold a number the
    counter has not reached: those are skipped.
    """
    while True:
        reference = make(next_number(s, series))
        if not used(reference):
            return reference


def note_used(s: Session, series: str, number: int) -> None:
    """A record took ``number`` of ``series`` by hand (a reference typed in or imported): numbers
    given out from now on come after it, so references keep going up and never fill a gap."""
    _ensure(s, series)
    s.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.name == series, ReferenceCounter.value < number)
        .values(value=number)
    )


def _ensure(s: Session, series: str) -> None:
    """Create ``series`` at 0 unless it exists (another PC may be creating it at this moment)."""
    dialect = s.get_bind().dialect.name
    row = {"name": series, "value": 0}
    if dialect == "postgresql":
        s.execute(postgresql.insert(ReferenceCounter).values(row).on_conflict_do_nothing())
    elif dialect == "sqlite":
        s.execute(sqlite.insert(ReferenceCounter).values(row).on_conflict_do_nothing())
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        s.execute(insert(ReferenceCounter).values(row))
