"""Write rows to CSV (Excel-friendly UTF-8) or XLSX (bold frozen header, real date cells).

Every CSV and XLSX the program writes goes through this module (``csv_writer``, ``new_workbook``
and ``write_table``; ``tests/core/test_export_formulas.py`` checks no other module writes one),
so text from a record can never reach Excel as a formula: a name typed or imported as
``=HYPERLINK("http://…","Click")`` is written as the text it is (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from provider_desk.errors import Problem, StorageError, ValidationError


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, moved into place only if the block succeeds."""
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
        )
        os.close(fd)
        tmp = Path(tmp_name)
        yield tmp
        os.replace(tmp, target)
    except PermissionError as exc:
        raise StorageError(
            f"{target.name} could not be written: it may be open in Excel, or the folder is "
            "read-only.",
            "Close it in Excel (or choose another name or folder) and try again.",
        ) from exc
    except OSError as exc:
        raise StorageError(
            f"{target.name} could not be written ({exc.strerror}).",
            "Check the folder exists, that there is free space and that you may write there.",
        ) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel (and LibreOffice, Google Sheets) read a CSV cell as a formula."""
ESCAPE = "'"
"""Put before such a cell in a CSV: Excel shows the text and does not run it (OWASP advice)."""


def defuse(text: str) -> str:
    """``text`` as a CSV cell Excel shows as text, never runs: an apostrophe before a leading
    ``=``, ``+``, ``-``, ``@``, tab or carriage return (so a phone number "+44 …" typed as
    text is written "'+44 …"). Numbers are not text and are never passed here."""
    return ESCAPE + text if text.startswith(FORMULA_STARTS) else text


def undefuse(text: str) -> str:
    """A CSV cell as it was before :func:`defuse` (the importers read back what we export)."""
    if text.startswith(ESCAPE) and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_value(value: Any) -> Any:
    """One value as a CSV cell: dates ISO, None empty, text defused, numbers as they are
    (a real negative number stays a number)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, str):
        return defuse(value)
    return value


class _RowWriter(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class CsvWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_value`.

    ``exact_columns`` (0-based) are written exactly as given: only for a file read by another
    program that compares the text as it is (the ASC-WDS identifiers), never for a file meant
    for Excel.
    """

    def __init__(self, writer: _RowWriter, exact_columns: frozenset[int] = frozenset()) -> None:
        self._writer = writer
        self._exact = exact_columns

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow(
            [
                v if i in self._exact and isinstance(v, str) else csv_value(v)
                for i, v in enumerate(row)
            ]
        )

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write each row."""
        for row in rows:
            self.writerow(row)


def csv_writer(
    f: IO[str], *, exact_columns: frozenset[int] = frozenset(), **options: Any
) -> CsvWriter:
    """A CSV writer on ``f`` (``options`` as ``csv.writer``'s) that never writes a formula."""
    return CsvWriter(csv.writer(f, **options), exact_columns)


def new_workbook() -> Workbook:
    """An empty workbook whose text cells are saved as text, never as formulas: build every
    XLSX with this, whatever writes its cells (``ws.append``, ``ws.cell``, assignment)."""
    import openpyxl

    class _TextWorkbook(openpyxl.Workbook):
        def save(self, filename: Any) -> None:
            for ws in self.worksheets:
                text_cells_as_text(ws)
            super().save(filename)

    return _TextWorkbook()


def text_cells_as_text(ws: Worksheet) -> None:
    """Make every text cell of ``ws`` a string cell. openpyxl turns text beginning with ``=``
    into a formula (and "#N/A" into an error) when it is written to a cell; as a string cell
    Excel shows it and never runs it."""
    # The cells that exist (iter_rows would create every empty cell of the sheet's range).
    cells = getattr(ws, "_cells", None)
    every = cells.values() if isinstance(cells, dict) else (c for r in ws.iter_rows() for c in r)
    for cell in every:
        if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
            cell.data_type = "s"


def xlsx_value(value: Any) -> Any:
    """One value for an XLSX cell: text without the control characters a workbook cannot hold
    (openpyxl refuses them), everything else as it is."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """Append a row of values to ``ws``, each text cell written as text (never a formula)."""
    ws.append([xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.data_type in ("f", "e"):
            cell.data_type = "s"


def write_table(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sheet_title: str = "Export",
) -> Path:
    """Write ``rows`` under ``headers`` to ``path`` (.csv or .xlsx)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError(
            Problem("out", f"Choose a .csv or .xlsx file name, not '{path.name}'.")
        )
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            # utf-8-sig so Excel on Windows shows names like Zoë correctly.
            with tmp.open("w", newline="", encoding="utf-8-sig") as f:
                w = csv_writer(f)
                w.writerow(headers)
                w.writerows(rows)
        else:
            _write_xlsx(tmp, headers, rows, sheet_title)
    return path


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str
) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    append_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F0")
    widths = [len(h) for h in headers]
    for row in rows:
        append_row(ws, row)
        widths += [0] * (len(row) - len(widths))  # a row may be wider than the header
        for i, v in enumerate(row):
            widths[i] = max(widths[i], 11 if isinstance(v, dt.date) else len(str(v or "")))
    for col_cells in ws.iter_cols(min_row=2):
        for cell in col_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(60, w + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)
