"""Supervision, spot checks, appraisals, probation reviews and competencies."""

from __future__ import annotations

import datetime as dt

import pytest

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.staff.services import StaffInput, record_leaver, update_staff
from provider_desk.areas.supervision.queries import (
    list_kinds,
    supervision_matrix,
    supervision_records,
)
from provider_desk.areas.supervision.rules import session_due
from provider_desk.areas.supervision.services import (
    AgreedAction,
    SupervisionInput,
    archive_supervision,
    record_supervision,
    save_kind,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.rules.due import Level
from tests.conftest import TODAY, kind_version, new_staff, role_id, version_of


def cell(db: Database, staff_id: int, kind: str) -> object:
    m = supervision_matrix(db, TODAY)
    row = next(r for r in m.rows if r.staff_id == staff_id)
    return row.cells[[k.kind for k in m.kinds].index(kind)]


def session(
    worker: int, boss: int, when: dt.date, kind: str = "supervision", **kw: object
) -> SupervisionInput:
    return SupervisionInput(worker, boss, kind, when, **kw)  # type: ignore[arg-type]


def due_on(held: list[dt.date], **kw: object) -> dt.date | None:
    start = dt.date(2026, 1, 10)
    return session_due(
        required=True,
        start_date=start,
        held=held,
        today=start,
        window_days=14,
        **kw,  # type: ignore[arg-type]
    ).due_on


def test_next_due_rules() -> None:
    start = dt.date(2026, 1, 10)
    assert due_on([], interval_months=3) == dt.date(2026, 4, 10)
    assert due_on([dt.date(2026, 3, 1)], interval_months=3) == dt.date(2026, 6, 1)
    probation = {"interval_months": None, "milestones_months": (1, 3, 6)}
    assert due_on([], **probation) == dt.date(2026, 2, 10)
    assert due_on([start] * 2, **probation) == dt.date(2026, 7, 10)
    assert due_on([start] * 3, **probation) is None
    assert due_on([], interval_months=3, override=dt.date(2026, 2, 1)) == dt.date(2026, 2, 1)


def test_status_rules() -> None:
    """Supervision's own cases; the due-soon boundaries are tested once, in test_due.py."""
    start, day = dt.date(2026, 1, 10), dt.timedelta(days=1)
    kw = {"start_date": start, "interval_months": 3, "window_days": 14}

    def level(required: bool, held: list[dt.date], today: dt.date, **more: object) -> Level:
        return session_due(required=required, held=held, today=today, **kw, **more).level  # type: ignore[arg-type]

    assert level(False, [], dt.date(2026, 5, 1)) is Level.NOT_REQUIRED
    # A newcomer's first session is due soon until its date, then never done (missing).
    assert level(True, [], dt.date(2026, 4, 10)) is Level.DUE_SOON
    assert level(True, [], dt.date(2026, 4, 10) + day) is Level.MISSING
    assert level(True, [dt.date(2026, 3, 1)], dt.date(2026, 6, 1) + day) is Level.OVERDUE
    assert level(True, [dt.date(2026, 3, 1)], dt.date(2026, 5, 1)) is Level.IN_DATE
    # Probation with every review done is complete: in date with nothing due.
    probation = session_due(
        required=True,
        start_date=start,
        held=[start] * 3,
        interval_months=None,
        milestones_months=(1, 3, 6),
        today=dt.date(2027, 1, 1),
        window_days=14,
    )
    assert (probation.level, probation.due_on) == (Level.IN_DATE, None)


def test_kinds_are_seeded_with_templates_and_role_intervals(db: Database) -> None:
    kinds = {k.kind: k for k in list_kinds(db)}
    assert kinds["supervision"].interval_months == 3
    # NICE QS123 statement 6: practice-based (observed) supervision at least every 3 months.
    assert kinds["spot check"].interval_months == 3
    assert kinds["supervision"].sections[0] == "Wellbeing and workload"
    assert kinds["probation"].milestones_months == (1, 3, 6)
    assert kinds["competency"].interval_for(role_id(db, "Care worker")) == (True, 12)
    assert kinds["competency"].interval_for(role_id(db, "Administrative")) == (False, None)


def test_record_with_actions_and_matrix(db: Database) -> None:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    assert cell(db, amy, "supervision").status == Level.MISSING
    record_supervision(
        db,
        session(
            amy,
            boss,
            dt.date(2026, 10, 1),
            location="Office",
            sections=(("Wellbeing and workload", "Feeling settled"),),
            actions=(AgreedAction("Book dementia training", boss, dt.date(2026, 12, 1)),),
        ),
        today=TODAY,
    )
    c = cell(db, amy, "supervision")
    assert (c.status, c.last_done, c.next_due) == (
        Level.IN_DATE,
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
    )
    (action,) = list_actions(db, TODAY)
    assert (action.source, action.description) == ("supervision", "Book dementia training")
    assert "Amy Smith" in action.source_ref
    (rec,) = supervision_records(db, staff_id=amy)
    assert rec.sections == (("Wellbeing and workload", "Feeling settled"),)
    assert rec.supervisor == "Joanna Whitfield" and rec.kind_name == "One-to-one supervision"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"supervisor_id": "self"}, "supervisor_id", "cannot be the worker"),
        ({"held_on": dt.date(2024, 12, 1)}, "held_on", "before Amy's start date"),
        ({"held_on": TODAY + dt.timedelta(days=1)}, "held_on", "in the future"),
        (
            {"worker_ack_on": dt.date(2026, 9, 30), "worker_ack_name": "Amy"},
            "worker_ack_on",
            "before the session",
        ),
        ({"worker_ack_on": dt.date(2026, 10, 2)}, "worker_ack_name", "name of who acknowledged"),
        ({"kind": "spot check"}, "outcome", "needs an outcome"),
        ({"next_due": dt.date(2026, 9, 1)}, "next_due", "after the session"),
        ({"actions": (AgreedAction("Do it", None, None),)}, "actions", "Action 1: Every action"),
    ],
)
def test_bad_sessions_are_refused(
    db: Database, change: dict[str, object], field: str, words: str
) -> None:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    values: dict[str, object] = {"held_on": dt.date(2026, 10, 1)} | change
    if values.get("supervisor_id") == "self":
        values["supervisor_id"] = amy
    data = SupervisionInput(
        amy,
        values.pop("supervisor_id", boss),  # type: ignore[arg-type]
        values.pop("kind", "supervision"),
        **values,
    )  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        record_supervision(db, data, today=TODAY)
    assert any(p.field == field and words in p.message for p in info.value.problems), (
        info.value.problems
    )
    assert supervision_records(db) == [] and list_actions(db, TODAY) == []


def test_after_leaving_is_refused_and_leavers_drop_out(db: Database) -> None:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    record_leaver(
        db,
        amy,
        dt.date(2026, 9, 1),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", amy),
    )
    with pytest.raises(ValidationError) as info:
        record_supervision(db, session(amy, boss, dt.date(2026, 10, 1)), today=TODAY)
    assert "left on 1 Sep 2026" in info.value.message
    assert [r.name for r in supervision_matrix(db, TODAY).rows] == ["Joanna Whitfield"]


def test_on_leave_is_flagged(db: Database) -> None:
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    update_staff(
        db,
        amy,
        StaffInput("Amy", "Smith", role_id(db), dt.date(2025, 1, 6), status="on leave"),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", amy),
    )
    assert supervision_matrix(db, TODAY).rows[0].on_leave


def test_probation_milestones_and_competency_by_role(db: Database) -> None:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    new = new_staff(db, "Cara", "New", start_date=dt.date(2026, 8, 3))
    admin = new_staff(
        db,
        "Ola",
        "Office",
        job_role_id=role_id(db, "Administrative"),
        start_date=dt.date(2026, 8, 3),
    )
    c = cell(db, new, "probation")
    assert (c.status, c.next_due) == (Level.MISSING, dt.date(2026, 9, 3))
    record_supervision(
        db,
        session(new, boss, dt.date(2026, 9, 4), "probation", outcome="satisfactory"),
        today=TODAY,
    )
    c = cell(db, new, "probation")
    assert (c.status, c.next_due) == (Level.OVERDUE, dt.date(2026, 11, 3))
    assert cell(db, admin, "competency").status == Level.NOT_REQUIRED
    assert cell(db, new, "competency").next_due == dt.date(2027, 8, 3)


def test_intervals_and_templates_are_settings_past_records_keep_sections(db: Database) -> None:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    record_supervision(
        db,
        session(amy, boss, dt.date(2026, 10, 1), sections=(("Wellbeing and workload", "Fine"),)),
        today=TODAY,
    )
    save_kind(
        db,
        "supervision",
        name="Supervision",
        interval_months=2,
        sections=["How are you?", "Practice"],
        role_intervals={role_id(db, "Care worker"): 1},
        expected_version=kind_version(db, "supervision"),
    )
    assert cell(db, amy, "supervision").next_due == dt.date(2026, 11, 1)  # role: monthly
    assert cell(db, amy, "supervision").status == Level.OVERDUE
    assert list_kinds(db)[0].sections == ("How are you?", "Practice")
    assert supervision_records(db)[0].sections == (("Wellbeing and workload", "Fine"),)
    with pytest.raises(ValidationError):
        save_kind(
            db,
            "supervision",
            name="Supervision",
            interval_months=2,
            sections=[" "],
            expected_version=kind_version(db, "supervision"),
        )


def test_next_due_override_and_archive(db: Database) -> None:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    record_supervision(
        db, session(amy, boss, dt.date(2026, 10, 1), next_due=dt.date(2026, 11, 15)), today=TODAY
    )
    assert cell(db, amy, "supervision").status == Level.OVERDUE
    archive_supervision(
        db,
        supervision_records(db)[0].id,
        expected_version=version_of(db, "SupervisionRecord", supervision_records(db)[0].id),
    )
    assert cell(db, amy, "supervision").status == Level.MISSING
