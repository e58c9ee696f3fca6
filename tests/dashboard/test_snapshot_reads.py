"""The dashboard's cheaper reads give what the whole reads gave: care plans read as the columns a
person's row needs; people, risk assessments, staff and actions read as plain rows of columns
(not ORM objects); staff, actions, complaints, people and the matrices read once per snapshot."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.queries import list_actions_in
from provider_desk.areas.complaints.queries import list_complaints_in
from provider_desk.areas.opening import open_database
from provider_desk.areas.people import rules
from provider_desk.areas.people.models import CarePlan, Person, RiskAssessment
from provider_desk.areas.people.queries import (
    list_people_in,
    people_details_in,
    person_detail_in,
    risk_assessments_in,
)
from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.areas.supervision.queries import supervision_matrix_in
from provider_desk.areas.training.queries import training_matrix_in
from provider_desk.db.session import Database, core_rows
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


def _fields(obj: object, names: str) -> tuple[object, ...]:
    """The values of the space-separated attributes ``names`` of ``obj``, in order."""
    return tuple(getattr(obj, n) for n in names.split())


def test_plain_rows_carry_what_the_whole_records_hold(demo_db: Database) -> None:
    person_fields = (
        "reference first_name last_name preferred_name date_of_birth start_date end_date "
        "postcode funding service_type status key_worker_id version"
    )
    detail_fields = (
        "address next_of_kin power_of_attorney notes reablement_start_hours reablement_end_hours"
    )
    risk_fields = (
        "person_id kind hazard controls likelihood severity assessed_on review_due "
        "assessed_by_id version"
    )
    staff_fields = (
        "first_name last_name preferred_name team job_role_id contract_type status start_date "
        "leaving_date line_manager_id notes version"
    )
    action_fields = (
        "description source source_ref owner_id raised_on due_on completed_on "
        "completion_evidence version audit_run_id"
    )

    def read(s: Session) -> None:
        people = {p.id: p for p in s.scalars(select(Person))}
        details = people_details_in(s, TODAY)
        assert len(details) == len(people) > 10
        assert any(d.address for d in details) and any(d.row.nhs_number for d in details)
        for d in details:
            p, r = people[d.row.id], d.row
            assert _fields(r, person_fields) == _fields(p, person_fields)
            assert r.nhs_number == rules.format_nhs_number(p.nhs_number)
            assert r.archived == (p.archived_at is not None)
            assert _fields(d, detail_fields) == _fields(p, detail_fields)
        one = person_detail_in(s, details[-1].row.id, TODAY)
        assert one == details[-1]
        assert person_detail_in(s, max(people) + 1, TODAY) is None

        risks = {r.id: r for r in s.scalars(select(RiskAssessment))}
        rows = risk_assessments_in(s, TODAY)
        assert rows and [r.review_due for r in rows] == sorted(r.review_due for r in rows)
        for row in rows:
            r = risks[row.id]
            assert r.archived_at is None and people[r.person_id].archived_at is None
            assert _fields(row, risk_fields) == _fields(r, risk_fields)
            assert row.person_reference == people[r.person_id].reference

        staff = {m.id: m for m in s.scalars(select(StaffMember))}
        register = list_staff_in(s, include_left=True)
        assert len(register) == len(staff)
        for row in register:
            m = staff[row.id]
            assert _fields(row, staff_fields) == _fields(m, staff_fields)
            assert row.asc_wds_worker_id == (m.asc_wds_worker_id or "")

        actions = {a.id: a for a in s.scalars(select(Action))}
        plan = list_actions_in(s, TODAY)
        assert plan
        for row in plan:
            assert _fields(row, action_fields) == _fields(actions[row.id], action_fields)

    demo_db.read(read)


def test_core_rows_sees_what_the_session_has_not_saved_yet(db: Database) -> None:
    new_staff(db, "Amy", "Smith")
    with db.session() as s:
        role = s.scalars(select(StaffMember.job_role_id)).one()
        s.add(StaffMember(first_name="Ben", last_name="Jones", job_role_id=role, start_date=TODAY))
        found = core_rows(
            s, select(StaffMember.first_name, StaffMember.start_date, StaffMember.created_at)
        ).all()
        assert sorted(name for name, _, _ in found) == ["Amy", "Ben"]  # flushed first
        assert all(isinstance(day, dt.date) for _, day, _ in found)
        assert all(at.tzinfo is not None for _, _, at in found)  # the UTC type still applies
        with s.no_autoflush:
            s.add(StaffMember(first_name="Cy", last_name="Ng", job_role_id=role, start_date=TODAY))
            names = {n for (n,) in core_rows(s, select(StaffMember.first_name))}
            assert "Cy" not in names  # as s.execute: no flush when autoflush is off
        s.rollback()


def test_a_read_snapshot_reads_people_and_the_matrices_once(demo_db: Database) -> None:
    def read(s: Session) -> None:
        first = (
            list_people_in(s, TODAY),
            training_matrix_in(s, TODAY),
            supervision_matrix_in(s, TODAY),
        )
        statements.clear()
        people, training, supervision = (
            list_people_in(s, TODAY),
            training_matrix_in(s, TODAY),
            supervision_matrix_in(s, TODAY),
        )
        assert statements == []
        assert people == first[0] and people is not first[0]  # each caller its own list
        assert training is first[1] and supervision is first[2]  # frozen: shared
        training_matrix_in(s, TODAY + dt.timedelta(days=1))  # another day, read anew
        assert statements

    statements = _counting(demo_db)
    demo_db.read(read)
    with demo_db.session() as s:  # a write session reads every time
        statements.clear()
        list_people_in(s, TODAY)
        training_matrix_in(s, TODAY)
        count = len(statements)
        list_people_in(s, TODAY)
        training_matrix_in(s, TODAY)
        assert len(statements) == 2 * count
        s.rollback()
