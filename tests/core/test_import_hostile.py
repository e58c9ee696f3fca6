"""Odd and hostile files, fed to every importer: each gets a message a manager can act on, never a
traceback or exhausted memory, and the database is exactly as it was afterwards."""

from __future__ import annotations

import codecs
import csv
import io
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provider_desk.areas.opening import open_database
from provider_desk.areas.people.imports import FIELDS as PEOPLE_FIELDS
from provider_desk.areas.people.imports import import_people
from provider_desk.db.session import Database
from provider_desk.demo import generate
from provider_desk.errors import ValidationError
from provider_desk.tabular.read import (
    MAX_COLUMNS,
    MAX_ROWS,
    find_table,
    read_sheet,
    read_sheets,
)
from tests.conftest import TODAY
from tests.core.importing import IMPORTERS, change_log_length, dump

# A header each importer recognises, and a row with {name} and {date} in the right columns.
SHAPES: dict[str, tuple[str, str]] = {
    "staff": ("Name,Job role,Start date", "{name},Care worker,{date}"),
    "training": ("Name,Course,Completed on", "{name},Fire safety,{date}"),
    "supervisions": ("Name,Date,Supervisor", "{name},{date},Joanna Whitfield"),
    "people": ("Name,Start date,NHS number", "{name},{date},"),
    "complaints": ("Received on,Complainant,Summary", "{date},{name},Late visit"),
    "compliments": ("Received on,From,What was said", "{date},{name},Lovely carers"),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One demo provider for every odd file (each import must leave it exactly as it was)."""
    db, _ = open_database(
        str(tmp_path_factory.mktemp("hostile") / "demo.sqlite3"), user="t", create=True
    )
    generate(db, today=TODAY)
    yield db
    db.dispose()


def _text(kind: str, name: str = "Amy Smith", date: str = "31/02/2024") -> str:
    header, row = SHAPES[kind]
    return f"{header}\r\n{row.format(name=name, date=date)}\r\n"


def _xlsx_with_stray_cell(kind: str, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(SHAPES[kind][0].split(","))
    ws["XFD1048576"] = "stray"
    wb.save(path)


def _without_dimension(kind: str, path: Path) -> None:
    """A stray cell in a sheet that does not declare its size (as some generators write)."""
    import re

    _xlsx_with_stray_cell(kind, path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name in parts:
        if name.startswith("xl/worksheets/"):
            parts[name] = re.sub(rb"<dimension[^>]*/>", b"", parts[name])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def _data_rows(kind: str) -> list[list[str]]:
    return [line.split(",") for line in _text(kind).strip().split("\r\n")]


def _instructions_first(kind: str, path: Path) -> None:
    _workbook(path, {"Instructions": [["Fill in the next sheet"]], "Data": _data_rows(kind)})


def _empty_first(kind: str, path: Path) -> None:
    _workbook(path, {"Sheet1": [], "Data": _data_rows(kind)})


def _no_sheet_fits(kind: str, path: Path) -> None:
    _workbook(path, {"Instructions": [["Read me"]], "Notes": [["a", "b"], ["1", "2"]]})


def _truncated_xlsx(kind: str, path: Path) -> None:
    _xlsx_with_stray_cell(kind, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zip_not_a_workbook(_kind: str, path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("minutes/march.txt", "Team meeting notes")


# (file name, how to write it for an importer, words the message must contain or None if any).
ODD_FILES: list[tuple[str, Callable[[str, Path], None], str | None]] = [
    ("empty.csv", lambda k, p: p.write_bytes(b""), "is empty"),
    ("blank.csv", lambda k, p: p.write_text(" , ,\n\n ,\n", encoding="utf-8"), "no cells"),
    ("header-only.csv", lambda k, p: p.write_text(SHAPES[k][0] + "\n"), "no rows"),
    ("random.xlsx", lambda k, p: p.write_bytes(os.urandom(4096)), "cannot be read"),
    ("random.csv", lambda k, p: p.write_bytes(bytes(range(32)) * 64), "does not look like"),
    ("truncated.xlsx", _truncated_xlsx, "damaged, only partly copied"),
    ("archive.xlsx", _zip_not_a_workbook, "not an Excel workbook"),
    ("stray.xlsx", _xlsx_with_stray_cell, f"first {MAX_ROWS:,} rows"),
    ("stray-undeclared.xlsx", _without_dimension, "something in row 1,048,576"),
    ("instructions-first.xlsx", _instructions_first, "Read the worksheet 'Data'"),
    ("empty-first.xlsx", _empty_first, "Read the worksheet 'Data'"),
    (
        "no-sheet-fits.xlsx",
        _no_sheet_fits,
        "no sheet with the expected columns (sheets: 'Instructions', 'Notes')",
    ),
    (
        "unicode-text.txt",
        lambda k, p: p.write_bytes(_text(k).replace(",", "\t").encode("utf-16")),
        None,
    ),
    (
        "huge-cell.csv",
        lambda k, p: p.write_text(_text(k, name="A " + "x" * 140_000), encoding="utf-8"),
        "over 131,072 characters",
    ),
    ("utf16-bom.csv", lambda k, p: p.write_bytes(_text(k).encode("utf-16")), None),
    ("utf16.csv", lambda k, p: p.write_bytes(_text(k).encode("utf-16-le")), None),
    ("utf16-be.csv", lambda k, p: p.write_bytes(_text(k).encode("utf-16-be")), None),
    (
        "nul.csv",
        lambda k, p: p.write_text(_text(k, name="Zed\x00 Qu", date="01/02/2024")),
        None,
    ),
    (
        "long-surname.csv",
        lambda k, p: p.write_text(_text(k, name="Zed " + "Q" * 100_000, date="01/02/2024")),
        None,
    ),
    (
        "old.xls",
        lambda k, p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        None,
    ),
    (
        "protected.xlsx",
        lambda k, p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        "password-protected",
    ),
]


def _message(run: Callable[[], object]) -> str:
    """The message an import gives: its error, or what its report says was not done."""
    try:
        report = run()
    except ValidationError as exc:
        return exc.message
    from provider_desk.tabular.report import ImportReport

    assert isinstance(report, ImportReport)
    assert not report.has_changes, report.as_json()
    lines = [*report.notices, *(s.reason for s in report.skipped)]
    lines += [c.reason for c in report.conflicts]
    return "\n".join(lines)


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@pytest.mark.parametrize(("name", "write", "words"), ODD_FILES, ids=[f[0] for f in ODD_FILES])
def test_every_odd_file_gets_a_message_and_changes_nothing(
    demo_db: Database,
    tmp_path: Path,
    kind: str,
    name: str,
    write: Callable[[str, Path], None],
    words: str | None,
) -> None:
    path = tmp_path / name
    write(kind, path)
    before, log = dump(demo_db), change_log_length(demo_db)
    started = time.monotonic()
    message = _message(lambda: IMPORTERS[kind](demo_db, path))
    assert time.monotonic() - started < 10
    assert message.strip(), f"{kind} gave no message for {name}"
    assert "Traceback" not in message
    if words is not None:
        assert words in message
    assert change_log_length(demo_db) == log
    assert dump(demo_db) == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_as_text_not_nonsense(
    demo_db: Database, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(_text("staff", name="Zoë Brown").encode(encoding))
    report = IMPORTERS["staff"](demo_db, path)
    assert [(s.where, s.reason) for s in report.skipped] == [
        ("line 2", "Start date: '31/02/2024' is not a real date (check the day and month).")
    ]


def test_nul_and_long_names_are_refused_at_their_place(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        f"First name,Last name,Start date\nZed\x00,Qu,01/02/2024\nZed,{'Q' * 100_000},01/02/2024\n",
        encoding="utf-8",
    )
    report = import_people(demo_db, path, today=TODAY, dry_run=True)
    reasons = {s.where: s.reason for s in report.skipped}
    assert "invisible character" in reasons["line 2"]
    assert "100,000 characters long; the most allowed is 100" in reasons["line 3"]
    assert report.imported == 0


def test_many_columns_and_rows_stop_at_the_limits_and_say_so(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS + 20)) + "\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert len(sheet.rows[0]) == MAX_COLUMNS
    assert any(f"first {MAX_COLUMNS} columns" in n for n in sheet.notices)


def test_stray_cells_past_the_limits_are_noticed_whatever_size_the_sheet_declares(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stray.xlsx"
    _without_dimension("staff", path)
    (sheet,) = read_sheets(path)
    assert any("something in row 1,048,576" in n for n in sheet.notices)
    assert any("something in column XFD" in n for n in sheet.notices)
    assert sheet.rows == [["Name", "Job role", "Start date"]]


def test_a_people_file_without_a_header_names_the_columns_it_needs(
    demo_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("hello,world\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_people(demo_db, path, today=TODAY)
    assert "First name and Last name" in info.value.message
    assert "Start date" in info.value.message


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_a_map_naming_a_column_the_file_lacks_is_refused(
    demo_db: Database, tmp_path: Path, kind: str
) -> None:
    from provider_desk.areas import importers

    path = tmp_path / "file.csv"
    path.write_text(_text(kind), encoding="utf-8")
    importer = next(i for i in importers().values() if i.name == kind)
    with pytest.raises(ValidationError) as info:
        field = {"complaints": "category", "compliments": "channel"}.get(kind, "notes")
        importer.run(demo_db, path, today=TODAY, mapping={"Nope": field}, dry_run=True)
    assert "no column 'Nope' in the file; its columns are: " in info.value.message


def test_multi_line_cells_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('Name,Notes\nAmy,"one\ntwo\nthree"\nBob,x\n', encoding="utf-8")
    sheet = read_sheet(path)
    assert [sheet.place(r) for r in range(3)] == ["line 1", "line 2", "line 5"]


# --------------------------------------------------------------------------- property-based

_cell = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(',;\t"\r\n\x00\x1b é€😀'), max_size=12),
    st.sampled_from(["", " ", "N/A", "31/02/2024", "01/01/1900", "9434765919", "=1+1", "-"]),
)
_rows = st.lists(st.lists(_cell, max_size=8), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    rows=_rows,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]),
)
def test_the_reader_reads_any_rows_or_says_why(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    path = tmp_path_factory.mktemp("prop") / "rows.csv"
    path.write_bytes(data)
    try:
        sheet = read_sheet(path)
    except ValidationError as exc:
        assert exc.message and exc.field == "file"
        return
    try:
        table = find_table(sheet, PEOPLE_FIELDS)
    except ValidationError as exc:
        assert exc.message
        return
    for index, values in table.records():
        assert table.place(index).startswith("line ")
        assert set(values) <= {f.name for f in PEOPLE_FIELDS}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_cell, min_size=3, max_size=6), min_size=1, max_size=8))
def test_malformed_rows_under_a_good_header_never_crash_the_import(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Start date", "NHS number", "Date of birth", "Postcode", "Notes"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("prop") / "people.csv"
    path.write_bytes(codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"))
    before = change_log_length(demo_db)
    try:
        report = import_people(demo_db, path, today=TODAY, dry_run=True)
    except ValidationError as exc:
        assert exc.message
        return
    assert (
        report.imported
        + report.updated
        + report.unchanged
        + len(report.skipped)
        + len(report.conflicts)
        >= 0
    )
    for item in report.skipped:
        assert item.where.startswith("line ") and item.reason
    assert change_log_length(demo_db) == before


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_are_read_or_refused_with_a_message(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"file{suffix}"
    path.write_bytes(data)
    try:
        read_sheet(path)
    except ValidationError as exc:
        assert exc.message.startswith(path.name) or "no file" in exc.message
