"""Training rules: when a completion expires, and a person's status for a course on a given day."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from provider_desk.rules.dates import add_months


class TrainingStatus(StrEnum):
    """A person's standing for one course."""

    IN_DATE = "in date"
    DUE_SOON = "due soon"
    EXPIRED = "expired"
    MISSING = "missing"
    NOT_REQUIRED = "not required"


def derived_expiry(completed_on: dt.date, refresher_months: int | None) -> dt.date | None:
    """The last day a completion counts: completed + interval - 1 day (as ASC-WDS derives it).

    ``None`` for courses that do not expire.
    """
    if refresher_months is None:
        return None
    return add_months(completed_on, refresher_months) - dt.timedelta(days=1)


def training_status(
    *,
    required: bool,
    completed_on: dt.date | None,
    expires_on: dt.date | None,
    today: dt.date,
    due_soon_days: int,
) -> TrainingStatus:
    """The status of a person's latest completion of a course.

    A completion that is not required still shows its real standing (it is evidence), but missing
    and not-required are told apart so compliance counts only what is required.
    """
    if completed_on is None:
        return TrainingStatus.MISSING if required else TrainingStatus.NOT_REQUIRED
    if expires_on is None:
        return TrainingStatus.IN_DATE
    if expires_on < today:
        return TrainingStatus.EXPIRED
    if (expires_on - today).days <= due_soon_days:
        return TrainingStatus.DUE_SOON
    return TrainingStatus.IN_DATE


COMPLIANT = {TrainingStatus.IN_DATE, TrainingStatus.DUE_SOON}
