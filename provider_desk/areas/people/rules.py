"""NHS numbers, risk scores, planned hours, review dates and statuses for people we support.

Computed, never stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from provider_desk.errors import Problem
from provider_desk.rules.dates import add_months
from provider_desk.settings.models import MAX_REVIEW_MONTHS

FIRST_REVIEW_WEEKS = 6  # NICE QS123 statement 5: within 6 weeks of starting
# Short-term services QS123 does not cover (regulation.md §6.2): reviewed at the end of the period.
SHORT_TERM_SERVICES = frozenset({"reablement"})
# The usual reablement period: the charging rules' first 6 weeks (regulation.md §6.5). The real
# period is set per person: put its end as the plan's review date when it differs.
REABLEMENT_PERIOD_WEEKS = 6
STATUSES = ("active", "in hospital", "ended")
SERVICE_TYPES = ("long-term", "reablement")
CONSENT_BY = ("person", "representative")
MCA_OUTCOMES = ("has capacity", "lacks capacity")
GOAL_OUTCOMES = ("achieved", "partly achieved", "not achieved")
MAX_AGE_YEARS = 120


def normalise_nhs_number(text: str | None) -> str:
    """Digits only: '943 476 5919' and '943-476-5919' become '9434765919'."""
    return re.sub(r"[\s\-]", "", text or "")


def nhs_number_from_cell(value: object) -> str:
    """An NHS number as read from a spreadsheet cell, digits only.

    A spreadsheet that holds the number as a number drops its leading zeros (0123456789 is
    stored as 123456789), so a numeric cell is padded back to ten digits before the check-digit
    test; a text cell is taken as written.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return normalise_nhs_number(None if value is None else str(value))
    if isinstance(value, float) and not value.is_integer():
        return normalise_nhs_number(str(value))
    number = int(value)
    return f"{number:010d}" if 0 <= number < 10**10 else str(number)


def nhs_number_problem(field: str, text: str | None) -> Problem | None:
    """An NHS number is 10 digits whose last is a modulus 11 check digit."""
    digits = normalise_nhs_number(text)
    if not digits:
        return None
    if not re.fullmatch(r"\d{10}", digits):
        count = len(digits) if digits.isdigit() else None
        has = f"this has {count}" if count is not None else "this has other characters"
        hint = (
            " If it came from a spreadsheet, its leading zeros may have been lost: format the "
            "column as Text and type the number again, or import the .xlsx file (number cells "
            "there are padded back to 10 digits)."
            if count is not None and count < 10
            else ""
        )
        return Problem(
            field,
            f"'{text}' is not an NHS number: an NHS number has 10 digits (e.g. 943 476 5919) "
            f"and {has}.{hint}",
        )
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return Problem(
            field,
            f"{format_nhs_number(digits)} is not a valid NHS number (its check digit is wrong): "
            "check it against a letter from the GP or hospital.",
        )
    return None


def format_nhs_number(digits: str | None) -> str:
    """'9434765919' -> '943 476 5919'."""
    if not digits or len(digits) != 10:
        return digits or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


@dataclass(frozen=True)
class Visit:
    """A planned visit: which days, what time, how long, how many carers."""

    days: tuple[str, ...]
    time: str
    minutes: int
    carers: int = 1


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_days(text: str) -> tuple[str, ...] | None:
    """Days as people write them: 'Every day', 'Mon-Fri', 'Weekends', 'Mon, Wed, Fri'.

    None if a day is not recognised.
    """
    t = text.strip().lower().replace("–", "-")
    if t in ("every day", "daily", "all week", "7 days", "mon-sun"):
        return DAYS
    if t in ("weekdays", "mon-fri"):
        return DAYS[:5]
    if t in ("weekends", "weekend", "sat-sun", "sat, sun"):
        return DAYS[5:]
    found: list[str] = []
    for part in re.split(r"[,\s/&]+", t):
        if not part or part == "and":
            continue
        day = next((d for d in DAYS if part.startswith(d.lower())), None)
        if day is None:
            return None
        if day not in found:
            found.append(day)
    return tuple(d for d in DAYS if d in found) or None


def planned_hours(visits: Sequence[Visit]) -> float:
    """Care hours a week (a two-carer visit counts twice), to one decimal place."""
    minutes = sum(len(v.days) * v.minutes * v.carers for v in visits)
    return round(minutes / 60, 1)


def visit_problems(visits: Sequence[Visit]) -> list[Problem]:
    """Every problem with the planned visits."""
    problems = []
    for n, v in enumerate(visits, start=1):
        if not v.days or any(d not in DAYS for d in v.days):
            problems.append(Problem("visits", f"Visit {n}: choose the days (Mon to Sun)."))
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v.time):
            problems.append(Problem("visits", f"Visit {n}: the time is like 08:30."))
        if not 5 <= v.minutes <= 24 * 60:
            problems.append(Problem("visits", f"Visit {n}: the length is 5 minutes to 24 hours."))
        if not 1 <= v.carers <= 4:
            problems.append(Problem("visits", f"Visit {n}: 1 to 4 carers."))
    return problems


def risk_score(likelihood: int, severity: int) -> int:
    """Likelihood (1-5) x severity (1-5)."""
    return likelihood * severity


def risk_level(score: int) -> str:
    """low (1-6) / medium (8-12) / high (15-25): the common 5x5 matrix bands."""
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


def plan_review_due(
    *,
    start_date: dt.date,
    reviews: Sequence[dt.date],
    interval_months: int,
    plan_from: dt.date | None = None,
    override: dt.date | None = None,
    service_type: str = "long-term",
) -> dt.date:
    """When the current care plan is next due for review.

    Long-term care (NICE QS123 statement 5): the first review within 6 weeks of the start of
    care, then at least every 12 months from the last review (``interval_months``, capped at
    :data:`MAX_REVIEW_MONTHS`).

    Reablement and other short-term services are outside QS123 (regulation.md §6.2): no 6-week
    first-review rule; they are reviewed at the end of the reablement period, which is
    :data:`REABLEMENT_PERIOD_WEEKS` after the start of care (or after the last review, when the
    period was extended at that review) unless the plan sets its own date.

    Which event starts which clock:
    - the first-review clock starts at the **start of care** and only there. Nothing restarts
      it: writing a new plan version does not (else re-versioning would postpone the first
      review forever), and once any review is held it is no longer used at all;
    - after a review, the interval runs from the **latest review**. A new plan version written
      after that review (typically because the review found the needs had changed) keeps that
      clock: it neither brings back the first-review date nor restarts anything;
    - ``override``, a date set by hand on the current plan (``plan_from`` is when that plan took
      effect), asks for an earlier review. A review held after the plan took effect answers it,
      and from then the interval runs from that review again, so a hand-set date never goes
      stale (it was the cause of "overdue since 22 May" staying after a review and a new
      version).

    ``reviews`` oldest first.
    """
    last = reviews[-1] if reviews else None
    reviewed_since_plan = last is not None and (plan_from is None or last > plan_from)
    if override is not None and not reviewed_since_plan:
        return override
    if service_type in SHORT_TERM_SERVICES:
        return (last or start_date) + dt.timedelta(weeks=REABLEMENT_PERIOD_WEEKS)
    if last is None:
        return start_date + dt.timedelta(weeks=FIRST_REVIEW_WEEKS)
    return add_months(last, min(interval_months, MAX_REVIEW_MONTHS))


def reablement_outcome(start_hours: float | None, end_hours: float | None) -> str:
    """'no ongoing care' / 'less care' / 'same care' / 'more care', or '' until both are known."""
    if start_hours is None or end_hours is None:
        return ""
    if end_hours == 0:
        return "no ongoing care"
    if end_hours < start_hours:
        return "less care"
    if end_hours == start_hours:
        return "same care"
    return "more care"
