"""Rotation keeps 7 daily, 4 weekly and 12 monthly backups: a pure function of dates and today,
checked across month and year ends."""

from __future__ import annotations

import datetime as dt

from provider_desk.backup.rotation import Policy, backups_to_keep, backups_to_remove


def _daily(first: dt.date, last: dt.date, hour: int = 18) -> list[tuple[dt.date, dt.datetime]]:
    out = []
    day = first
    while day <= last:
        out.append((day, dt.datetime.combine(day, dt.time(hour), dt.UTC)))
        day += dt.timedelta(days=1)
    return out


def test_a_year_of_daily_backups_at_new_year() -> None:
    backups = _daily(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    keep = backups_to_keep(backups, dt.date(2026, 12, 31))
    daily = {dt.date(2026, 12, d) for d in range(25, 32)}
    # ISO weeks: Mon 28 Dec (this week), 21, 14, 7 Dec: their Sundays 27, 20, 13 Dec.
    weekly = {dt.date(2026, 12, 27), dt.date(2026, 12, 20), dt.date(2026, 12, 13)}
    monthly = {dt.date(2026, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)}
    assert keep == daily | weekly | monthly  # 31 Dec is daily, weekly and monthly at once
    assert len(keep) == 7 + 2 + 11  # 27 Dec is both a daily and a weekly one


def test_the_first_day_of_a_year_keeps_last_years_months() -> None:
    backups = _daily(dt.date(2025, 11, 15), dt.date(2027, 1, 1))
    keep = backups_to_keep(backups, dt.date(2027, 1, 1))
    assert dt.date(2027, 1, 1) in keep and dt.date(2026, 12, 26) in keep  # daily
    assert dt.date(2026, 12, 25) not in keep
    assert dt.date(2026, 12, 13) in keep and dt.date(2026, 12, 6) not in keep  # 4 weeks back
    # 12 months: January 2027 and February..December 2026 (newest of each); not January 2026.
    assert dt.date(2026, 2, 28) in keep and dt.date(2026, 1, 31) not in keep
    assert dt.date(2025, 12, 31) not in keep


def test_month_end_with_gaps_keeps_the_newest_of_each_period() -> None:
    when = [
        dt.datetime(2027, 2, 26, 9, tzinfo=dt.UTC),
        dt.datetime(2027, 2, 26, 17, tzinfo=dt.UTC),  # same day, later: the one kept
        dt.datetime(2027, 2, 28, 8, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 3, 8, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 30, 8, tzinfo=dt.UTC),
    ]
    backups = [(i, w) for i, w in enumerate(when)]
    assert backups_to_keep(backups, dt.date(2027, 3, 1)) == {1, 2, 4}
    assert backups_to_remove(backups, dt.date(2027, 3, 1)) == [3, 0]


def test_the_newest_is_kept_however_old_and_future_dates_are_never_removed() -> None:
    old = [(n, dt.datetime(2020, 1, n, tzinfo=dt.UTC)) for n in range(1, 6)]
    assert backups_to_keep(old, dt.date(2026, 12, 3)) == {5}
    future = (99, dt.datetime(2027, 6, 1, tzinfo=dt.UTC))
    assert backups_to_keep([*old, future], dt.date(2026, 12, 3)) == {99}
    assert 99 in backups_to_keep([*old, future], dt.date(2026, 1, 1))
    assert backups_to_keep([], dt.date(2026, 12, 3)) == set()


def test_a_smaller_policy() -> None:
    backups = _daily(dt.date(2026, 12, 1), dt.date(2026, 12, 10))
    keep = backups_to_keep(backups, dt.date(2026, 12, 10), Policy(daily=2, weekly=0, monthly=0))
    assert keep == {dt.date(2026, 12, 9), dt.date(2026, 12, 10)}
