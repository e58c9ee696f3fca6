"""When a worker's next supervision, spot check, appraisal, probation review or competency
assessment is due, and how it stands today. Computed, never stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from provider_desk.rules.dates import add_months


class SessionStatus(StrEnum):
    """Where a worker stands for one kind of session."""

    IN_DATE = "in date"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    NEVER_DONE = "never done"
    NOT_REQUIRED = "not required"
    COMPLETE = "complete"  # probation: every review done


def next_due(
    *,
    start_date: dt.date,
    held: Sequence[dt.date],
    interval_months: int | None,
    milestones_months: Sequence[int] = (),
    override: dt.date | None = None,
) -> dt.date | None:
    """The next due date. ``held`` are the dates done, oldest first.

    Recurring kinds: last held + interval (first due: start + interval). Milestone kinds
    (probation at 1, 3, 6 months): the first milestone not yet covered by a review.
    ``override`` (a date the manager set on the last record) wins. None: nothing more is due.
    """
    if override is not None:
        return override
    if milestones_months:
        if len(held) >= len(milestones_months):
            return None
        return add_months(start_date, milestones_months[len(held)])
    if interval_months is None:
        return None
    return add_months(held[-1] if held else start_date, interval_months)


def session_status(
    *, required: bool, done_before: bool, due: dt.date | None, today: dt.date, window_days: int
) -> SessionStatus:
    """The status for one worker and kind on ``today``."""
    if not required:
        return SessionStatus.NOT_REQUIRED
    if due is None:
        return SessionStatus.COMPLETE
    if not done_before and due < today:
        return SessionStatus.NEVER_DONE
    if due < today:
        return SessionStatus.OVERDUE
    if (due - today).days <= window_days:
        return SessionStatus.DUE_SOON
    return SessionStatus.IN_DATE


NEEDS_ACTION = {SessionStatus.OVERDUE, SessionStatus.NEVER_DONE}
