"""Reading the change log: filters by record (with its parts), user, period and area; old -> new
values in words; records described; newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from provider_desk.areas.complaints.services import ComplaintInput, save_complaint
from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.models import RecruitmentCheck, StaffMember
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.history.queries import (
    HistoryFilter,
    RecordRef,
    find_records_in,
    history,
    record_ref_in,
    users_in,
)
from provider_desk.history.records import change_areas, readable
from tests.conftest import TODAY, new_staff


def _at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The test database, created (with its reference data) on 17 Nov 2026; the tests only
    read it, so the module shares one."""
    path = tmp_path_factory.mktemp("history") / "test.sqlite3"
    with time_machine.travel(_at(17), tick=False):
        database, _ = open_database(str(path), user="test.manager", create=True)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def story(db: Database) -> Iterator[dict[str, int]]:
    """Jane Smith added on 18 Nov by test.manager; her name and a check changed on 20 Nov by
    omar; a complaint logged on 22 Nov by omar."""
    omar = Database(db.url, user="omar.coordinator")
    with time_machine.travel(_at(18), tick=False):
        jane = new_staff(db, "Jane", "Smith")
        bob = new_staff(db, "Bob", "Jones")
    with time_machine.travel(_at(20), tick=False), omar.session() as s:
        member = s.get(StaffMember, jane)
        assert member is not None
        member.last_name = "Smith-Jones"
        check = s.query(RecruitmentCheck).filter_by(staff_id=jane, kind="dbs").one()
        check.status = "done"
        check.checked_on = dt.date(2026, 11, 19)
        check.reference = "001234567890"
    with time_machine.travel(_at(22), tick=False):
        changes = save_complaint(
            omar,
            ComplaintInput(
                dt.date(2026, 11, 21), "Mrs Brown", "Late visit", staff_concerned_id=jane
            ),
            today=TODAY,
            expected_version=None,
        )
    omar.dispose()
    yield {"jane": jane, "bob": bob, "complaint": changes.ids[0]}


def test_newest_first_with_fields_in_words(db: Database, story: dict[str, int]) -> None:
    page = history(db, HistoryFilter(start=dt.date(2026, 11, 18)), TODAY)
    ids = [e.id for e in page.entries]
    assert ids == sorted(ids, reverse=True) and page.total == len(ids) and not page.more
    complaint = next(e for e in page.entries if e.table == "complaint")
    assert complaint.kind == "Complaint" and complaint.record.startswith("Complaint ")
    assert complaint.action_label == "Added" and complaint.who == "omar.coordinator"
    # The staff member concerned is named, not given as an id; the id field itself is left out.
    staff = next(c for c in complaint.changes if c.field == "staff_concerned_id")
    assert (staff.label, staff.old, staff.new) == ("Staff concerned", "—", "Jane Smith-Jones")
    assert "id" not in [c.field for c in complaint.changes]
    assert complaint.when.startswith("22 Nov 2026")


def test_one_record_with_its_parts_and_without(db: Database, story: dict[str, int]) -> None:
    jane = RecordRef("staff_member", story["jane"])
    page = history(db, HistoryFilter(record=jane), TODAY)
    tables = {e.table for e in page.entries}
    assert tables == {"staff_member", "recruitment_check"}  # her file and its checks
    assert all("Smith-Jones" in e.record for e in page.entries)
    rename = next(e for e in page.entries if e.table == "staff_member" and e.action == "update")
    assert [c.text() for c in rename.changes] == ["Last name: Smith → Smith-Jones"]
    assert rename.summary == "Last name: Smith → Smith-Jones"
    dbs = next(e for e in page.entries if e.table == "recruitment_check" and e.action == "update")
    assert dbs.record == "Jane Smith-Jones — Enhanced DBS check" or dbs.record.startswith(
        "Jane Smith-Jones — "
    )
    checked = {c.label: (c.old, c.new) for c in dbs.changes}
    assert checked["Checked on"] == ("—", "19 Nov 2026")
    assert checked["Reference / certificate number"] == ("—", "001234567890")
    alone = history(db, HistoryFilter(record=jane, with_parts=False), TODAY)
    assert {e.table for e in alone.entries} == {"staff_member"} and alone.total == 2
    # Bob's history has none of Jane's entries.
    bob = history(db, HistoryFilter(record=RecordRef("staff_member", story["bob"])), TODAY)
    assert bob.total > 0 and all("Bob Jones" in e.record for e in bob.entries)


def test_by_user_period_and_area(db: Database, story: dict[str, int]) -> None:
    by_omar = history(db, HistoryFilter(who="omar.coordinator"), TODAY)
    assert by_omar.total == len(by_omar.entries)
    assert {e.who for e in by_omar.entries} == {"omar.coordinator"}
    assert {e.table for e in by_omar.entries} >= {"staff_member", "recruitment_check", "complaint"}
    on_20th = history(
        db, HistoryFilter(start=dt.date(2026, 11, 20), end=dt.date(2026, 11, 20)), TODAY
    )
    assert {e.when[:11] for e in on_20th.entries} == {"20 Nov 2026"}
    assert on_20th.total == 2  # the rename and the check
    since_21st = history(db, HistoryFilter(start=dt.date(2026, 11, 21)), TODAY)
    assert {e.table for e in since_21st.entries} <= {"complaint", "complaint_event", "action"}
    before_19th = history(db, HistoryFilter(end=dt.date(2026, 11, 18)), TODAY)
    assert {e.who for e in before_19th.entries} == {"test.manager"}
    complaints = history(db, HistoryFilter(area="complaints"), TODAY)
    assert complaints.total >= 1
    assert {e.table for e in complaints.entries} <= {
        "complaint",
        "complaint_event",
        "letter_template",
    }
    assert "complaint" in {e.table for e in complaints.entries}
    assert users_in_db(db) == ["omar.coordinator", "test.manager"]


def users_in_db(db: Database) -> list[str]:
    return [u for u in db.read(users_in) if u in ("omar.coordinator", "test.manager")]


def test_paging_is_stable(db: Database, story: dict[str, int]) -> None:
    everything = history(db, HistoryFilter(), TODAY)
    first = history(db, HistoryFilter(), TODAY, limit=5)
    assert first.more and len(first.entries) == 5 and first.total == everything.total
    second = history(db, HistoryFilter(), TODAY, limit=5, before_id=first.oldest_id)
    assert [e.id for e in first.entries + second.entries] == [e.id for e in everything.entries[:10]]


def test_a_period_that_cannot_hold_entries_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="swap the dates"):
        history(db, HistoryFilter(start=dt.date(2026, 11, 20), end=dt.date(2026, 11, 1)), TODAY)
    with pytest.raises(ValidationError, match="after today"):
        history(db, HistoryFilter(start=TODAY + dt.timedelta(days=1)), TODAY)


def test_record_search_and_reference(db: Database, story: dict[str, int]) -> None:
    found = db.read(lambda s: find_records_in(s, "smith jane"))
    assert [r.description for r in found] == ["Jane Smith-Jones"]
    complaint = db.read(lambda s: record_ref_in(s, "complaint", story["complaint"]))
    assert complaint.description.startswith("Complaint ")
    by_ref = db.read(lambda s: find_records_in(s, complaint.description.split()[-1]))
    assert complaint in by_ref


def test_readable_fallback_and_areas() -> None:
    assert readable("line_manager_id") == "Line manager"
    assert readable("completed_on") == "Completed on"
    assert change_areas(["recruitment_check", "training_record"]) == {
        "staff",
        "checks",
        "training",
    }


def test_structured_text_and_roles_read_as_words_not_json() -> None:
    from provider_desk.history.queries import _value

    sections = '{"communication": {"needs": "Speaks Polish", "support": ""}, "eating": {}}'
    shown = _value("care_plan", "sections", sections, {}, {})
    assert shown == "Communication: Needs: Speaks Polish"
    assert _value("user_account", "role", "field_supervisor", {}, {}) == "Field supervisor"
    assert _value("care_plan", "visits", '[{"day": "Mon", "at": "08:00"}]', {}, {}) == (
        "Day: Mon; At: 08:00"
    )
    assert _value("complaint", "summary", "{not json", {}, {}) == "{not json"
