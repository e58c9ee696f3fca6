"""The evidence pack's snapshot: figures equal what was entered in a hand-built service, gaps
appear where evidence is missing, nothing outside the period counts, and people we support are
named only when asked."""

from __future__ import annotations

import datetime as dt

import pytest

from provider_desk.areas.training.queries import list_courses
from provider_desk.areas.training.services import TrainingInput, record_training
from provider_desk.dashboard.readiness import Colour
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.evidence import Pack, read_pack
from provider_desk.reading import Period
from provider_desk.rules.due import Level
from tests.conftest import TODAY, new_staff
from tests.dashboard.test_figures import build_service

YEAR = Period.year_to(TODAY)  # 24 Nov 2025 to 23 Nov 2026


def _pack(db: Database, period: Period = YEAR, *, names: bool = False) -> Pack:
    return read_pack(db, period, today=TODAY, names=names, trends=False)


def test_headline_figures_are_what_was_entered(db: Database) -> None:
    build_service(db)
    h = _pack(db).headline
    # Training: Amy has three of her courses (fire safety expired); four care workers.
    courses = {s.label: (s.done, s.of) for s in h.training_by_course}
    assert courses["Fire safety"] == (0, 4)
    assert courses["Safeguarding adults"] == (1, 4)
    assert courses["Moving and handling people"] == (1, 4)  # due soon still counts as in date
    assert h.training.done == 2 and h.training.of == sum(s.of for s in h.training_by_course)
    # Recruitment: Amy and Dan complete; Rita has nothing, Cara's DBS awaits verification.
    assert (h.recruitment.done, h.recruitment.of) == (2, 4)
    # People: Mary no plan; Emily's review overdue, no consent, one risk review overdue;
    # Frank reviewed on 20 Nov.
    assert (h.care_plans.done, h.care_plans.of) == (1, 3)
    assert (h.no_current_plan, h.consent_missing, h.risk_reviews_overdue) == (1, 1, 1)
    # Complaints: five received in the year, four not closed; three acknowledged (all on
    # time), two answered (both on time).
    assert (h.complaints_received, h.complaints_open) == (5, 4)
    assert (h.complaints_acknowledged.done, h.complaints_acknowledged.of) == (3, 3)
    assert (h.complaints_answered.done, h.complaints_answered.of) == (2, 2)
    # Audits: medication (2 Nov) and infection control (1 Jul), every answer a pass.
    assert [a.template for a in h.audits] == [
        "Infection prevention and control",
        "Medication / MAR chart audit",
    ]
    assert h.audit_average == 100
    # Actions: three not done (one overdue); one done on 9 Nov.
    assert (h.actions_open, h.actions_overdue, h.actions_done) == (3, 1, 1)
    # Supervision: Dan (on leave) is left out of the figure but listed in the appendix.
    names = [row[0] for row in _pack(db).supervision.rows]
    assert "Dan Brown" in names
    assert h.supervision.of == sum(s.of for s in h.supervision_by_kind) > 0


def test_cover_and_appendices(db: Database) -> None:
    build_service(db)
    p = _pack(db)
    assert p.cover.period == YEAR and p.cover.as_of == TODAY and p.cover.prepared_on == TODAY
    assert [r.name for r in p.recruitment] == ["Rita Boss", "Dan Brown", "Cara Jones", "Amy Smith"]
    assert {r.name: (r.missing, r.unverified) for r in p.recruitment}["Cara Jones"] == (0, 1)
    assert len(p.complaints) == 5 and len(p.care_plans) == 3
    # Actions: the three not done and the one done in the period.
    assert sorted(a.status for a in p.actions) == ["done", "due soon", "open", "overdue"]
    training = {
        name: dict(zip(p.training.columns, [c for c in cells], strict=True))
        for name, _role, cells in p.training.rows
    }
    assert training["Amy Smith"]["Fire safety"] == ("30 Sep 2026", Level.OVERDUE)
    assert training["Rita Boss"]["Fire safety"] == ("never", Level.MISSING)
    assert p.categories[0] == "People's experience of health and care services"
    assert len(p.categories) == 6


def test_every_statement_is_read_and_gaps_follow_the_evidence(db: Database) -> None:
    p = _pack(db)
    statements = p.readiness.statements()
    assert len(statements) == 34
    # An empty service: every statement not held elsewhere is a gap with no evidence.
    red = [s for s in statements if s.colour is Colour.RED]
    outside = [s for s in statements if s.held_outside]
    assert len(red) + len(outside) == 34
    gaps = p.gaps()
    assert len([g for g in gaps if g[2].startswith("No evidence")]) == len(red)
    assert len([g for g in gaps if g[2].startswith("Held outside")]) == len(outside)


def test_records_outside_the_period_do_not_count(db: Database) -> None:
    amy = new_staff(db, "Amy", "Smith")
    fire = next(c.id for c in list_courses(db) if c.name == "Fire safety")
    record_training(db, amy, TrainingInput(fire, dt.date(2025, 6, 1)), today=TODAY)  # before

    def training_records(pack: Pack) -> int:
        return sum(
            e.count for s in pack.readiness.statements() for e in s.evidence if e.area == "training"
        )

    assert training_records(_pack(db)) == 0
    record_training(db, amy, TrainingInput(fire, dt.date(2026, 3, 1)), today=TODAY)  # inside
    assert training_records(_pack(db)) > 0
    # A period that ended before it was done does not count it either.
    assert training_records(_pack(db, Period(dt.date(2025, 1, 1), dt.date(2026, 2, 28)))) > 0
    early = _pack(db, Period(dt.date(2025, 7, 1), dt.date(2026, 2, 28)))
    assert training_records(early) == 0


def test_people_we_support_by_reference_unless_names(db: Database) -> None:
    build_service(db)
    p = _pack(db)
    text = repr(p)
    for name in ("Emily", "Baker", "Mary Green", "Frank Hill", "Mr Patel", "Mrs Khan"):
        assert name not in text, name
    assert all(c.reference.startswith("P-") and c.name == "" for c in p.care_plans)
    assert all(c.summary == "" for c in p.complaints)
    weakening = [i for s in p.readiness.statements() for i in s.weakening if i.area == "people"]
    assert weakening and all(i.reference.startswith("P-") for i in weakening)
    named = _pack(db, names=True)
    assert "Emily Baker" in repr(named)
    assert {c.name for c in named.care_plans} >= {"Emily Baker", "Mary Green", "Frank Hill"}


def test_a_period_past_today_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as caught:
        _pack(db, Period(TODAY, TODAY + dt.timedelta(days=1)))
    assert "runs past today" in caught.value.problems[0].message
