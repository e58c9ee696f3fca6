"""Field checks shared by the services, importers and the CLI. Each returns a Problem or None."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from provider_desk.errors import Problem
from provider_desk.rules.dates import format_date

_DBS = re.compile(r"^\d{12}$")

NAME_MAX = 100
"""Names (first, last, preferred), teams, relationships: the width of their columns."""
SHORT_TEXT_MAX = 200
"""One-line text such as a complainant's name or a place."""
LONG_TEXT_MAX = 20_000
"""Notes, addresses, summaries: several pages of text, far more than any form needs."""
_LINE_BREAKS = frozenset("\n\r\t")
EARLIEST_DATE = dt.date(1950, 1, 1)
"""Nothing a provider records (a course, an expiry) happened before this: an earlier date is a
typing slip, such as the year 0202 for 2020, which exports would write as ``01/05/202``."""


def text(
    field: str, value: str | None, label: str, *, max_len: int, multiline: bool = False
) -> Problem | None:
    """Text that fits its column and holds no invisible control characters.

    A NUL byte or an escape code pasted from another program cannot be seen on screen or in a
    printout, so it is refused rather than saved; line breaks and tabs are allowed only where
    the field is several lines long.
    """
    value = (value or "").strip()
    if not value:
        return None
    allowed = _LINE_BREAKS if multiline else frozenset()
    for i, ch in enumerate(value):
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
            what = "a line break" if ch in _LINE_BREAKS else f"an invisible character ({ch!r})"
            return Problem(
                field,
                f"{label} contains {what} at character {i + 1}: retype it, or copy it from "
                "plain text.",
            )
    length = len(value)
    if length > max_len:
        return Problem(
            field, f"{label} is {length:,} characters long; the most allowed is {max_len:,}."
        )
    return None


def utf16_length(value: str) -> int:
    """The length of ``value`` as JavaScript counts it (UTF-16 code units): what web services
    written in JavaScript, such as ASC-WDS, compare with their limits. An emoji or any other
    character beyond the Basic Multilingual Plane counts as two."""
    return len(value.encode("utf-16-le")) // 2


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


def plausible_date(field: str, value: dt.date | None, label: str) -> Problem | None:
    """A recorded date is on or after :data:`EARLIEST_DATE`; a short year is asked again."""
    if value is None or value >= EARLIEST_DATE:
        return None
    typed = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if value.year < 1000:
        return Problem(
            field,
            f"{label} ({typed}) has the year {value.year:04d}: type all four digits of the "
            "year, e.g. 22/11/2026.",
        )
    return Problem(
        field,
        f"{label} ({typed}) is before {EARLIEST_DATE.year}: check the year.",
    )


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
