"""The dashboard's cheaper reads give what the whole reads gave: care plans read as the columns a
person's row needs, and staff, actions and complaints listed once per read snapshot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.queries import list_actions_in
from provider_desk.areas.complaints.queries import list_complaints_in
from provider_desk.areas.opening import open_database
from provider_desk.areas.people import rules
from provider_desk.areas.people.models import CarePlan
from provider_desk.areas.people.queries import list_people_in
from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.db.session import Database
from provider_desk.demo import generate
from tests.conftest import TODAY, new_staff


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The small demo provider (only read here)."""
    path: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db, _ = open_database(str(path), user="test.manager", create=True)
    generate(db, today=TODAY, size="small", seed=5)
    yield db
    db.dispose()


def test_people_rows_show_the_current_plan_as_whole_versions_did(demo_db: Database) -> None:
    def read(s: Session) -> None:
        current: dict[int, CarePlan] = {}
        for version in s.scalars(select(CarePlan).order_by(CarePlan.number)):
            current[version.person_id] = version  # whole versions, as the query read them
        rows = list_people_in(s, TODAY, include_ended=True)
        assert sum(r.plan_number is not None for r in rows) > 10  # the demo has plans
        assert any(r.plan_number and r.plan_number > 1 for r in rows)  # and later versions
        for row in rows:
            plan = current.get(row.id)
            if plan is None:
                assert (row.plan_number, row.plan_from, row.planned_hours) == (None, None, None)
                assert not row.consent_recorded
                continue
            visits = tuple(
                rules.Visit(tuple(v["days"]), v["time"], int(v["minutes"]), int(v.get("carers", 1)))
                for v in json.loads(plan.visits or "[]")
            )
            assert row.plan_number == plan.number
            assert row.plan_from == plan.effective_from
            assert row.planned_hours == rules.planned_hours(visits)
            assert row.consent_recorded == bool(plan.consent_by and plan.consent_on)
            if plan.review_due is not None and row.status != "ended":
                assert row.review_due == plan.review_due  # a date set by hand wins

    demo_db.read(read)


def _counting(db: Database) -> list[str]:
    statements: list[str] = []
    event.listen(
        db.engine, "before_cursor_execute", lambda *a: statements.append(str(a[2])), named=False
    )
    return statements


def test_a_read_snapshot_lists_staff_actions_and_complaints_once(demo_db: Database) -> None:
    def read(s: Session) -> None:
        first = (list_staff_in(s), list_actions_in(s, TODAY), list_complaints_in(s, TODAY))
        statements.clear()
        again = (list_staff_in(s), list_actions_in(s, TODAY), list_complaints_in(s, TODAY))
        assert statements == []  # nothing read again
        assert again == first and all(a is not b for a, b in zip(again, first, strict=True))
        again[0].clear()  # a caller's list is its own
        assert list_staff_in(s) == first[0]
        assert list_staff_in(s, include_left=True) != first[0]  # another question, read anew
        assert statements

    statements = _counting(demo_db)
    demo_db.read(read)
    with demo_db.reading() as s:  # a new snapshot reads again
        statements.clear()
        list_staff_in(s)
        assert statements


def test_a_write_session_lists_what_it_has_written(db: Database) -> None:
    new_staff(db, "Amy", "Smith")
    with db.session() as s:
        before = list_staff_in(s)
        s.add(
            StaffMember(
                first_name="Ben",
                last_name="Jones",
                job_role_id=before[0].job_role_id,
                start_date=TODAY,
            )
        )
        s.flush()
        assert [r.first_name for r in list_staff_in(s)] == ["Ben", "Amy"]
        s.rollback()
