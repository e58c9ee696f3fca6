"""One rule for "due" in every area: a Level (in date / due soon / overdue / missing / not
required) and the due date, from the last time something was done, how often it recurs, the
due-soon window and today; and the one mapping from a Level to its words, colours and icon.

Computed, never stored. ``today`` is always an argument: nothing here reads the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from provider_desk.rules.dates import add_months


class Level(StrEnum):
    """How something that falls due stands on a given day."""

    IN_DATE = "in date"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    MISSING = "missing"
    NOT_REQUIRED = "not required"

    @property
    def rank(self) -> int:
        """Worst first, for sorting: missing, overdue, due soon, in date, not required."""
        return _RANK[self]

    @property
    def needs_action(self) -> bool:
        """Overdue or missing: late now, not just coming up."""
        return self in (Level.OVERDUE, Level.MISSING)

    @property
    def compliant(self) -> bool:
        """In date or due soon: it counts as done today."""
        return self in (Level.IN_DATE, Level.DUE_SOON)


_RANK = {
    Level.MISSING: 0,
    Level.OVERDUE: 1,
    Level.DUE_SOON: 2,
    Level.IN_DATE: 3,
    Level.NOT_REQUIRED: 4,
}


@dataclass(frozen=True)
class Due:
    """A level and the date it turns on (None: nothing is due)."""

    level: Level
    due_on: dt.date | None


def level_of(due_on: dt.date | None, today: dt.date, window_days: int) -> Level:
    """The level of something due on ``due_on``: the one comparison every area uses.

    Overdue once the due date has passed; due soon from ``window_days`` before it up to and
    including the day itself (due today is due soon, not overdue); in date before that, or when
    nothing is due (``None``).
    """
    if due_on is None:
        return Level.IN_DATE
    if due_on < today:
        return Level.OVERDUE
    if (due_on - today).days <= window_days:
        return Level.DUE_SOON
    return Level.IN_DATE


def due(
    last_done: dt.date | None,
    every_months: int | None,
    *,
    window_days: int,
    today: dt.date,
    required: bool = True,
    first_due: dt.date | None = None,
    override: dt.date | None = None,
) -> Due:
    """The level and due date of something done ``every_months`` (None: it does not recur).

    The due date is ``override`` when given (a date set by hand, or worked out by the area, e.g.
    an expiry or the next probation milestone); else, if it has never been done, ``first_due``;
    else ``last_done`` + ``every_months`` (month ends clamp: 31 Jan + 1 month is 28/29 Feb).

    - not ``required``: not required, nothing due;
    - never done, and either nothing says when it is first due or that date has passed: missing;
    - otherwise by the due date (:func:`level_of`); done and not recurring: in date.
    """
    if not required:
        return Due(Level.NOT_REQUIRED, None)
    if override is not None:
        due_on: dt.date | None = override
    elif last_done is None:
        due_on = first_due
    elif every_months is not None:
        due_on = add_months(last_done, every_months)
    else:
        due_on = None
    if last_done is None and (due_on is None or due_on < today):
        return Due(Level.MISSING, due_on)
    return Due(level_of(due_on, today, window_days), due_on)


@dataclass(frozen=True)
class LevelStyle:
    """How a level looks everywhere: grids, PDFs, spreadsheets (and later the dashboard)."""

    word: str  # lower case, as in a sentence: "due soon"
    mark: str  # short, for a spreadsheet or PDF cell: "Due"
    colour: str  # "#rrggbb" for the icon and text
    fill: str  # "#rrggbb" for a cell background
    icon: str  # qtawesome name; its shape tells the levels apart without colour


LEVEL_STYLE: Mapping[Level, LevelStyle] = MappingProxyType(
    {
        Level.IN_DATE: LevelStyle("in date", "OK", "#2e7d32", "#dff0e0", "fa5s.check-circle"),
        Level.DUE_SOON: LevelStyle("due soon", "Due", "#b26a00", "#ffe8c2", "fa5s.clock"),
        Level.OVERDUE: LevelStyle("overdue", "Overdue", "#c62828", "#ffd3d6", "fa5s.times-circle"),
        Level.MISSING: LevelStyle(
            "missing", "Missing", "#c62828", "#f6b3b3", "fa5s.exclamation-circle"
        ),
        Level.NOT_REQUIRED: LevelStyle(
            "not required", "n/a", "#607d8b", "#f1f3f5", "fa5s.minus-circle"
        ),
    }
)

# The familiar word an area uses for a level, where it differs (keys: area names).
AREA_WORDS: Mapping[str, Mapping[Level, str]] = MappingProxyType(
    {
        "training": {Level.OVERDUE: "expired"},
        "supervision": {Level.MISSING: "never done"},
        "audits": {Level.MISSING: "never done", Level.NOT_REQUIRED: "not started"},
        "people": {
            Level.MISSING: "no current plan",
            Level.OVERDUE: "review overdue",
            Level.DUE_SOON: "review due soon",
            Level.NOT_REQUIRED: "ended",
        },  # care plan and risk assessment reviews
    }
)


def word(level: Level, area: str = "") -> str:
    """What ``level`` is called in ``area`` (lower case): 'expired' in training, else 'overdue'."""
    return AREA_WORDS.get(area, {}).get(level) or LEVEL_STYLE[level].word


def mark(level: Level, area: str = "") -> str:
    """The short cell text: the area's own word when it has one ('Expired'), else 'Due', 'n/a'…"""
    own = AREA_WORDS.get(area, {}).get(level)
    return own.capitalize() if own else LEVEL_STYLE[level].mark
