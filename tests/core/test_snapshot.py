"""A page or report that reads several things reads them from one snapshot."""

from __future__ import annotations

from pathlib import Path

from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.queries import list_staff, list_staff_in, staff_counts_in
from provider_desk.db.session import Database
from tests.conftest import new_staff


def test_a_reading_session_sees_one_snapshot_while_another_window_saves(
    db: Database, db_path: Path
) -> None:
    other, _ = open_database(str(db_path), user="second.window", create=True)
    new_staff(db, "Amy", "Smith")
    with db.reading() as s:
        before = [r.full_name for r in list_staff_in(s)]
        counts = staff_counts_in(s)
        new_staff(other, "Bob", "Jones")  # committed meanwhile
        assert [r.full_name for r in list_staff_in(s)] == before
        assert staff_counts_in(s) == counts
    assert len(list_staff(db)) == len(before) + 1
    other.dispose()
