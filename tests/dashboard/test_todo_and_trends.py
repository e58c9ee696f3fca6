"""What needs doing (every area, by urgency), "since you last opened", and the month-by-month
trends worked out from the records' own dates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from provider_desk.areas import AREAS
from provider_desk.areas.supervision.queries import supervision_matrix_in
from provider_desk.areas.training.queries import list_courses, training_matrix_in
from provider_desk.dashboard import Trends, late_keys, newly_overdue, todo_in, trends_in
from provider_desk.dashboard.trends import AuditScore, MonthPoint, month_ends
from provider_desk.db.session import Database
from provider_desk.reading import Attention, on_in, urgency
from provider_desk.rules.due import Level
from tests.conftest import TODAY, role_id
from tests.dashboard.test_figures import build_service


def test_todo_is_every_areas_attention_most_urgent_first(db: Database) -> None:
    build_service(db)

    def read(s: Session) -> tuple[list[Attention], int]:
        on = on_in(s, TODAY)
        return todo_in(s, on), sum(len(a.reader.attention(s, on)) for a in AREAS)

    todo, total = db.read(read)
    assert len(todo) == total
    assert todo == sorted(todo, key=urgency)
    assert {i.area for i in todo} == {a.key for a in AREAS}
    late = [i.level.needs_action for i in todo]
    assert late == sorted(late, reverse=True)  # every late item before anything due soon


def _item(reference: str, level: Level, due_on: dt.date | None) -> Attention:
    return Attention("actions", reference, level, due_on, "", "", 1)


ITEMS = [
    _item("Fire drill", Level.OVERDUE, dt.date(2026, 11, 20)),  # late since 21 Nov
    _item("Policy", Level.OVERDUE, dt.date(2026, 10, 1)),  # late for weeks
    _item("Rota", Level.DUE_SOON, dt.date(2026, 12, 1)),  # not late
    _item("Checks", Level.MISSING, None),  # late, no date
    _item("Due yesterday", Level.OVERDUE, dt.date(2026, 11, 22)),
]


def test_since_last_opened_by_date() -> None:
    new = newly_overdue(ITEMS, today=TODAY, last_opened=dt.date(2026, 11, 20))
    # Due on 20 Nov was not yet late on the 20th; due on the 22nd is late today.
    assert [i.reference for i in new] == ["Fire drill", "Due yesterday"]
    assert newly_overdue(ITEMS, today=TODAY, last_opened=TODAY) == []
    assert [
        i.reference for i in newly_overdue(ITEMS, today=TODAY, last_opened=dt.date(2026, 11, 21))
    ] == ["Due yesterday"]


def test_since_last_opened_by_the_previous_runs_keys() -> None:
    before = late_keys(ITEMS[1:4])  # Policy and Checks were late last time
    new = newly_overdue(ITEMS, today=TODAY, late_before=before)
    assert [i.reference for i in new] == ["Fire drill", "Due yesterday"]
    assert newly_overdue(ITEMS, today=TODAY, late_before=late_keys(ITEMS)) == []
    with pytest.raises(ValueError):
        newly_overdue(ITEMS, today=TODAY)


def test_month_ends_count_back_from_today() -> None:
    spans = month_ends(dt.date(2028, 2, 29), 12)
    assert spans[-1] == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert spans[-2] == (dt.date(2028, 1, 1), dt.date(2028, 1, 31))
    assert spans[0] == (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert month_ends(dt.date(2026, 11, 23), 1) == [(dt.date(2026, 11, 1), TODAY)]


def test_trends_from_the_records_as_they_stood(db: Database) -> None:
    build_service(db)

    def read(s: Session) -> tuple[Trends, float | None, float]:
        on = on_in(s, TODAY)
        matrix = training_matrix_in(s, TODAY)
        sup = supervision_matrix_in(s, TODAY)
        cells = [c for row in sup.rows if not row.on_leave for c in row.cells]
        counted = [c for c in cells if c.status is not Level.NOT_REQUIRED]
        sup_percent = 100.0 * sum(c.status.compliant for c in counted) / len(counted)
        return trends_in(s, on), matrix.overall().percent, sup_percent

    trends, training_now, supervision_now = db.read(read)
    months = trends.months
    assert months[0].month == dt.date(2025, 12, 1) and len(months) == 12
    assert months[-1].as_of == TODAY and months[-2].as_of == dt.date(2026, 10, 31)
    # The month we are in is today's matrix (everyone here started before the year).
    assert months[-1].training_percent == pytest.approx(training_now)
    assert months[-1].supervision_percent == pytest.approx(supervision_now)
    # Amy's training, month by month: fire safety (to 30 Sep 2026) and moving and handling
    # (from 15 Dec 2025) in date at the end of December; safeguarding added in June; fire
    # safety expired by the end of October.
    required = 4 * sum(1 for c in list_courses(db) if role_id(db) in c.required_role_ids)
    in_date = [round((m.training_percent or 0) * required / 100) for m in months]
    assert in_date[:1] + in_date[6:7] + in_date[10:] == [2, 3, 2, 2]
    assert [m.complaints_received for m in months][-4:] == [1, 1, 1, 2]
    assert [(a.audited_on, a.template) for a in trends.audit_scores] == [
        (dt.date(2026, 7, 1), "Infection prevention and control"),
        (dt.date(2026, 11, 2), "Medication / MAR chart audit"),
    ]
    assert all(a.score == 100 for a in trends.audit_scores)


def test_audit_scores_by_month_average_the_audits_of_each_month() -> None:
    months = tuple(
        MonthPoint(dt.date(2026, m, 1), dt.date(2026, m, 28), None, None, 0) for m in (9, 10, 11)
    )
    scores = (
        AuditScore(dt.date(2026, 9, 3), "Medication", "A1", 80.0),
        AuditScore(dt.date(2026, 9, 30), "Infection control", "A2", 90.0),
        AuditScore(dt.date(2026, 11, 1), "Medication", "A3", 100.0),
    )
    assert Trends(months, scores).audit_score_months() == [
        (dt.date(2026, 9, 1), 85.0),
        (dt.date(2026, 10, 1), None),  # no audit finished: a gap, not a zero
        (dt.date(2026, 11, 1), 100.0),
    ]
