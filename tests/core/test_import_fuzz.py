"""Fuzzed imports (issue 19, "Reliability tests"): every importer — staff, training (one row per
completion, and a matrix), supervision, people, complaints, compliments — is fed files hypothesis
makes: random bytes, wrong encodings (UTF-16, Windows-1252 with £ and smart quotes, a BOM), huge
cells (up to 1 MB), formulas, thousands of columns, truncated workbooks and workbooks that claim
to be enormous. Never a crash or a traceback, always a report or a message, and a failed import
writes nothing (every table and the change log compared before and after).

The default run is short (``PROVIDER_DESK_FUZZ_EXAMPLES``, 6 drawn examples, and each kind of
file once); the ``slow`` marker runs a bigger profile (200 drawn examples, and every kind of file
with every importer)."""

from __future__ import annotations

import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from provider_desk.areas.complaints.imports import import_complaints, import_compliments
from provider_desk.areas.opening import open_database
from provider_desk.areas.people.imports import import_people
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.supervision.imports import import_supervisions
from provider_desk.areas.training.imports import import_training
from provider_desk.cli import describe_report
from provider_desk.db.session import Database
from provider_desk.errors import StorageError, ValidationError
from provider_desk.tabular.report import ImportReport
from tests.conftest import TODAY, new_staff
from tests.core.importing import change_log_length, dump

EXAMPLES = int(os.environ.get("PROVIDER_DESK_FUZZ_EXAMPLES", "6"))
SLOW_EXAMPLES = 200

Run = Callable[[Database, Path], ImportReport]
IMPORTS: dict[str, tuple[Run, list[str]]] = {
    # kind: (the import, a header it recognises)
    "staff": (lambda db, p: import_staff(db, p, today=TODAY), ["Name", "Job role", "Start date"]),
    "training": (
        lambda db, p: import_training(db, p, today=TODAY),
        ["Name", "Course", "Completed on"],
    ),
    "training-matrix": (
        lambda db, p: import_training(db, p, today=TODAY, create_staff=True),
        ["Name", "Fire safety", "Moving and handling", "Safeguarding adults"],
    ),
    "supervisions": (
        lambda db, p: import_supervisions(db, p, today=TODAY),
        ["Name", "Date", "Supervisor", "Notes"],
    ),
    "people": (
        lambda db, p: import_people(db, p, today=TODAY),
        ["Name", "Start date", "NHS number", "Date of birth"],
    ),
    "complaints": (
        lambda db, p: import_complaints(db, p, today=TODAY),
        ["Received on", "Complainant", "Summary"],
    ),
    "compliments": (
        lambda db, p: import_compliments(db, p, today=TODAY),
        ["Received on", "From", "What was said"],
    ),
}

_cells = st.one_of(
    st.text(max_size=24),
    st.sampled_from(
        [
            "Amy Smith",
            "Joanna Whitfield",
            "Zoë O’Brien",
            "£25 “quoted” ‘single’ – dash…",
            "01/02/2024",
            "31/02/2024",
            "2024-02-01",
            "N/A",
            "9434765919",
            "=1+1",
            '=HYPERLINK("http://evil.example","Click")',
            "=cmd|' /C calc'!A0",
            "+44 7700 900123",
            "-",
            "@SUM(A1)",
            "\tTab",
            "\x00",
            "\u202eevil",
            "😀",
        ]
    ),
    # Huge cells: over a CSV cell's limit, and 1 MB.
    st.sampled_from([40_000, 140_000, 1_000_000]).map(lambda n: "x" * n),
)
_rows = st.lists(st.lists(_cells, max_size=6), max_size=6)


def _csv_bytes(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        # A workbook cannot hold control characters; text beginning "=" becomes a formula.
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v)[:32_767] for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, change(name, src.read(name)), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _claims_to_be_huge(data: bytes) -> bytes:
    """A sheet that declares the whole grid (A1:XFD1048576) and merges all of it."""

    def change(name: str, xml: bytes) -> bytes:
        if not name.startswith("xl/worksheets/sheet"):
            return xml
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
        return xml.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        )

    return _rezip(data, change)


@st.composite
def hostile_files(draw: st.DrawFn, header: list[str]) -> tuple[str, bytes]:
    """(suffix, bytes) of a file an importer might be given."""
    rows = [header, *draw(_rows)]
    form = draw(st.sampled_from(["csv", "xlsx", "bytes", "wide", "truncated", "huge"]))
    if form == "csv":
        encoding = draw(
            st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
        )
        delimiter = draw(st.sampled_from([",", ";", "\t"]))
        return ".csv", _csv_bytes(rows, delimiter, encoding)
    if form == "bytes":
        return draw(st.sampled_from([".csv", ".xlsx", ".txt"])), draw(st.binary(max_size=4096))
    if form == "wide":  # thousands of columns
        width = draw(st.sampled_from([501, 3000, 16_384]))
        wide = [header + [f"c{i}" for i in range(width)], *rows[1:]]
        if draw(st.booleans()):
            return ".csv", _csv_bytes(wide, ",", "utf-8")
        return ".xlsx", _xlsx_bytes([[*r[:600]] for r in wide])
    data = _xlsx_bytes(rows)
    if form == "truncated":
        return ".xlsx", data[: draw(st.integers(0, len(data) - 1))]
    if form == "huge":
        return ".xlsx", _claims_to_be_huge(data)
    return ".xlsx", data


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A provider with two staff members (so rows can match someone)."""
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
    db, _ = open_database(str(path), user="t", create=True)
    new_staff(db, "Amy", "Smith")
    new_staff(db, "Joanna", "Whitfield")
    yield db
    db.dispose()


def _import_and_check(db: Database, folder: Path, kind: str, suffix: str, data: bytes) -> None:
    """Run the import on the file and check what it says and what it wrote."""
    run, _ = IMPORTS[kind]
    path = folder / f"file{suffix}"
    path.write_bytes(data)
    before, log = dump(db), change_log_length(db)
    try:
        report = run(db, path)
    except (ValidationError, StorageError) as exc:
        message = str(exc)
        assert message.strip(), f"{kind}: an empty message"
        assert "Traceback" not in message
        if isinstance(exc, ValidationError):
            assert all(p.message.strip() for p in exc.problems)
        assert change_log_length(db) == log and dump(db) == before, f"{kind}: wrote on failure"
        return
    # What the manager is told (the app's preview shows the same): the totals, then why.
    totals, *said = describe_report(report)
    done = report.imported + report.updated + report.unchanged + len(report.conflicts)
    assert totals.startswith("Imported ")
    assert done or said, f"{kind}: nothing imported and nothing said why"
    assert all("Traceback" not in line for line in said)
    if not report.has_changes:
        assert change_log_length(db) == log and dump(db) == before, f"{kind}: wrote nothing?"
    else:
        assert change_log_length(db) > log


_fuzz = given(
    data=st.data(),
    kind=st.sampled_from(sorted(IMPORTS)),
)
_health = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=_health)
@_fuzz
def test_every_importer_survives_hostile_files(
    small_db: Database, tmp_path_factory: pytest.TempPathFactory, data: Any, kind: str
) -> None:
    suffix, content = data.draw(hostile_files(IMPORTS[kind][1]))
    _import_and_check(small_db, tmp_path_factory.mktemp("f"), kind, suffix, content)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=_health)
@_fuzz
def test_every_importer_survives_hostile_files_at_length(
    small_db: Database, tmp_path_factory: pytest.TempPathFactory, data: Any, kind: str
) -> None:
    suffix, content = data.draw(hostile_files(IMPORTS[kind][1]))
    _import_and_check(small_db, tmp_path_factory.mktemp("f"), kind, suffix, content)


# Each importer at least once with each kind of hostile file, whatever hypothesis draws.
FIXED: dict[str, Callable[[list[str]], tuple[str, bytes]]] = {
    "cp1252": lambda h: (
        ".csv",
        _csv_bytes([h, ["Zoë O’Brien", "£25 “quoted”", "01/02/2024"]], ",", "cp1252"),
    ),
    "utf16-bom": lambda h: (".csv", _csv_bytes([h, ["Amy Smith", "01/02/2024"]], "\t", "utf-16")),
    "utf8-bom": lambda h: (".csv", _csv_bytes([h, ["=1+1", "+44 1", "@x"]], ",", "utf-8-sig")),
    "1mb-cell": lambda h: (".csv", _csv_bytes([h, ["x" * 1_000_000] * 2], ",", "utf-8")),
    "1mb-cell.xlsx": lambda h: (".xlsx", _xlsx_bytes([h, ["Amy Smith", "y" * 1_000_000]])),
    "formulas.xlsx": lambda h: (".xlsx", _xlsx_bytes([h, ['=HYPERLINK("x","y")', "=1+1"]])),
    "3000-columns": lambda h: (
        ".csv",
        _csv_bytes([h + [f"c{i}" for i in range(3000)], ["Amy Smith"] * 3003], ",", "utf-8"),
    ),
    "truncated.xlsx": lambda h: (".xlsx", _xlsx_bytes([h, ["Amy Smith"]])[:700]),
    "huge-dimension.xlsx": lambda h: (".xlsx", _claims_to_be_huge(_xlsx_bytes([h, ["Amy"]]))),
    "random.xlsx": lambda h: (".xlsx", bytes(range(256)) * 8),
}


# The default run gives each kind of file to one importer in turn (every importer gets some);
# the slow run gives every kind to every importer.
ONCE = list(zip(sorted(FIXED), itertools.cycle(sorted(IMPORTS)), strict=False))


@pytest.mark.parametrize(("name", "kind"), ONCE)
def test_each_kind_of_hostile_file_once(
    small_db: Database, tmp_path: Path, kind: str, name: str
) -> None:
    suffix, content = FIXED[name](IMPORTS[kind][1])
    _import_and_check(small_db, tmp_path, kind, suffix, content)


def test_the_default_run_gives_every_importer_a_hostile_file() -> None:
    assert {kind for _, kind in ONCE} == set(IMPORTS)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(IMPORTS))
@pytest.mark.parametrize("name", sorted(FIXED))
def test_each_importer_meets_each_kind_of_hostile_file(
    small_db: Database, tmp_path: Path, kind: str, name: str
) -> None:
    suffix, content = FIXED[name](IMPORTS[kind][1])
    _import_and_check(small_db, tmp_path, kind, suffix, content)
