"""Statuses computed from dates and settings, never stored, so they cannot go stale."""

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


class CheckStatus(StrEnum):
    """Where one recruitment check stands (entered by the manager)."""

    OUTSTANDING = "outstanding"
    RECEIVED = "received"
    VERIFIED = "verified"
    NOT_APPLICABLE = "not applicable"

    @property
    def level(self) -> Level:
        """Outstanding is missing; received but not verified is due (amber: still to do)."""
        return _CHECK_LEVEL[self]


_CHECK_LEVEL = {
    CheckStatus.OUTSTANDING: Level.MISSING,
    CheckStatus.RECEIVED: Level.DUE_SOON,
    CheckStatus.VERIFIED: Level.IN_DATE,
    CheckStatus.NOT_APPLICABLE: Level.NOT_REQUIRED,
}


def check_level(status: str) -> Level:
    """The level of a check's status as stored (anything unknown needs nothing)."""
    try:
        return CheckStatus(status).level
    except ValueError:
        return Level.NOT_REQUIRED


class StaffStatus(StrEnum):
    """Employment status, as entered."""

    ACTIVE = "active"
    ON_LEAVE = "on leave"
    LEFT = "left"


class ContractType(StrEnum):
    """Contract types, with the ASC-WDS EMPLSTATUS code for each."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    BANK = "bank"
    AGENCY = "agency"
    OTHER = "other"

    @property
    def asc_wds_code(self) -> int:
        """ASC-WDS EMPLSTATUS: 1 Permanent, 2 Temporary, 3 Pool/Bank, 4 Agency, 7 Other."""
        return {"permanent": 1, "temporary": 2, "bank": 3, "agency": 4, "other": 7}[self.value]
