"""Training rules: when a completion expires, and a person's status for a course on a given day."""

from __future__ import annotations

import datetime as dt

from provider_desk.rules.dates import add_months
from provider_desk.rules.due import Level, due, level_of

_DAY = dt.timedelta(days=1)


def derived_expiry(completed_on: dt.date, refresher_months: int | None) -> dt.date | None:
    """The last day a completion counts: completed + interval - 1 day (as ASC-WDS derives it).

    ``None`` for courses that do not expire.
    """
    if refresher_months is None:
        return None
    return add_months(completed_on, refresher_months) - _DAY


def training_status(
    *,
    required: bool,
    completed_on: dt.date | None,
    expires_on: dt.date | None,
    today: dt.date,
    due_soon_days: int,
) -> Level:
    """The level of a person's latest completion of a course (by the one due rule).

    The expiry is the due date: due soon up to and including the day it expires, expired
    (:attr:`Level.OVERDUE`, 'expired' in training's words) after it. A completion that is not
    required still shows its real standing (it is evidence), but missing and not-required are
    told apart so compliance counts only what is required.
    """
    if completed_on is not None:
        return completion_level(expires_on, today=today, due_soon_days=due_soon_days)
    return due(
        completed_on,
        None,
        override=expires_on,
        required=required or completed_on is not None,
        window_days=due_soon_days,
        today=today,
    ).level


def completion_level(expires_on: dt.date | None, *, today: dt.date, due_soon_days: int) -> Level:
    """The level of a recorded completion (required or not) that counts until ``expires_on``
    (None: it never expires): its expiry is its due date, judged by the one comparison
    (:func:`~provider_desk.rules.due.level_of`). What :func:`training_status` gives for any
    completion; the matrix calls it once per distinct expiry."""
    return level_of(expires_on, today, due_soon_days)
