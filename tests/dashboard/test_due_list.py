"""Who do I chase: an area's attention items as a due list, most urgent first, and written out."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from provider_desk.dashboard.due_list import due_rows, split_reference, write_due_list
from provider_desk.reading import Attention
from provider_desk.rules.due import Level

TODAY = dt.date(2026, 12, 3)


def item(reference: str, level: Level, due_on: dt.date | None, who: str = "") -> Attention:
    return Attention("training", reference, level, due_on, who, f"{reference} is {level}.")


ITEMS = [
    item("Amy Smith: Fire safety", Level.DUE_SOON, dt.date(2026, 12, 15), "Jo Bloggs"),
    item("Bob Jones: First aid", Level.OVERDUE, dt.date(2026, 11, 27), "Jo Bloggs"),
    item("Cat Lee: Safeguarding adults", Level.MISSING, None),
    item("Dan Roe: Moving and handling", Level.OVERDUE, dt.date(2026, 6, 1), "Sam Hill"),
    item("Eve Fox: Food hygiene", Level.DUE_SOON, dt.date(2026, 12, 3)),
]


def test_rows_put_the_longest_late_first_then_what_is_coming_soonest() -> None:
    rows = due_rows(ITEMS, TODAY)
    assert [r.person for r in rows] == ["Cat Lee", "Dan Roe", "Bob Jones", "Eve Fox", "Amy Smith"]
    assert [r.when for r in rows] == [
        "Missing",
        "185 days overdue",
        "6 days overdue",
        "Due today",
        "12 days left",
    ]
    assert rows[1].item == "Moving and handling" and rows[1].responsible == "Sam Hill"
    assert rows[1].attention is ITEMS[3]


def test_one_day_is_singular_and_a_reference_without_a_colon_keeps_the_sentence() -> None:
    (row,) = due_rows([item("CMP-2026-004", Level.OVERDUE, dt.date(2026, 12, 2))], TODAY)
    assert row.when == "1 day overdue"
    assert (row.person, row.item) == ("CMP-2026-004", "CMP-2026-004 is overdue.")
    assert split_reference("A B: C: D") == ("A B", "C: D")


def test_csv_has_days_overdue_and_left_in_their_own_columns(tmp_path: Path) -> None:
    out = tmp_path / "due.csv"
    n = write_due_list(
        due_rows(ITEMS, TODAY), out, area_title="Training", provider_name="P", today=TODAY
    )
    with out.open(encoding="utf-8-sig") as f:
        lines = list(csv.DictReader(f))
    assert n == 5 and [r["person"] for r in lines][:2] == ["Cat Lee", "Dan Roe"]
    assert (lines[1]["days_overdue"], lines[1]["days_left"]) == ("185", "")
    assert (lines[4]["days_overdue"], lines[4]["days_left"]) == ("", "12")
    assert lines[1]["due_on"] == "2026-06-01" and lines[0]["due_on"] == ""


def test_pdf_is_written(tmp_path: Path) -> None:
    out = tmp_path / "due.pdf"
    write_due_list(
        due_rows(ITEMS, TODAY), out, area_title="Training", provider_name="P", today=TODAY
    )
    assert out.read_bytes().startswith(b"%PDF")
