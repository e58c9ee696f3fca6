"""England and Wales bank holidays, from a table shipped in ``resources/`` for the years a
complaint's deadlines fall in, and from the ``holidays`` library outside them.

The library finds a country by importing all of its 250 countries (about a quarter of a second),
which held up the first page of the app; the table is the library's own answer, written out by
``python -m provider_desk.areas.complaints.bank_holidays``, and a test checks that the two still
agree (run that command after upgrading ``holidays``, or when a new bank holiday is announced).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from provider_desk.resources import RESOURCES_DIR, load_json

TABLE = "bank_holidays_england_wales.json"
FIRST_YEAR, LAST_YEAR = 2000, 2060
"""The years the table holds."""


def from_library(year: int) -> frozenset[dt.date]:
    """The bank holidays of ``year`` as the ``holidays`` library gives them (slow to import)."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


@cache
def _table() -> dict[int, frozenset[dt.date]]:
    data = load_json(TABLE)
    by_year: dict[int, set[dt.date]] = {y: set() for y in range(data["first"], data["last"] + 1)}
    for text in data["dates"]:
        day = dt.date.fromisoformat(text)
        by_year[day.year].add(day)
    return {year: frozenset(days) for year, days in by_year.items()}


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in ``year`` (substitute days included)."""
    table = _table()
    return table[year] if year in table else from_library(year)


def write_table() -> None:
    """Write the table from the ``holidays`` library installed."""
    from importlib.metadata import version

    days = sorted(d for y in range(FIRST_YEAR, LAST_YEAR + 1) for d in from_library(y))
    data = {
        "about": "England and Wales bank holidays, written by "
        "`python -m provider_desk.areas.complaints.bank_holidays` from holidays "
        f"{version('holidays')}",
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
        "dates": [d.isoformat() for d in days],
    }
    (RESOURCES_DIR / TABLE).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    write_table()
