"""Importing the spreadsheets managers really have: titles, merged cells, odd encodings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from provider_desk.areas.staff.exports import export_staff
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.staff.index import split_name
from provider_desk.areas.staff.queries import list_staff, staff_checks
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled
from tests.conftest import TODAY, new_staff


def ugly_workbook(path: Path) -> Path:
    """Two title rows, a merged title, a merged team cell, Excel dates and text dates."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Staff list"
    ws["A1"] = "Meadowbank Home Care — staff list"
    ws.merge_cells("A1:F1")
    ws["A2"] = "Printed 20/11/2026"
    ws.append([])
    ws.append(["Surname", "Forename", "Job Title", "Date Started", "Area", "DBS No.", "Shoe size"])
    ws.append(["Okafor", "Ngozi", "Carer", dt.datetime(2023, 3, 1), "North", "0012 3456 7890", 6])
    ws.append(["Nowak", "Ewa", "Senior Carer", "14/07/2022", "North", None, 5])
    ws.append(["Wiśniewska", "Magdalena", "Care worker", "31/02/2025", "South", None, 7])
    ws.append(["Hughes", "Dawn", "Astronaut", "01/01/2020", "South", None, 4])
    ws.append([None, None, None, None, None, None, None])
    ws.append(
        [
            "Begum",
            "Fatima",
            "care co-ordinator",
            dt.datetime(2023, 3, 13),
            "Town centre",
            "12345",
            5,
        ]
    )
    ws.merge_cells("E5:E6")  # 'North' merged over two people
    wb.save(path)
    return path


def test_ugly_xlsx_imports_what_it_can_and_says_where_the_rest_failed(
    db: Database, tmp_path: Path
) -> None:
    report = import_staff(db, ugly_workbook(tmp_path / "staff.xlsx"), today=TODAY)
    assert report.imported == 2
    by_where = {s.where: s.reason for s in report.skipped}
    assert "not a real date" in by_where["Staff list!D7"]
    assert "Astronaut" in by_where["Staff list!C8"]
    assert "12 digits" in by_where["Staff list!F10"]
    assert "Shoe size" in report.ignored_columns
    rows = {r.full_name: r for r in list_staff(db)}
    assert rows["Ngozi Okafor"].job_role == "Care worker"
    assert rows["Ngozi Okafor"].start_date == dt.date(2023, 3, 1)
    assert rows["Ewa Nowak"].team == "North"  # read through the merged cell
    assert rows["Ewa Nowak"].job_role == "Senior care worker"
    dbs = next(c for c in staff_checks(db, rows["Ngozi Okafor"].id) if c.kind == "dbs")
    assert (dbs.status, dbs.reference) == ("received", "001234567890")


def test_same_file_twice_adds_no_one_twice(db: Database, tmp_path: Path) -> None:
    path = ugly_workbook(tmp_path / "staff.xlsx")
    import_staff(db, path, today=TODAY)
    second = import_staff(db, path, today=TODAY)
    assert (second.imported, second.updated, second.unchanged) == (0, 0, 2)
    assert len(list_staff(db)) == 2


def test_dry_run_writes_nothing_but_reports_the_same(db: Database, tmp_path: Path) -> None:
    path = ugly_workbook(tmp_path / "staff.xlsx")
    dry = import_staff(db, path, today=TODAY, dry_run=True)
    assert list_staff(db, include_left=True) == []
    real = import_staff(db, path, today=TODAY)
    assert dry.as_json() | {"dry_run": False} == real.as_json()


def test_windows_csv_with_one_name_column_and_synonyms(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(
        "Staff Name;Role;Start;Contract;Employee ID\r\n"
        '"Brown, Zoë";Care worker;03/04/2024;Bank;W-17\r\n'
        "José Da Silva;Care worker;2024-05-06;perm;W-18\r\n"
        "Chloe van der Berg;Supervisor;1 June 2021;Zero hours;W-19\r\n".encode("cp1252")
    )
    report = import_staff(db, path, today=TODAY)
    assert report.imported == 2
    assert report.skipped[0].where == "line 4"
    assert "Zero hours" in report.skipped[0].reason
    rows = {r.full_name: r for r in list_staff(db)}
    assert rows["Zoë Brown"].contract_type == "bank"
    assert rows["Zoë Brown"].start_date == dt.date(2024, 4, 3)  # day first, always
    assert rows["José Da Silva"].asc_wds_worker_id == "W-18"


def test_utf8_bom_csv_and_name_particles(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "\ufeffName,Job role,Start date\nChloe van der Berg,Care worker,01/02/2024\n",
        encoding="utf-8",
    )
    assert import_staff(db, path, today=TODAY).imported == 1
    (row,) = list_staff(db)
    assert (row.first_name, row.last_name) == ("Chloe", "van der Berg")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith, Amy", ("Amy", "Smith")),
        ("Amy Smith", ("Amy", "Smith")),
        ("Mary Ann O'Brien", ("Mary Ann", "O'Brien")),
        ("  amy   smith ", ("amy", "smith")),
    ],
)
def test_names_in_either_order(text: str, expected: tuple[str, str]) -> None:
    assert split_name(text) == expected


def test_no_header_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("shopping list\nmilk,eggs\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_staff(db, path, today=TODAY)
    assert "No header row found" in info.value.message


def test_missing_required_column_names_it_and_map_fixes_it(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "First name,Last name,Grade,Began\nAmy,Smith,Care worker,01/02/2024\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        import_staff(db, path, today=TODAY)
    assert "Job role" in info.value.message
    report = import_staff(
        db, path, today=TODAY, mapping={"Grade": "job_role", "Began": "start_date"}
    )
    assert report.imported == 1
    with pytest.raises(ValidationError):
        import_staff(db, path, today=TODAY, mapping={"Grade": "shoe_size"})


def test_update_keeps_fields_the_file_does_not_have(db: Database, tmp_path: Path) -> None:
    new_staff(db, team="North", notes="Drives", asc_wds_worker_id="W1")
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Role,Start date,Contract\nAmy Smith,Senior care worker,08/01/2024,Permanent\n",
        encoding="utf-8",
    )
    report = import_staff(db, path, today=TODAY)
    assert (report.imported, report.updated) == (0, 1)
    (row,) = list_staff(db)
    assert (row.job_role, row.team, row.notes, row.asc_wds_worker_id) == (
        "Senior care worker",
        "North",
        "Drives",
        "W1",
    )


def test_a_bad_row_rolls_back_alone(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Role,Start date,Leaving date,Status\n"
        "Amy Smith,Care worker,01/02/2024,01/01/2024,left\n"
        "Bob Jones,Care worker,01/02/2024,,\n",
        encoding="utf-8",
    )
    report = import_staff(db, path, today=TODAY)
    assert report.imported == 1
    assert "before the start date" in report.skipped[0].reason
    assert report.skipped[0].where == "line 2"
    assert [r.full_name for r in list_staff(db, include_left=True)] == ["Bob Jones"]


def test_line_managers_are_linked_by_name(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Role,Start date,Line manager\n"
        "Amy Smith,Care worker,01/02/2024,Joanna Whitfield\n"
        "Joanna Whitfield,Registered manager,01/02/2020,\n"
        "Bob Jones,Care worker,01/02/2024,Nobody Here\n",
        encoding="utf-8",
    )
    report = import_staff(db, path, today=TODAY)
    rows = {r.full_name: r for r in list_staff(db)}
    assert rows["Amy Smith"].line_manager == "Joanna Whitfield"
    assert rows["Bob Jones"].line_manager == ""
    assert "Nobody Here" in report.skipped[0].reason


def test_cancel_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = ugly_workbook(tmp_path / "staff.xlsx")
    with pytest.raises(Cancelled):
        import_staff(db, path, today=TODAY, progress=lambda done, total, what: False)
    assert list_staff(db, include_left=True) == []


def test_export_then_import_round_trips(db: Database, tmp_path: Path) -> None:
    boss = new_staff(db, "Joanna", "Whitfield")
    new_staff(db, "Amy", "Smith", team="North", line_manager_id=boss, asc_wds_worker_id="W9")
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"staff{suffix}"
        assert export_staff(db, out) == 2
        report = import_staff(db, out, today=TODAY)
        assert (report.imported, report.updated, report.unchanged, report.skipped) == (0, 0, 2, [])


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
        ("broken.xlsx", b"PK not really a zip", "cannot be read"),
        ("staff.pdf", b"%PDF-1.4", "not a spreadsheet"),
        ("staff.txt", b"hello", "No header row found"),  # Excel's "Unicode Text" is read
    ],
)
def test_unreadable_files(
    db: Database, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as info:
        import_staff(db, path, today=TODAY)
    assert words in info.value.message


def test_matching_reads_the_register_once_however_many_share_a_start_date(
    db: Database, tmp_path: Path
) -> None:
    """Rows are matched against an index built once per import, not a query per row (one
    that fetched everyone with the row's start date made 3,000 new starters take a minute)."""
    from sqlalchemy import event

    path = tmp_path / "many.csv"
    lines = ["First name,Last name,Job role,Start date"]
    lines += [f"F{i},L{i},Care worker,01/01/2025" for i in range(150)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_staff(db, path, today=TODAY)
    reads: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM staff_member" in statement:
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        again = import_staff(db, path, today=TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert again.unchanged == 150
    assert len(reads) < 10


def test_a_second_person_of_the_same_name_is_added_with_a_notice(
    db: Database, tmp_path: Path
) -> None:
    new_staff(db, "Amy", "Smith")  # started 8 Jan 2024
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Job role,Start date\nAmy Smith,Care worker,09/01/2024\nBob Jones,Care worker,"
        "01/02/2024\n",
        encoding="utf-8",
    )
    report = import_staff(db, path, today=TODAY)
    assert report.imported == 2
    assert report.notices == [
        "line 2: there is already an Amy Smith (started 8 Jan 2024); this row adds another. If "
        "it is the same person, put their ASC-WDS worker id or start date right in the file."
    ]
