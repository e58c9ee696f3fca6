"""Where an action on the improvement plan stands: by the one due rule, or done."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from provider_desk.rules.due import Level, level_of


class ActionStatus(StrEnum):
    """Where an action on the improvement plan stands: a Level, or done."""

    OPEN = "open"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    DONE = "done"

    @property
    def level(self) -> Level:
        """Open is in date; done needs nothing more (not required)."""
        return _ACTION_LEVEL[self]


_ACTION_LEVEL = {
    ActionStatus.OPEN: Level.IN_DATE,
    ActionStatus.DUE_SOON: Level.DUE_SOON,
    ActionStatus.OVERDUE: Level.OVERDUE,
    ActionStatus.DONE: Level.NOT_REQUIRED,
}


def action_status(
    due_on: dt.date, completed_on: dt.date | None, today: dt.date, due_soon_days: int
) -> ActionStatus:
    """Done once completed; else by the due date (the one due rule): overdue, due soon or open."""
    if completed_on is not None:
        return ActionStatus.DONE
    level = level_of(due_on, today, due_soon_days)
    return {Level.OVERDUE: ActionStatus.OVERDUE, Level.DUE_SOON: ActionStatus.DUE_SOON}.get(
        level, ActionStatus.OPEN
    )
