"""Every area's reader against a database built by hand: attention() lists exactly what needs the
manager's action on the day, and evidence() what each kind of record holds in a period."""

from __future__ import annotations

import datetime as dt

import pytest

from provider_desk.areas.actions.reader import ActionsReader
from provider_desk.areas.actions.services import ActionInput, raise_action
from provider_desk.areas.audits.reader import AuditsReader
from provider_desk.areas.complaints.reader import ComplaintsReader
from provider_desk.areas.complaints.services import (
    ComplaintInput,
    ComplimentInput,
    save_complaint,
    save_compliment,
)
from provider_desk.areas.people import rules as people_rules
from provider_desk.areas.people.reader import PeopleReader
from provider_desk.areas.people.services import (
    CarePlanInput,
    PersonInput,
    ReviewInput,
    record_review,
    save_care_plan,
    save_person,
)
from provider_desk.areas.staff.reader import StaffReader
from provider_desk.areas.staff.services import CheckInput, record_check
from provider_desk.areas.supervision.reader import SupervisionReader
from provider_desk.areas.supervision.services import SupervisionInput, record_supervision
from provider_desk.areas.training.queries import list_courses
from provider_desk.areas.training.reader import TrainingReader
from provider_desk.areas.training.services import TrainingInput, record_training
from provider_desk.db.session import Database
from provider_desk.reading import (
    AreaReader,
    Attention,
    Evidence,
    Period,
    by_statement,
    on_in,
    urgency,
)
from provider_desk.resources import check_kinds
from provider_desk.rules.due import Level
from tests.conftest import TODAY, check_version_of, new_staff, settings_version

YEAR = Period(dt.date(2025, 11, 24), TODAY)


def _read(
    db: Database, reader: AreaReader, period: Period = YEAR
) -> tuple[list[Attention], list[Evidence]]:
    with db.reading() as s:
        on = on_in(s, TODAY)
        return reader.attention(s, on), reader.evidence(s, on, period)


def _course(db: Database, name: str) -> int:
    return next(c.id for c in list_courses(db) if c.name == name)


def test_staff_reader_lists_files_with_checks_missing_or_unverified(db: Database) -> None:
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2026, 10, 5))
    bob = new_staff(db, "Bob", "Jones")

    def dbs(status: str, on: dt.date) -> CheckInput:
        return CheckInput(status, on, "001234567890", "", dt.date(2026, 2, 20), True)

    for kind in check_kinds():
        check = dbs("verified", dt.date(2026, 3, 2)) if kind.kind == "dbs" else None
        record_check(
            db,
            bob,
            kind.kind,
            check or CheckInput("verified", dt.date(2026, 3, 2)),
            today=TODAY,
            expected_version=check_version_of(db, bob, kind.kind),
        )
    record_check(
        db,
        amy,
        "dbs",
        dbs("received", dt.date(2026, 10, 1)),
        today=TODAY,
        expected_version=check_version_of(db, amy, "dbs"),
    )
    attention, evidence = _read(db, StaffReader())
    (item,) = attention
    assert item.area == "staff" and item.record_id == amy and item.level is Level.MISSING
    assert item.due_on == dt.date(2026, 10, 5)  # checks are due before someone starts work
    assert item.sentence.startswith(
        "Recruitment checks missing: Proof of identity with a recent photograph, Conduct in"
    )
    assert "Enhanced DBS" not in item.sentence.split(";")[0]
    assert item.sentence.endswith(
        "; received but not verified: Enhanced DBS with barred list (adults)."
    )
    assert "safe-6" in item.statements
    (held,) = evidence
    assert held.kind == "recruitment_checks" and held.count == len(check_kinds())
    assert held.last_on == dt.date(2026, 3, 2) and held.references == ("Bob Jones",)
    assert held.regulations == ("19",)


def test_training_reader_lists_expired_missing_and_due_soon_required_courses(
    db: Database,
) -> None:
    amy = new_staff(db, "Amy", "Smith")
    fire = _course(db, "Fire safety")
    record_training(db, amy, TrainingInput(fire, dt.date(2025, 10, 1)), today=TODAY)
    safeguarding = _course(db, "Safeguarding adults")
    record_training(db, amy, TrainingInput(safeguarding, dt.date(2026, 6, 1)), today=TODAY)
    attention, evidence = _read(db, TrainingReader())
    by_course = {a.reference.split(": ")[1]: a for a in attention}
    assert by_course["Fire safety"].level is Level.OVERDUE
    assert by_course["Fire safety"].sentence == "Fire safety expired on 30 Sep 2026."
    assert by_course["Moving and handling people"].level is Level.MISSING
    assert "Safeguarding adults" not in by_course  # in date
    assert all(a.record_id == amy for a in attention)
    assert "safe-5" in by_course["Fire safety"].statements
    titles = {e.title: e for e in evidence}
    assert set(titles) == {"Training completed: Safeguarding adults"}  # fire was before the year
    assert titles["Training completed: Safeguarding adults"].statements == ("safe-6", "safe-3")
    assert titles["Training completed: Safeguarding adults"].references == ("Amy Smith",)


def test_supervision_reader_lists_sessions_due_and_counts_sessions_held(db: Database) -> None:
    boss = new_staff(db, "Rita", "Boss")
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2026, 1, 5), line_manager_id=boss)
    record_supervision(
        db, SupervisionInput(amy, boss, "supervision", dt.date(2026, 4, 1)), today=TODAY
    )
    attention, evidence = _read(db, SupervisionReader())
    amy_items = {a.reference: a for a in attention if a.record_id == amy}
    item = amy_items["Amy Smith: One-to-one supervision"]
    assert item.level is Level.OVERDUE and item.due_on == dt.date(2026, 7, 1)
    assert item.sentence == "One-to-one supervision overdue since 1 Jul 2026."
    assert item.responsible == "Rita Boss"
    (held,) = [e for e in evidence if e.title == "Held: One-to-one supervision"]
    assert held.count == 1 and held.statements == ("safe-6", "caring-5")


def test_people_reader_lists_plans_reviews_consent_and_risks(db: Database) -> None:
    worker = new_staff(db, "Kim", "Keyworker")
    no_plan = save_person(
        db,
        None,
        PersonInput("Mary", "Brown", dt.date(2026, 11, 2), key_worker_id=worker),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    start = dt.date(2026, 6, 1)
    pid = save_person(
        db, None, PersonInput("Emily", "Baker", start), today=TODAY, expected_version=None
    ).ids[0]
    save_care_plan(
        db,
        pid,
        CarePlanInput(start, sections={"personal care": {"needs": "Help to shower"}}),
        today=TODAY,
    )
    attention, evidence = _read(db, PeopleReader())
    by_person = {(a.record_id, a.sentence) for a in attention}
    assert (no_plan, "No current care plan.") in by_person
    review_due = start + dt.timedelta(weeks=people_rules.FIRST_REVIEW_WEEKS)
    assert (pid, f"Care plan review was due {review_due.day} Jul 2026.") in by_person
    assert (pid, "Consent to care not recorded on plan version 1.") in by_person
    mary = next(a for a in attention if a.record_id == no_plan)
    assert mary.responsible == "Kim Keyworker" and mary.level is Level.MISSING

    record_review(
        db, pid, ReviewInput(dt.date(2026, 11, 20), "Emily, daughter", "Going well"), today=TODAY
    )
    _, evidence = _read(db, PeopleReader())
    kinds = {e.kind: e for e in evidence}
    assert kinds["care_plan_reviews"].references == ("P-0002",)  # service reference, no name
    assert kinds["care_plans"].count == 1 and "responsive-1" in kinds["care_plans"].statements


def test_complaints_reader_follows_deadlines_and_counts_compliments(db: Database) -> None:
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 18), "Mrs Jones", "Carer was late"),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mr Patel", "Missed visit"),
        today=TODAY,
        expected_version=None,
    )
    save_compliment(
        db,
        ComplimentInput(dt.date(2026, 10, 1), "Mrs Khan", "Lovely carers"),
        today=TODAY,
        expected_version=None,
    )
    attention, evidence = _read(db, ComplaintsReader())
    levels = {a.reference.split(": ")[1]: a for a in attention}
    assert levels["Mr Patel"].level is Level.OVERDUE  # acknowledgement was due 5 Nov
    assert levels["Mr Patel"].due_on == dt.date(2026, 11, 5)
    assert levels["Mrs Jones"].level is Level.DUE_SOON
    assert "acknowledgement was due 5 Nov 2026" in levels["Mr Patel"].sentence
    kinds = {e.title: e for e in evidence}
    assert kinds["Complaints received"].count == 2
    assert kinds["Compliments received"].kind == "compliments"
    assert "Complaints answered" not in kinds


def test_audits_reader_lists_the_programme_and_evidences_question_statements(
    db: Database,
) -> None:
    from provider_desk.settings.services import set_audit_programme_start

    assert _read(db, AuditsReader())[0] == []  # a new programme nobody has started
    set_audit_programme_start(
        db, TODAY - dt.timedelta(days=7), expected_version=settings_version(db)
    )
    attention, evidence = _read(db, AuditsReader())
    assert attention and all(a.level is Level.MISSING for a in attention)  # never audited
    medication = next(a for a in attention if a.reference.startswith("Medication"))
    assert "safe-8" in medication.statements and "well-led-5" in medication.statements
    assert evidence == []


def test_actions_reader_lists_late_and_coming_actions_and_counts_completed(
    db: Database,
) -> None:
    owner = new_staff(db, "Jo", "Owner")
    raise_action(
        db,
        ActionInput(
            "Update lone working policy", owner, dt.date(2026, 11, 1), dt.date(2026, 10, 1)
        ),
        today=TODAY,
    )
    raise_action(
        db, ActionInput("Chase references", owner, TODAY + dt.timedelta(days=200)), today=TODAY
    )
    attention, evidence = _read(db, ActionsReader())
    (late,) = attention
    assert late.level is Level.OVERDUE and late.responsible == "Jo Owner"
    assert late.sentence == "Update lone working policy was due on 1 Nov 2026."
    assert late.days_overdue(TODAY) == 22
    assert evidence == []


def test_attention_sorts_late_first_and_evidence_groups_by_statement(db: Database) -> None:
    owner = new_staff(db, "Jo", "Owner")
    for days in (-3, 5, -30):
        raise_action(
            db,
            ActionInput(
                f"Action {days}",
                owner,
                TODAY + dt.timedelta(days=days),
                TODAY - dt.timedelta(days=60),
            ),
            today=TODAY,
        )
    attention, _ = _read(db, ActionsReader())
    assert [a.reference for a in sorted(attention, key=urgency)] == [
        "Action -30",
        "Action -3",
        "Action 5",
    ]
    amy = new_staff(db, "Amy", "Smith")
    record_training(
        db, amy, TrainingInput(_course(db, "Fire safety"), dt.date(2026, 5, 1)), today=TODAY
    )
    _, evidence = _read(db, TrainingReader())
    grouped = by_statement(evidence)
    assert [e.title for e in grouped["safe-5"]] == ["Training completed: Fire safety"]
    assert grouped["safe-6"] == grouped["safe-5"]


def test_a_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot end"):
        Period(TODAY, TODAY - dt.timedelta(days=1))
    year = Period.year_to(dt.date(2028, 2, 29))
    assert year.start == dt.date(2027, 3, 1) and dt.date(2028, 2, 29) in year
    assert year.label == "1 Mar 2027 to 29 Feb 2028"
