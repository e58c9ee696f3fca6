"""Which backups to keep: 7 daily, 4 weekly, 12 monthly (a pure function of their dates).

Calendar windows counted back from ``today``: the newest backup of each of the last 7 days
(today included), of each of the last 4 ISO weeks (this week included) and of each of the last 12
months (this month included). The newest backup is always kept, whatever its age, and so is any
dated after ``today`` (a PC whose clock was wrong): rotation never removes what it cannot place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Policy:
    """How many of each to keep."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    def describe(self) -> str:
        """``7 daily, 4 weekly and 12 monthly``."""
        return f"{self.daily} daily, {self.weekly} weekly and {self.monthly} monthly"


KEEP = Policy()


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def backups_to_keep(
    backups: Sequence[tuple[K, dt.datetime]], today: dt.date, policy: Policy = KEEP
) -> set[K]:
    """The keys of the backups to keep, from (key, when made) pairs; only verified backups
    should be passed in (the others are not rotation's to judge)."""
    if not backups:
        return set()
    newest_first = sorted(backups, key=lambda b: b[1], reverse=True)
    keep: set[K] = {newest_first[0][0]}  # the newest good backup, whatever its age
    first_day = today - dt.timedelta(days=policy.daily - 1)
    first_week = _monday(today) - dt.timedelta(weeks=policy.weekly - 1)
    first_month = _month_index(today) - (policy.monthly - 1)
    seen_days: set[dt.date] = set()
    seen_weeks: set[dt.date] = set()
    seen_months: set[int] = set()
    for key, when in newest_first:
        day = when.date()
        if day > today:
            keep.add(key)
            continue
        if policy.daily and day >= first_day and day not in seen_days:
            seen_days.add(day)
            keep.add(key)
        week = _monday(day)
        if policy.weekly and week >= first_week and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(key)
        month = _month_index(day)
        if policy.monthly and month >= first_month and month not in seen_months:
            seen_months.add(month)
            keep.add(key)
    return keep


def backups_to_remove(
    backups: Sequence[tuple[K, dt.datetime]], today: dt.date, policy: Policy = KEEP
) -> list[K]:
    """The keys of the backups rotation removes, oldest first."""
    keep = backups_to_keep(backups, today, policy)
    return [k for k, _ in sorted(backups, key=lambda b: b[1]) if k not in keep]
