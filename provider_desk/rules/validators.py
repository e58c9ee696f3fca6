"""Field checks shared by the services, importers and the CLI. Each returns a Problem or None."""

from __future__ import annotations

import datetime as dt
import re

from provider_desk.errors import Problem
from provider_desk.rules.dates import format_date

_DBS = re.compile(r"^\d{12}$")


def required(field: str, value: str | None, label: str) -> Problem | None:
    """Blank text is not allowed."""
    if value is None or not str(value).strip():
        return Problem(field, f"{label} is required.")
    return None


def not_in_future(field: str, value: dt.date | None, today: dt.date, label: str) -> Problem | None:
    """A date of something that has happened cannot be after today."""
    if value is not None and value > today:
        return Problem(
            field, f"{label} ({format_date(value)}) is in the future. Use today's date or earlier."
        )
    return None


def not_before(
    field: str, value: dt.date | None, earliest: dt.date | None, label: str, other: str
) -> Problem | None:
    """``value`` must be on or after ``earliest``."""
    if value is not None and earliest is not None and value < earliest:
        return Problem(
            field,
            f"{label} ({format_date(value)}) is before {other} ({format_date(earliest)}).",
        )
    return None


def normalise_dbs_number(text: str) -> str:
    """DBS certificate numbers are printed in groups; keep only the digits."""
    return re.sub(r"[\s\-]", "", text or "")


def dbs_certificate_number(field: str, text: str) -> Problem | None:
    """A DBS certificate number is exactly 12 digits."""
    digits = normalise_dbs_number(text)
    if digits and not _DBS.match(digits):
        return Problem(
            field,
            f"'{text}' is not a DBS certificate number: it must be 12 digits "
            "(printed at the top right of the certificate).",
        )
    return None


def raise_if(problems: list[Problem | None]) -> None:
    """Raise one ValidationError listing every problem found."""
    from provider_desk.errors import ValidationError

    found = [p for p in problems if p is not None]
    if found:
        raise ValidationError(found)
