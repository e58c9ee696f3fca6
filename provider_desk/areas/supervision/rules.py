"""When a worker's next supervision, spot check, appraisal, probation review or competency
assessment is due, and how it stands today. Computed, never stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from provider_desk.rules.dates import add_months
from provider_desk.rules.due import Due, due


def session_due(
    *,
    required: bool,
    start_date: dt.date,
    held: Sequence[dt.date],
    interval_months: int | None,
    milestones_months: Sequence[int] = (),
    override: dt.date | None = None,
    today: dt.date,
    window_days: int,
) -> Due:
    """Where a worker stands for one kind of session on ``today``, and when the next is due.

    ``held`` are the dates done, oldest first. Recurring kinds: last held + interval (first
    due: start + interval). Milestone kinds (probation at 1, 3, 6 months): the first milestone
    not yet covered by a review; all covered is complete (in date, nothing due). ``override`` (a
    date the manager set on the last record) wins. Never done once the first date has passed is
    :attr:`Level.MISSING` ('never done' in supervision's words).
    """
    last = held[-1] if held else None
    if milestones_months:
        left = milestones_months[len(held) :]
        override = override or (add_months(start_date, left[0]) if left else None)
        interval_months, first = None, None
    else:
        first = None if interval_months is None else add_months(start_date, interval_months)
    return due(
        last,
        interval_months,
        required=required,
        first_due=first,
        override=override,
        today=today,
        window_days=window_days,
    )
