"""Readiness for inspection: the one rule (red with no evidence, amber when late items weaken it
or it is held outside Provider Desk, green otherwise) and readiness read from a database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from provider_desk.areas.audits.queries import audit_programme
from provider_desk.areas.audits.services import archive_template
from provider_desk.areas.complaints.services import (
    ComplaintInput,
    ComplimentInput,
    save_complaint,
    save_compliment,
)
from provider_desk.dashboard import (
    Colour,
    Readiness,
    evidence_in,
    readiness_from,
    readiness_in,
    statement_readiness,
    todo_in,
)
from provider_desk.db.session import Database
from provider_desk.reading import Attention, Evidence, Period, on_in
from provider_desk.resources import held_outside, load_json, quality_statements
from provider_desk.rules.due import Level
from tests.conftest import TODAY, version_of

YEAR = Period.year_to(TODAY)
SAFEGUARDING = next(q for q in quality_statements() if q.id == "safe-3")


def _evidence(count: int = 4) -> Evidence:
    return Evidence(
        "training",
        "training",
        "Training completed: Safeguarding adults",
        ("safe-6", "safe-3"),
        ("13",),
        ("Processes",),
        count,
        dt.date(2026, 2, 1),
        dt.date(2026, 10, 9),
        ("Amy Smith",),
    )


def _item(area: str, level: Level, reference: str = "Amy Smith: Safeguarding adults") -> Attention:
    return Attention(
        area, reference, level, dt.date(2026, 11, 1), "", "", 1, statements=("safe-3",)
    )


def test_no_evidence_in_the_period_is_red() -> None:
    r = statement_readiness(SAFEGUARDING, [], [], YEAR)
    assert r.colour is Colour.RED
    assert r.reasons == ("No evidence recorded in Provider Desk from 24 Nov 2025 to 23 Nov 2026.",)
    late = statement_readiness(SAFEGUARDING, [], [_item("training", Level.MISSING)], YEAR)
    assert late.colour is Colour.RED and len(late.reasons) == 2  # says both


def test_evidence_with_nothing_late_is_green_and_due_soon_does_not_weaken_it() -> None:
    r = statement_readiness(SAFEGUARDING, [_evidence()], [_item("training", Level.DUE_SOON)], YEAR)
    assert r.colour is Colour.GREEN and r.weakening == ()
    assert r.reasons == (
        "4 records held in the period, the latest on 9 Oct 2026: "
        "Training completed: Safeguarding adults (4).",
    )
    assert r.records == 4


def test_evidence_weakened_by_overdue_or_missing_items_is_amber_and_says_which() -> None:
    items = [
        _item("training", Level.OVERDUE),
        _item("training", Level.MISSING, "Bob Jones: Safeguarding adults"),
        _item("training", Level.OVERDUE, "Cara Lee: Safeguarding adults"),
        _item("supervision", Level.MISSING, "Amy Smith: One-to-one supervision"),
        _item("audits", Level.DUE_SOON, "Care file audit"),  # not late: does not count
    ]
    r = statement_readiness(SAFEGUARDING, [_evidence()], items, YEAR)
    assert r.colour is Colour.AMBER
    assert r.reasons[-1] == (
        "Weakened by 4 overdue or missing items "
        "(Training: 2 expired, 1 missing; Supervision: 1 never done)."
    )
    assert [i.reference for i in r.weakening] == [  # most urgent first (same day: by name)
        "Amy Smith: One-to-one supervision",
        "Amy Smith: Safeguarding adults",
        "Bob Jones: Safeguarding adults",
        "Cara Lee: Safeguarding adults",
    ]


def test_held_outside_provider_desk_is_amber_with_the_hint() -> None:
    statement = next(q for q in quality_statements() if q.id == "well-led-3")
    hint = held_outside()["well-led-3"]
    r = statement_readiness(statement, [], [], YEAR, outside=hint)
    assert r.colour is Colour.AMBER
    assert r.reasons == (f"Evidence is held outside Provider Desk: {hint}",)
    assert r.held_outside == hint


def _readiness(db: Database) -> Readiness:
    return db.read(lambda s: readiness_in(s, on_in(s, TODAY), YEAR))


def test_readiness_covers_every_statement_of_the_framework(db: Database) -> None:
    colours = _readiness(db).colours()
    framework = load_json("cqc_framework.json")
    assert list(colours) == [kq["id"] for kq in framework["key_questions"]]
    assert {s for kq in colours.values() for s in kq} == {q.id for q in quality_statements()}
    assert len(quality_statements()) == 34
    assert set(held_outside()) <= {q.id for q in quality_statements()}


def test_readiness_from_a_database(db: Database) -> None:
    # Without the audit programme (never done: it would weaken most statements) a new service
    # holds nothing: red everywhere except what is held outside Provider Desk.
    for p in audit_programme(db, TODAY):
        archive_template(
            db, p.template_id, expected_version=version_of(db, "AuditTemplate", p.template_id)
        )
    r = _readiness(db)
    outside = held_outside()
    for st in r.statements():
        assert st.colour is (Colour.AMBER if st.id in outside else Colour.RED), st.id
    # A compliment evidences responsive-4 and caring-1: green, nothing late.
    save_compliment(
        db,
        ComplimentInput(dt.date(2026, 10, 1), "Mrs Khan", "Lovely carers"),
        today=TODAY,
        expected_version=None,
    )
    colours = _readiness(db).colours()
    assert colours["responsive"]["responsive-4"] == "green"
    assert colours["caring"]["caring-1"] == "green"
    assert colours["safe"]["safe-1"] == "red"
    # A complaint whose acknowledgement is late: evidence for responsive-4 and safe-1, both
    # weakened by it.
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mr Patel", "Missed visit"),
        today=TODAY,
        expected_version=None,
    )
    r = _readiness(db)
    by_id = {st.id: st for st in r.statements()}
    assert by_id["responsive-4"].colour is Colour.AMBER
    assert by_id["responsive-4"].reasons[-1] == (
        "Weakened by 1 overdue or missing item (Complaints: 1 overdue)."
    )
    assert by_id["safe-1"].colour is Colour.AMBER
    assert by_id["caring-1"].colour is Colour.GREEN
    assert r.count(Colour.GREEN) == 1


def test_the_pack_can_apply_the_same_rule_to_what_it_read(db: Database) -> None:
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mr Patel", "Missed visit"),
        today=TODAY,
        expected_version=None,
    )

    def both(s: Session) -> tuple[Readiness, Readiness]:
        on = on_in(s, TODAY)
        return readiness_in(s, on, YEAR), readiness_from(
            evidence_in(s, on, YEAR), todo_in(s, on), YEAR
        )

    direct, reused = db.read(both)
    assert direct == reused
