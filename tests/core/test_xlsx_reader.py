"""XLSX files are read with python-calamine; every cell comes out as the openpyxl reader gave it
(dates, Excel serial dates, text dates, numbers, blanks, merged and hidden cells), and a sheet
that reaches far (a stray cell) is still streamed by openpyxl with its notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from provider_desk.tabular import read
from provider_desk.tabular.read import Sheet, cell_date, read_sheets


def _openpyxl_sheets(path: Path) -> list[Sheet]:
    """The sheets as the openpyxl reader alone reads them (the reader before calamine)."""
    book = read._open_streamed(path)
    try:
        return [read._read_worksheet(path, ws) for ws in book.worksheets]
    finally:
        book.close()


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Training"
    ws.append(["Training matrix, December 2026"])
    ws.append([])
    ws.append(["Name", "Team", "Fire safety", None, "Moving and handling", None])
    ws.append([None, None, "Completed", "Expires", "Completed", "Expires"])
    ws.merge_cells("C3:D3")  # a merged course heading over its two sub-headings
    ws.merge_cells("E3:F3")
    ws.append(
        [
            "Amy Shaw",
            "North",
            dt.datetime(2025, 3, 14),
            "14/03/2026",  # a text date
            45000,  # a number formatted as a date below: an Excel serial date
            2.5,
        ]
    )
    ws["E5"].number_format = "dd/mm/yyyy"
    ws.append(["Ben Ode", None, "14th March 2025", "n/a", 1, True])
    ws.append(["Cara Lim", "South", dt.datetime(2025, 3, 14, 9, 30), "", " B2 ", 0.1])
    ws.merge_cells("B6:B7")  # a merged team cell: the value fills both rows
    ws["B6"] = "East"
    ws.column_dimensions["F"].hidden = True
    second = wb.create_sheet("Notes")
    second.append(["Read me", 2026, dt.date(2026, 1, 2)])
    wb.save(path)
    return path


def test_cells_come_out_as_the_openpyxl_reader_gave_them(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "matrix.xlsx")
    ours = list(read_sheets(path))
    before = _openpyxl_sheets(path)
    assert [s.name for s in ours] == ["Training", "Notes"]
    for got, expected in zip(ours, before, strict=True):
        assert got.rows == expected.rows
        assert [[type(v) for v in row] for row in got.rows] == [
            [type(v) for v in row] for row in expected.rows
        ]
        assert got.hidden_columns == expected.hidden_columns
        assert got.notices == expected.notices
    rows = ours[0].rows
    assert rows[2][2:6] == ["Fire safety"] * 2 + ["Moving and handling"] * 2  # merged heading
    assert rows[5][1] == rows[6][1] == "East"  # merged team cell
    assert ours[0].hidden_columns == frozenset({5})
    # Dates read the same whatever way the cell holds them.
    assert {cell_date(rows[4][2]), cell_date(rows[4][3]), cell_date(rows[5][2])} == {
        dt.date(2025, 3, 14),
        dt.date(2026, 3, 14),
    }
    assert cell_date(rows[4][4]) == dt.date(2023, 3, 15)  # serial 45000 as a date cell
    assert cell_date(rows[6][2]) == dt.date(2025, 3, 14)
    assert rows[5][4] == 1 and type(rows[5][4]) is int  # a whole number is an int, as before
    assert rows[6][3] is None  # a blank cell
    assert rows[6][4] == " B2 "  # spaces kept, as before (the readers strip them)


def test_a_stray_cell_far_away_is_streamed_not_loaded_whole(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "Course"])
    ws.append(["Amy Shaw", "Fire safety"])
    ws["RZ99990"] = "stray"  # inside the limits, but a rectangle of 49 million cells
    path = tmp_path / "stray.xlsx"
    wb.save(path)
    assert read._quick_scan(path, "xl/worksheets/sheet1.xml") is None
    sheet = read.read_sheet(path)
    assert sheet.rows[:2] == [["Name", "Course"], ["Amy Shaw", "Fire safety"]]


@pytest.mark.parametrize("ref", ["A100001", "SG1", "XFD5"])
def test_cells_past_the_limits_send_the_sheet_to_the_streaming_reader(
    tmp_path: Path, ref: str
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "Course"])
    ws[ref] = "stray"
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert read._quick_scan(path, "xl/worksheets/sheet1.xml") is None
    assert read.read_sheet(path).notices  # the streaming reader says what it did not read
