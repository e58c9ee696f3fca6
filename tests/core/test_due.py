"""The one due rule: every boundary, once, on fixed dates (never the real calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from provider_desk.rules.due import LEVEL_STYLE, Due, Level, due, level_of, mark, word

TODAY = dt.date(2026, 11, 23)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (TODAY - DAY, Level.OVERDUE),  # yesterday
        (TODAY, Level.DUE_SOON),  # due exactly today is due soon, not overdue
        (TODAY + DAY, Level.DUE_SOON),  # tomorrow
        (TODAY + 30 * DAY, Level.DUE_SOON),  # the last day of the window
        (TODAY + 31 * DAY, Level.IN_DATE),  # the day after it
        (None, Level.IN_DATE),  # nothing due
    ],
)
def test_level_of_a_due_date(due_on: dt.date | None, expected: Level) -> None:
    assert level_of(due_on, TODAY, 30) is expected


def test_a_zero_day_window_is_due_soon_only_on_the_day() -> None:
    assert level_of(TODAY, TODAY, 0) is Level.DUE_SOON
    assert level_of(TODAY + DAY, TODAY, 0) is Level.IN_DATE


def test_due_is_last_done_plus_the_interval() -> None:
    last = dt.date(2026, 5, 23)
    assert due(last, 6, window_days=30, today=TODAY) == Due(Level.DUE_SOON, TODAY)
    assert due(last, 6, window_days=30, today=TODAY + DAY) == Due(Level.OVERDUE, TODAY)
    assert due(last, 12, window_days=30, today=TODAY) == Due(Level.IN_DATE, dt.date(2027, 5, 23))


def test_an_interval_from_31_january_ends_on_the_last_day_of_february() -> None:
    assert due(dt.date(2027, 1, 31), 1, window_days=0, today=TODAY).due_on == dt.date(2027, 2, 28)
    assert due(dt.date(2028, 1, 31), 1, window_days=0, today=TODAY).due_on == dt.date(2028, 2, 29)
    assert due(dt.date(2027, 1, 31), 3, window_days=0, today=TODAY).due_on == dt.date(2027, 4, 30)


def test_29_february_plus_a_year_is_28_february() -> None:
    done = dt.date(2028, 2, 29)
    assert due(done, 12, window_days=0, today=TODAY).due_on == dt.date(2029, 2, 28)
    assert due(done, 48, window_days=0, today=TODAY).due_on == dt.date(2032, 2, 29)
    on_the_day = due(done, 12, window_days=0, today=dt.date(2029, 2, 28))
    assert on_the_day.level is Level.DUE_SOON
    assert due(done, 12, window_days=0, today=dt.date(2029, 3, 1)).level is Level.OVERDUE


def test_a_window_crossing_29_february_counts_the_leap_day() -> None:
    # 1 Feb 2028 to 1 Mar 2028 is 29 days, not 28.
    assert level_of(dt.date(2028, 3, 1), dt.date(2028, 2, 1), 29) is Level.DUE_SOON
    assert level_of(dt.date(2028, 3, 1), dt.date(2028, 2, 1), 28) is Level.IN_DATE
    assert level_of(dt.date(2027, 3, 1), dt.date(2027, 2, 1), 28) is Level.DUE_SOON


def test_missing_and_not_required() -> None:
    assert due(None, 12, window_days=30, today=TODAY) == Due(Level.MISSING, None)
    assert due(None, 12, window_days=30, today=TODAY, required=False) == Due(
        Level.NOT_REQUIRED, None
    )
    done = dt.date(2026, 11, 1)
    assert due(done, 12, window_days=30, today=TODAY, required=False) == Due(
        Level.NOT_REQUIRED, None
    )
    # Done once and never again due: in date with nothing due.
    assert due(done, None, window_days=30, today=TODAY) == Due(Level.IN_DATE, None)


def test_first_due_gives_a_newcomer_time_then_turns_missing() -> None:
    first = TODAY + 10 * DAY
    assert due(None, 3, window_days=30, today=TODAY, first_due=first) == Due(Level.DUE_SOON, first)
    assert due(None, 3, window_days=30, today=first, first_due=first).level is Level.DUE_SOON
    assert due(None, 3, window_days=30, today=first + DAY, first_due=first) == Due(
        Level.MISSING, first
    )
    # Once done, first_due no longer matters.
    done = dt.date(2026, 9, 1)
    assert due(done, 3, window_days=30, today=TODAY, first_due=first) == Due(
        Level.DUE_SOON, dt.date(2026, 12, 1)
    )


def test_override_wins_over_the_interval() -> None:
    done = dt.date(2026, 9, 1)
    by_hand = dt.date(2027, 6, 1)
    assert due(done, 3, window_days=30, today=TODAY, override=by_hand) == Due(
        Level.IN_DATE, by_hand
    )
    assert due(done, None, window_days=30, today=TODAY, override=TODAY - DAY) == Due(
        Level.OVERDUE, TODAY - DAY
    )
    # Never done and a date already passed: missing, whoever set the date.
    assert due(None, 3, window_days=30, today=TODAY, override=TODAY - DAY).level is Level.MISSING


def test_worst_first_and_the_groupings() -> None:
    assert sorted(Level, key=lambda lv: lv.rank) == [
        Level.MISSING,
        Level.OVERDUE,
        Level.DUE_SOON,
        Level.IN_DATE,
        Level.NOT_REQUIRED,
    ]
    assert {lv for lv in Level if lv.needs_action} == {Level.OVERDUE, Level.MISSING}
    assert {lv for lv in Level if lv.compliant} == {Level.IN_DATE, Level.DUE_SOON}


def test_every_level_has_one_style_and_areas_keep_their_words() -> None:
    assert set(LEVEL_STYLE) == set(Level)
    assert all(LEVEL_STYLE[lv].word == lv.value for lv in Level)
    assert word(Level.OVERDUE) == "overdue" and word(Level.OVERDUE, "training") == "expired"
    assert word(Level.MISSING, "supervision") == "never done"
    assert word(Level.MISSING, "people") == "no current plan"
    assert mark(Level.OVERDUE, "training") == "Expired" and mark(Level.DUE_SOON) == "Due"
    assert mark(Level.NOT_REQUIRED, "training") == "n/a"
