"""Dates the British way: parsing what managers type or paste, and showing `22 Nov 2026`."""

from __future__ import annotations

import datetime as dt
import re

_UK = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?\s*$")
_WORDS = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\s*$")
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Excel's day zero for the 1900 date system (it counts the fictional 29 Feb 1900).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateParseError(ValueError):
    """Text that is not a date we can trust."""


def format_date(value: dt.date | None, empty: str = "") -> str:
    """Show a date as managers read it: ``22 Nov 2026``."""
    if value is None:
        return empty
    return f"{value.day} {_SHORT_MONTHS[value.month - 1]} {value.year}"


# English month names whatever the machine's locale (strftime's %b follows it once Qt sets it),
# and ten times quicker than strftime: imports and PDFs show thousands of dates.
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_date(value: object) -> dt.date | None:
    """Read a date typed or pasted by a person, or taken from a spreadsheet cell.

    Accepts ``22/11/2026`` (day first, always), ``22-11-26``, ``2026-11-22``, ``22 Nov 2026``,
    ``datetime``/``date`` objects and Excel serial numbers. Blank gives ``None``.

    Raises:
        DateParseError: with a sentence saying what was wrong.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise DateParseError(f"{value} is not a date.")
    text = str(value).strip()
    if not text:
        return None
    for pattern, order in ((_UK, "dmy"), (_ISO, "ymd")):
        m = pattern.match(text)
        if m:
            a, b, c = (int(g) for g in m.groups())
            day, month, year = (a, b, c) if order == "dmy" else (c, b, a)
            if year < 100:
                year += 2000 if year < 70 else 1900
            return _make(day, month, year, text)
    m = _WORDS.match(text)
    if m:
        month_num = _MONTHS.get(m.group(2).lower())
        if month_num is None:
            raise DateParseError(f"'{text}' is not a date: '{m.group(2)}' is not a month.")
        return _make(int(m.group(1)), month_num, int(m.group(3)), text)
    raise DateParseError(f"'{text}' is not a date. Type it as day/month/year, e.g. 22/11/2026.")


def _make(day: int, month: int, year: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateParseError(f"'{text}' is not a real date (check the day and month).") from None


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
