"""The home page's cards against a database built by hand through the services, where every
count is known, and against the area queries and page filters on the demo provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from provider_desk.areas.actions.queries import ActionRow, list_actions_in
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.areas.actions.services import ActionInput, complete_action, raise_action
from provider_desk.areas.audits import rules as audit_rules
from provider_desk.areas.audits.queries import audit_programme, audit_programme_in, template_detail
from provider_desk.areas.audits.services import AuditInput, save_audit
from provider_desk.areas.complaints.queries import list_complaints_in
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.areas.complaints.services import ComplaintInput, save_complaint
from provider_desk.areas.opening import open_database
from provider_desk.areas.people.queries import list_people_in, risk_assessments_in
from provider_desk.areas.people.services import (
    CarePlanInput,
    PersonInput,
    ReviewInput,
    RiskInput,
    record_review,
    save_care_plan,
    save_person,
    save_risk,
)
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.areas.staff.services import CheckInput, record_check
from provider_desk.areas.supervision.queries import list_kinds, supervision_matrix_in
from provider_desk.areas.supervision.services import SupervisionInput, record_supervision
from provider_desk.areas.training.queries import list_courses, training_matrix_in
from provider_desk.areas.training.services import TrainingInput, record_training
from provider_desk.dashboard import Figures, figures_in, todo_in
from provider_desk.dashboard.figures import CONSENT, FIRST, NO_PLAN, REVIEW, RISK, UPDATE
from provider_desk.db.session import Database
from provider_desk.demo import generate
from provider_desk.reading import on_in, urgency
from provider_desk.resources import check_kinds
from provider_desk.rules.due import Level
from tests.conftest import TODAY, check_version_of, new_staff, role_id, version_of


def _course(db: Database, name: str) -> int:
    return next(c.id for c in list_courses(db) if c.name == name)


def _verify_all(db: Database, staff_id: int, *, dbs: str = "verified") -> None:
    for kind in check_kinds():
        status = dbs if kind.kind == "dbs" else "verified"
        extra = (
            {
                "reference": "001234567890",
                "issued_on": dt.date(2024, 1, 2),
                "barred_list_checked": True,
            }
            if kind.kind == "dbs"
            else {}
        )
        record_check(
            db,
            staff_id,
            kind.kind,
            CheckInput(status, dt.date(2024, 1, 5), **extra),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, kind.kind),
        )


def _audit(db: Database, key: str, on: dt.date, auditor: int) -> None:
    tid = next(p.template_id for p in audit_programme(db, TODAY) if p.key == key)
    detail = template_detail(db, tid)
    assert detail is not None
    answers = {
        i.id: audit_rules.Answer("score", score=4)
        if i.answer_type == "score"
        else audit_rules.Answer("yes")
        for i in detail.template.items
    }
    save_audit(
        db,
        None,
        AuditInput(tid, on, auditor, answers=answers),
        finish=True,
        today=TODAY,
        expected_version=None,
    )


def build_service(db: Database) -> dict[str, int]:
    """A small provider as on TODAY (Mon 23 Nov 2026) where every card's count is known.

    Four care workers (Amy, Rita, Cara at work; Dan on leave); three people supported; five
    complaints; four actions; two of the nine audit templates done.
    """
    amy = new_staff(db, "Amy", "Smith")
    rita = new_staff(db, "Rita", "Boss")
    cara = new_staff(db, "Cara", "Jones")
    dan = new_staff(db, "Dan", "Brown", status="on leave")
    # Recruitment: Amy and Dan complete; Rita nothing recorded; Cara's DBS received, not verified.
    _verify_all(db, amy)
    _verify_all(db, dan)
    _verify_all(db, cara, dbs="received")
    # Training (Amy only): one expired, one due soon, one in date; everything else missing.
    for course, done in (
        ("Fire safety", dt.date(2025, 10, 1)),  # expired 30 Sep 2026
        ("Moving and handling people", dt.date(2025, 12, 15)),  # expires 14 Dec 2026: due soon
        ("Safeguarding adults", dt.date(2026, 6, 1)),  # in date
    ):
        record_training(db, amy, TrainingInput(_course(db, course), done), today=TODAY)
    # Supervision (Amy only): one-to-one due 30 Nov (due soon), spot check overdue since 1 Oct.
    record_supervision(
        db, SupervisionInput(amy, rita, "supervision", dt.date(2026, 8, 30)), today=TODAY
    )
    record_supervision(
        db,
        SupervisionInput(amy, rita, "spot check", dt.date(2026, 4, 1), outcome="satisfactory"),
        today=TODAY,
    )
    # People: Mary has no plan; Emily's review is overdue, no consent, one risk review overdue
    # and one due soon; Frank's review found needs changed and his plan was not updated.
    save_person(
        db,
        None,
        PersonInput("Mary", "Green", dt.date(2026, 11, 2)),
        today=TODAY,
        expected_version=None,
    )
    emily = save_person(
        db,
        None,
        PersonInput("Emily", "Baker", dt.date(2026, 6, 1)),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    save_care_plan(
        db,
        emily,
        CarePlanInput(dt.date(2026, 6, 1), sections={"personal care": {"needs": "Shower"}}),
        today=TODAY,
    )
    for review_due in (dt.date(2026, 9, 1), dt.date(2026, 12, 1)):
        save_risk(
            db,
            emily,
            None,
            RiskInput("falls", 3, 3, "Frame", dt.date(2026, 6, 1), review_due=review_due),
            today=TODAY,
            expected_version=None,
        )
    frank = save_person(
        db,
        None,
        PersonInput("Frank", "Hill", dt.date(2026, 1, 5)),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    save_care_plan(
        db,
        frank,
        CarePlanInput(
            dt.date(2026, 1, 5),
            sections={"personal care": {"needs": "Shave"}},
            consent_by="person",
            consent_name="Frank Hill",
            consent_on=dt.date(2026, 1, 5),
        ),
        today=TODAY,
    )
    record_review(
        db,
        frank,
        ReviewInput(dt.date(2026, 11, 20), "Frank", "Needs more help", needs_changed=True),
        today=TODAY,
    )
    # Complaints: one acknowledgement overdue, one awaiting acknowledgement, one response
    # overdue, one responded (still open), one closed.
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mr Patel", "Missed"),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 18), "Mrs Jones", "Late"),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        ComplaintInput(
            dt.date(2026, 9, 1), "Mr Singh", "Rude", acknowledged_on=dt.date(2026, 9, 2)
        ),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        ComplaintInput(
            dt.date(2026, 10, 1),
            "Mrs Khan",
            "Wrong time",
            acknowledged_on=dt.date(2026, 10, 2),
            responded_on=dt.date(2026, 10, 20),
            outcome="upheld",
        ),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        ComplaintInput(
            dt.date(2026, 8, 3),
            "Mr Lee",
            "Rota",
            acknowledged_on=dt.date(2026, 8, 4),
            responded_on=dt.date(2026, 8, 20),
            outcome="not upheld",
            closed_on=dt.date(2026, 8, 30),
        ),
        today=TODAY,
        expected_version=None,
    )
    # Actions: one overdue, one due soon, one far off, one done.
    for what, due in (
        ("Update lone working policy", dt.date(2026, 11, 1)),
        ("Book fire drill", dt.date(2026, 12, 10)),
        ("Review rota software", dt.date(2027, 8, 1)),
        ("Chase references", dt.date(2026, 11, 10)),
    ):
        raise_action(db, ActionInput(what, rita, due, dt.date(2026, 10, 1)), today=TODAY)
    done = next(a.id for a in _actions(db) if a.description == "Chase references")
    complete_action(
        db,
        done,
        dt.date(2026, 11, 9),
        "References on file",
        today=TODAY,
        expected_version=version_of(db, "Action", done),
    )
    # Audits: medication done 2 Nov (monthly: due 2 Dec, due soon); infection control done
    # 1 Jul (quarterly: due 1 Oct, overdue); the other seven never done.
    _audit(db, "medication", dt.date(2026, 11, 2), rita)
    _audit(db, "ipc", dt.date(2026, 7, 1), rita)
    return {"amy": amy, "rita": rita, "cara": cara, "dan": dan, "emily": emily, "frank": frank}


def _actions(db: Database) -> list[ActionRow]:
    return db.read(lambda s: list_actions_in(s, TODAY))


def _figures(db: Database, today: dt.date = TODAY) -> Figures:
    return db.read(lambda s: figures_in(s, on_in(s, today)))


def test_every_card_counts_what_was_entered(db: Database) -> None:
    build_service(db)
    f = _figures(db)
    worker = role_id(db)
    required = sum(1 for c in list_courses(db) if worker in c.required_role_ids)
    kinds = sum(1 for k in list_kinds(db) if k.interval_for(worker)[0])
    # Training: four care workers, Amy has three of her courses (one expired, one due soon).
    assert (f.training.expired, f.training.due_soon) == (1, 1)
    assert f.training.missing == 4 * required - 3
    # Recruitment: Rita has nothing recorded, Cara's DBS awaits verification.
    assert (f.recruitment.missing, f.recruitment.outstanding, f.recruitment.unverified) == (2, 1, 1)
    # Supervision: Dan is on leave; Rita and Cara never had any session; Amy's one-to-one is due
    # soon, her spot check overdue, the rest never done.
    assert f.supervision.due_soon == 1
    assert f.supervision.overdue == 2 * kinds + (kinds - 1)
    assert f.supervision.never_done == 2 * kinds + (kinds - 2)
    # People.
    c = f.care_plans
    assert (c.review_overdue, c.no_current_plan, c.consent_missing, c.needs_update) == (1, 1, 1, 1)
    assert c.review_due_soon == 0
    r = f.risk_assessments
    assert (r.review_overdue, r.due_soon, r.people_overdue) == (1, 1, 1)
    # Complaints: Patel (acknowledgement overdue), Jones (awaiting), Singh (response overdue),
    # Khan (responded, still open); Lee closed.
    k = f.complaints
    assert (k.acknowledgement_overdue, k.response_overdue, k.open) == (1, 1, 4)
    assert (k.awaiting_acknowledgement, k.awaiting_response) == (1, 0)
    # Audits: seven never done plus infection control overdue; medication due soon.
    assert (f.audits.overdue, f.audits.never_done, f.audits.due_soon) == (8, 7, 1)
    # Actions: one overdue, one due soon, three not done.
    assert (f.actions.overdue, f.actions.due_soon, f.actions.open) == (1, 1, 3)


def test_cards_list_their_first_items_most_urgent_first(db: Database) -> None:
    build_service(db)
    f = _figures(db)
    for key, card in f.cards().items():
        assert len(card.first) <= FIRST, key
        assert list(card.first) == sorted(card.first, key=urgency), key
    assert [i.reference for i in f.actions.first] == [
        "Update lone working policy",
        "Book fire drill",
    ]
    assert f.care_plans.first[0].level.needs_action
    assert all("risk assessment" in i.reference for i in f.risk_assessments.first)
    assert not any("risk assessment" in i.reference for i in f.care_plans.first)
    # Mr Singh's response was due in September, Mr Patel's acknowledgement on 5 Nov.
    assert [i.reference.split(": ")[1] for i in f.complaints.first] == [
        "Mr Singh",
        "Mr Patel",
        "Mrs Jones",
    ]


def test_figures_as_dict_names_what_scripts_read(db: Database) -> None:
    build_service(db)
    d = _figures(db).as_dict()
    wanted = {
        "training": {"expired", "due_soon", "missing"},
        "recruitment": {"missing"},
        "supervision": {"overdue", "due_soon"},
        "care_plans": {"review_overdue", "no_current_plan"},
        "risk_assessments": {"review_overdue"},
        "complaints": {"acknowledgement_overdue", "response_overdue", "open"},
        "audits": {"overdue", "due_soon"},
        "actions": {"overdue", "open"},
    }
    assert set(d) == set(wanted)
    for key, names in wanted.items():
        assert names <= set(d[key]), key
        assert all(isinstance(v, int) for v in d[key].values())


def test_a_later_day_moves_due_soon_items_to_overdue(db: Database) -> None:
    build_service(db)
    later = _figures(db, dt.date(2026, 12, 16))
    # Moving and handling expired on 14 Dec; the fire drill was due on 10 Dec; the medication
    # audit on 2 Dec; Amy's one-to-one on 30 Nov.
    assert later.training.expired == 2
    assert later.actions.overdue == 2
    assert later.audits.overdue == 9
    assert later.supervision.due_soon == 0


# The cards agree with the area queries and page filters ----------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The small demo provider (shared by the tests below, which only read it)."""
    path: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db, _ = open_database(str(path), user="test.manager", create=True)
    generate(db, today=TODAY, size="small", seed=3)
    yield db
    db.dispose()


@pytest.mark.parametrize("built", ["by hand", "demo"])
def test_cards_equal_the_area_queries_and_page_filters(
    built: str, db: Database, demo_db: Database
) -> None:
    if built == "by hand":
        build_service(db)
    else:
        db = demo_db

    def read(s: Session) -> None:
        on = on_in(s, TODAY)
        f = figures_in(s, on)
        # Training: the matrix page's summary counts required cells by level.
        matrix = training_matrix_in(s, TODAY)
        cells = [c for row in matrix.cells for c in row if c.required]
        assert f.training.expired == sum(c.status is Level.OVERDUE for c in cells)
        assert f.training.missing == sum(c.status is Level.MISSING for c in cells)
        assert f.training.due_soon == sum(c.status is Level.DUE_SOON for c in cells)
        # Recruitment: the staff page's "with checks to chase".
        staff = list_staff_in(s)
        assert f.recruitment.missing == sum(r.needs_attention for r in staff)
        assert f.recruitment.outstanding == sum(r.missing_checks > 0 for r in staff)
        # Supervision: the page's summary over workers not on leave.
        sup = supervision_matrix_in(s, TODAY)
        working = [c for row in sup.rows if not row.on_leave for c in row.cells]
        assert f.supervision.overdue == sum(c.status.needs_action for c in working)
        assert f.supervision.never_done == sum(c.status is Level.MISSING for c in working)
        assert f.supervision.due_soon == sum(c.status is Level.DUE_SOON for c in working)
        # People: the people page's filters.
        people = [p for p in list_people_in(s, TODAY) if p.status != "ended"]
        c = f.care_plans
        assert c.review_overdue == sum(p.review_status is Level.OVERDUE for p in people)
        assert c.no_current_plan == sum(p.review_status is Level.MISSING for p in people)
        assert c.review_due_soon == sum(p.review_status is Level.DUE_SOON for p in people)
        assert c.consent_missing == sum(
            bool(p.plan_number) and not p.consent_recorded for p in people
        )
        assert c.needs_update == sum(p.plan_needs_update for p in people)
        risks = risk_assessments_in(s, TODAY)
        r = f.risk_assessments
        assert r.review_overdue == sum(x.review_status is Level.OVERDUE for x in risks)
        assert r.due_soon == sum(x.review_status is Level.DUE_SOON for x in risks)
        assert r.people_overdue == sum(p.risks_overdue > 0 for p in people)
        # Complaints: the page's open filter and statuses.
        complaints = list_complaints_in(s, TODAY)
        k = f.complaints
        assert k.open == sum(x.status is not ComplaintStatus.CLOSED for x in complaints)
        assert k.acknowledgement_overdue == sum(
            x.status is ComplaintStatus.ACK_OVERDUE for x in complaints
        )
        assert k.response_overdue == sum(
            x.status is ComplaintStatus.RESPONSE_OVERDUE for x in complaints
        )
        # Audits: the programme's "overdue or never done" and "due soon".
        programme = audit_programme_in(s, TODAY)
        assert f.audits.overdue == sum(p.status.needs_action for p in programme)
        assert f.audits.due_soon == sum(p.status is Level.DUE_SOON for p in programme)
        # Actions: the action plan's "not done" and "overdue".
        actions = list_actions_in(s, TODAY)
        assert f.actions.open == sum(a.status is not ActionStatus.DONE for a in actions)
        assert f.actions.overdue == sum(a.status is ActionStatus.OVERDUE for a in actions)
        # Every item the people reader raises lands on a card.
        todo = todo_in(s, on)
        kinds = {NO_PLAN, REVIEW, CONSENT, UPDATE, RISK}
        assert not [i for i in todo if i.area == "people" and i.kind not in kinds]

    db.read(read)
