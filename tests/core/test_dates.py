"""Dates are read day-first, whatever form they come in, and shown as 22 Nov 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provider_desk.rules.dates import DateParseError, add_months, format_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22/11/2026", dt.date(2026, 11, 22)),
        ("3/4/2025", dt.date(2025, 4, 3)),
        ("03-04-25", dt.date(2025, 4, 3)),
        ("03.04.2025", dt.date(2025, 4, 3)),
        ("2026-11-22", dt.date(2026, 11, 22)),
        ("2026-11-22 00:00:00", dt.date(2026, 11, 22)),
        ("22 Nov 2026", dt.date(2026, 11, 22)),
        ("22 November 2026", dt.date(2026, 11, 22)),
        ("  1 sept 2025 ", dt.date(2025, 9, 1)),
        (46348, dt.date(2026, 11, 22)),  # an Excel serial number
        (dt.datetime(2026, 11, 22, 9, 30), dt.date(2026, 11, 22)),
        ("", None),
        (None, None),
    ],
)
def test_accepts_what_managers_type(text: object, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2025",
        "Booked 14/12",
        "Expired",
        "2025",
        "13/13/2025",
        "32 Jan 2025",
        "1 Foo 2025",
        "Completed",
    ],
)
def test_rejects_what_is_not_a_date(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text)
    assert str(info.value)  # always a sentence to show


def test_shown_the_british_way() -> None:
    assert format_date(dt.date(2026, 11, 22)) == "22 Nov 2026"
    assert format_date(dt.date(2026, 1, 5)) == "5 Jan 2026"
    assert format_date(None, "—") == "—"


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 12, 31)))
def test_every_shown_and_typed_form_reads_back(day: dt.date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 23), 14) == dt.date(2028, 1, 23)


@pytest.mark.parametrize(
    "text",
    ["14/03/2025", "4/3/2025", "2025-03-14", "2025-3-14", "14/03/2025\n", "2025-03-14\n",
     "30/02/2025", "2025-02-30", "2025-13-01", "00/01/2025", " 14/03/2025", "2025-03-14 00:00"],
)  # fmt: skip
def test_a_spreadsheet_cell_reads_as_parse_date_reads_it(text: str) -> None:
    """Plain day/month/year and ISO cells take a quick path (remembered per text): the same
    date, or the same message, as the careful one, twice over."""
    from provider_desk.tabular.read import _tidy_text_date, cell_date

    try:
        expected: dt.date | str | None = parse_date(_tidy_text_date(text))
    except DateParseError as exc:
        expected = str(exc)
    for _ in range(2):
        try:
            got: dt.date | str | None = cell_date(text)
        except DateParseError as exc:
            got = str(exc)
        assert got == expected
