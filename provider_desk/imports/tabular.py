"""Read the spreadsheets managers already have: CSV in any common encoding, XLSX with title rows,
merged cells and Excel dates. Find the header row and map columns to fields by name and synonym."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provider_desk.errors import Problem, ValidationError
from provider_desk.rules.dates import DateParseError, parse_date

HEADER_SCAN_ROWS = 25


def normalise(text: object) -> str:
    """Header text reduced to lowercase letters and digits (``Start Date:`` -> ``startdate``)."""
    t = str(text or "").lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]", "", t)


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Sheet:
    """The cells of one worksheet or CSV file, with a way to name a place in it."""

    name: str
    rows: list[list[Any]]
    is_csv: bool

    def place(self, row: int, col: int | None = None) -> str:
        """``Staff!C7`` for a cell, ``Staff!row 7`` for a row, or ``line 12`` in a CSV (1-based)."""
        if self.is_csv:
            return f"line {row + 1}"
        if col is None:
            return f"{self.name}!row {row + 1}"
        return f"{self.name}!{column_letter(col)}{row + 1}"


def read_sheet(path: Path) -> Sheet:
    """Read the first worksheet of an XLSX file, or a whole CSV file.

    Raises:
        ValidationError: the file is missing, of an unknown type, or cannot be read.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise ValidationError(Problem("file", f"There is no file at {path}."))
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise ValidationError(
            Problem(
                "file",
                f"{path.name} is an old Excel 97-2003 file. Open it in Excel and "
                "save it as .xlsx (Excel Workbook), then import that.",
            )
        )
    raise ValidationError(Problem("file", f"{path.name} is not a spreadsheet (.xlsx or .csv)."))


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Sheet(path.stem, rows, is_csv=True)


def _read_xlsx(path: Path) -> Sheet:
    import openpyxl  # heavy: load only when a spreadsheet is actually read
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            Problem(
                "file",
                f"{path.name} cannot be read as an Excel workbook ({exc}). "
                "Is it open in Excel, or saved in another format?",
            )
        ) from exc
    ws = wb.worksheets[0]
    rows: list[list[Any]] = [list(r) for r in ws.iter_rows(values_only=True)]
    # A merged cell holds its value only in the top-left corner: copy it to the whole range so a
    # merged header or a merged "team" cell reads the same in every row.
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = value
    wb.close()
    return Sheet(ws.title, rows, is_csv=False)


@dataclass(frozen=True)
class FieldSpec:
    """A field an importer understands, with the header names people use for it."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def matches(self, header: str) -> bool:
        """True if ``header`` names this field."""
        n = normalise(header)
        return n in {normalise(self.name), normalise(self.label), *map(normalise, self.synonyms)}


@dataclass
class Table:
    """A sheet with its header found and columns mapped to fields."""

    sheet: Sheet
    header_row: int
    columns: dict[str, int]  # field name -> column index
    unmapped: list[str] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row index, {field: cell value}) for each non-blank row below the header."""
        for r in range(self.header_row + 1, len(self.sheet.rows)):
            row = self.sheet.rows[r]
            values = {f: (row[c] if c < len(row) else None) for f, c in self.columns.items()}
            if any(_blank(v) is False for v in values.values()):
                yield r, values

    def place(self, row: int, field_name: str | None = None) -> str:
        """Where a field of a row is, for problem reports."""
        col = self.columns.get(field_name) if field_name else None
        return self.sheet.place(row, col)

    def data_row_count(self) -> int:
        """Rows below the header (including blank ones)."""
        return max(0, len(self.sheet.rows) - self.header_row - 1)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


NOT_APPLICABLE = {"na", "n/a", "notapplicable", "notrequired", "-", "--", "x"}


def cell_date(value: Any) -> dt.date | None:
    """A completion or start date from a spreadsheet cell (None for blank or N/A).

    Excel date cells and UK text dates are dates; a plain number is not (a bare year such as
    2023, or a serial number typed as a number, is too ambiguous to trust).

    Raises:
        DateParseError: with a sentence saying what is wrong with the cell.
    """
    if value is None or (isinstance(value, str) and normalise(value) in NOT_APPLICABLE | {""}):
        return None
    if isinstance(value, str) and value.strip().lower() in NOT_APPLICABLE:
        return None
    if isinstance(value, bool) or (
        isinstance(value, int | float) and not isinstance(value, dt.date)
    ):
        raise DateParseError(
            f"{value:g} is a number, not a date: enter the full date, e.g. 14/03/2025."
        )
    return parse_date(value)


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """``["Column=field", ...]`` from the command line into {column header: field}."""
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValidationError(Problem("map", f"'{pair}' should look like \"Column=field\"."))
        column, field_name = pair.split("=", 1)
        out[column.strip()] = field_name.strip()
    return out


def find_table(
    sheet: Sheet, specs: Sequence[FieldSpec], overrides: Mapping[str, str] | None = None
) -> Table:
    """Find the header row (titles may sit above it) and map its columns to fields.

    Raises:
        ValidationError: no row looks like a header, or required fields have no column.
    """
    overrides = overrides or {}
    by_name = {s.name: s for s in specs}
    for wanted in overrides.values():
        if wanted not in by_name:
            known = ", ".join(s.name for s in specs)
            raise ValidationError(Problem("map", f"'{wanted}' is not a field. Fields: {known}."))
    norm_overrides = {normalise(k): v for k, v in overrides.items()}
    best: tuple[int, dict[str, int], list[str]] | None = None
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        unmapped: list[str] = []
        for c, cell in enumerate(row):
            if _blank(cell):
                continue
            target: str | None = norm_overrides.get(normalise(cell))
            if target is None:
                target = next((s.name for s in specs if s.matches(str(cell))), None)
            if target is not None and target not in columns:
                columns[target] = c
            else:
                unmapped.append(str(cell))
        if len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
            best = (r, columns, unmapped)
    if best is None:
        expected = ", ".join(s.label for s in specs if s.required) or specs[0].label
        raise ValidationError(
            Problem(
                "file",
                f"No header row found in the first {HEADER_SCAN_ROWS} rows of "
                f"{sheet.name}. Expected column names such as: {expected}.",
            )
        )
    header_row, header_columns, ignored = best
    return Table(sheet, header_row, header_columns, ignored)
