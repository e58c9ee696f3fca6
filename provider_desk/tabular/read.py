"""Read the spreadsheets managers already have: CSV in any common encoding, XLSX with title rows,
merged cells and Excel dates. Find the header row and map columns to fields by name and synonym."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from provider_desk.errors import Problem, ValidationError
from provider_desk.rules.dates import DateParseError, parse_date
from provider_desk.tabular.write import ESCAPE, FORMULA_STARTS, undefuse

HEADER_SCAN_ROWS = 25


def normalise(text: object) -> str:
    """Header text reduced to lowercase letters and digits (``Start Date:`` -> ``startdate``)."""
    if type(text) is str:
        return _normalise_text(text)
    t = str(text or "").lower().replace("&", "and")
    return _NOT_WORD.sub("", t)


_NOT_WORD = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=8192)
def _normalise_text(text: str) -> str:
    """As :func:`normalise`, remembered: an import normalises the same few words (statuses,
    course names, headings) thousands of times."""
    return _NOT_WORD.sub("", text.lower().replace("&", "and"))


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


MAX_FILE_BYTES = 50 * 1024 * 1024
"""A staff list, a training report or a complaints log is a few megabytes at most."""
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
"""An XLSX is a ZIP archive: refuse one that would unpack to more than this (a "zip bomb")."""
MAX_ROWS = 100_000
"""Rows read from a sheet; years of training for hundreds of staff fit with room to spare."""
MAX_COLUMNS = 500
"""Columns read from a sheet; a training matrix with every course is well under this."""
MAX_CELL_CHARS = 131_072
"""Characters in one CSV cell (Python's csv limit; Excel's own limit is 32,767)."""
MAX_MERGED_CELLS = 1_000_000
"""Cells filled in from merged ranges; beyond this a sheet is not a list someone typed."""
ENCODINGS = "UTF-8 (with or without a BOM), UTF-16 (with or without a BOM) and Windows-1252"
"""The CSV encodings read, in the words an error message uses."""


@dataclass(frozen=True)
class Sheet:
    """The cells of one worksheet or CSV file, with a way to name a place in it.

    ``notices`` says what was not read (rows or columns past the limits), for the report.
    ``lines`` gives, for a CSV, the line each row starts on (a quoted cell may span lines).
    ``hidden_columns`` are the columns (0-based) hidden in the workbook: read like the others,
    and said to be hidden where a report lists columns.
    """

    name: str
    rows: list[list[Any]]
    is_csv: bool
    notices: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()
    hidden_columns: frozenset[int] = frozenset()

    def place(self, row: int, col: int | None = None) -> str:
        """``Staff!C7`` for a cell, ``Staff!row 7`` for a row, or ``line 12`` in a CSV (1-based)."""
        if self.is_csv:
            return f"line {self.lines[row] if row < len(self.lines) else row + 1}"
        if col is None:
            return f"{self.name}!row {row + 1}"
        return f"{self.name}!{column_letter(col)}{row + 1}"


def _unreadable(path: Path, why: str) -> ValidationError:
    return ValidationError(Problem("file", f"{path.name} {why}"))


def read_sheet(path: Path) -> Sheet:
    """Read the first worksheet with anything in it of an XLSX file, or a whole CSV file.

    Reads at most ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns and says so in ``notices``.

    Raises:
        ValidationError: the file is missing, of an unknown type, too big, empty, or cannot be
            read; the message says what to do about it.
    """
    for sheet in read_sheets(path):
        if _has_cells(sheet):
            return sheet
    raise _unreadable(path, "has no cells with anything in them.")  # pragma: no cover


def read_sheets(path: Path) -> Iterator[Sheet]:
    """Each worksheet of an XLSX file in turn (read as it is asked for), or a whole CSV file.

    Raises:
        ValidationError: as :func:`read_sheet`; also when no sheet has anything in it.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ValidationError(Problem("file", f"There is no file at {path}."))
    if suffix == ".xls":
        raise _unreadable(
            path,
            "is an old Excel 97-2003 file. Open it in Excel and save it as .xlsx "
            "(Excel Workbook), then import that.",
        )
    if suffix not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        raise _unreadable(
            path, "is not a spreadsheet (.xlsx, or .csv / .txt text with commas or tabs)."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path, f"cannot be opened ({exc.strerror or exc}).") from exc
    if size == 0:
        raise _unreadable(path, "is empty (0 bytes). Was it saved before it was closed?")
    if size > MAX_FILE_BYTES:
        raise _unreadable(
            path,
            f"is {size / 1024 / 1024:.0f} MB; Provider Desk reads files of up to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it, or remove columns you do not need.",
        )
    # Excel's "Unicode Text" and "Text (Tab delimited)" save .txt: read as CSV text.
    sheets = (_read_csv(path),) if suffix in (".csv", ".txt", ".tsv") else _read_xlsx(path)
    any_cells = False
    for sheet in sheets:
        any_cells = any_cells or _has_cells(sheet)
        yield sheet
    if not any_cells:
        raise _unreadable(path, "has no cells with anything in them.")


def _has_cells(sheet: Sheet) -> bool:
    return any(any(not _blank(v) for v in row) for row in sheet.rows)


T = TypeVar("T")


def first_sheet(path: Path, find: Callable[[Sheet], T]) -> T:
    """What ``find`` makes of the first sheet it recognises (it raises ValidationError for a
    sheet without the columns it needs): a workbook's data need not be on its first sheet.

    A notice says which sheet was read when sheets before it were passed over.

    Raises:
        ValidationError: the file cannot be read, or no sheet has the expected columns (the
            message names the sheets; for a single sheet, ``find``'s own message).
    """
    names: list[str] = []
    errors: list[ValidationError] = []
    for sheet in read_sheets(path):
        names.append(sheet.name)
        if not _has_cells(sheet):
            continue
        if len(names) > 1:
            passed = ", ".join(f"'{n}'" for n in names[:-1])
            notice = (
                f"Read the worksheet '{sheet.name}': the sheet{'s' if len(names) > 2 else ''} "
                f"before it ({passed}) {'have' if len(names) > 2 else 'has'} no such columns."
            )
            sheet = replace(sheet, notices=(notice, *sheet.notices))
        try:
            return find(sheet)
        except ValidationError as exc:
            errors.append(exc)
    mapping = [e for e in errors if e.field == "map"]
    if mapping:
        raise mapping[0]
    if len(names) == 1 and errors:
        raise errors[0]
    sheets = ", ".join(f"'{n}'" for n in names)
    expected = errors[0].message.split("Expected", 1)[-1] if errors else ""
    hint = f" Expected{expected}" if expected.startswith(" column") else ""
    raise _unreadable(
        path,
        f"has no sheet with the expected columns (sheets: {sheets}).{hint} Check that the "
        "list has a row of column headings, or copy it into a new workbook and import that.",
    )


def read_table(
    path: Path,
    specs: Sequence[FieldSpec],
    overrides: Mapping[str, str] | None = None,
    *,
    needs: str = "",
) -> Table:
    """The first sheet of ``path`` with a header of ``specs``, its columns mapped to fields.

    Raises:
        ValidationError: as :func:`first_sheet` and :func:`find_table`.
    """
    return first_sheet(path, lambda sheet: find_table(sheet, specs, overrides, needs=needs))


def _decode(raw: bytes) -> str | None:
    """The text of a CSV file in the encodings managers' programs write, or None if none fits."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, encoding in boms:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    # UTF-16 without a BOM: text in Latin letters has a zero byte in every other place.
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs:
        even = sample[0 : pairs * 2 : 2].count(0)
        odd = sample[1 : pairs * 2 : 2].count(0)
        for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
            if zeros >= pairs * 0.4 and others <= pairs * 0.05:
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    return None
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - latin-1 decodes any bytes


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r")
    return controls > max(3, len(sample) // 20)


def _read_csv(path: Path) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, f"cannot be opened ({exc.strerror or exc}).") from exc
    text = _decode(raw)
    if text is None or _looks_binary(text):
        raise _unreadable(
            path,
            "does not look like a CSV text file (Provider Desk reads CSV saved as "
            f"{ENCODINGS}). In Excel, use Save As > CSV UTF-8, or import the .xlsx itself.",
        )
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    defused = any(ESCAPE + start in text for start in FORMULA_STARTS)
    rows: list[list[Any]] = []
    lines: list[int] = []
    notices: list[str] = []
    wide = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # Python's csv refuses a cell over MAX_CELL_CHARS and a few malformed quotes.
            why = (
                f"has a cell over {MAX_CELL_CHARS:,} characters long"
                if "field larger" in str(exc)
                else f"cannot be read as CSV ({exc})"
            )
            raise _unreadable(
                path, f"{why} at line {start}. Check that line, or save the file again as CSV."
            ) from None
        if len(rows) == MAX_ROWS:
            notices.append(
                f"Only the first {MAX_ROWS:,} rows were read; line {start} onwards was not "
                "imported. Split the file and import each part."
            )
            break
        if len(row) > MAX_COLUMNS:
            wide += 1
            row = row[:MAX_COLUMNS]
        # What an export defused ("'=…", "'+44 …") reads back as it was saved (a file with no
        # such text anywhere needs no look at each cell).
        if defused:
            row = [undefuse(cell) if cell.startswith(ESCAPE) else cell for cell in row]
        rows.append(row)
        lines.append(start)
    if wide:
        notices.append(
            f"Only the first {MAX_COLUMNS} columns were read ({wide:,} rows have more); "
            f"columns after {column_letter(MAX_COLUMNS - 1)} were not imported."
        )
    return Sheet(path.stem, rows, is_csv=True, notices=tuple(notices), lines=tuple(lines))


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_zip(path: Path) -> None:
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(_OLE_MAGIC[:4]):
        raise _unreadable(
            path,
            "is an old Excel 97-2003 file or a password-protected workbook. Open it in Excel, "
            "remove any password (File > Info > Protect Workbook), save it as .xlsx, then "
            "import that.",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable(
            path,
            "cannot be read as an Excel workbook: it is damaged, only partly copied, or another "
            "kind of file renamed to .xlsx. Open it in Excel and save it as .xlsx again.",
        ) from exc
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        raise _unreadable(
            path,
            "is a ZIP archive but not an Excel workbook: it has no worksheets in it. "
            "Import the .xlsx or .csv itself, not a folder compressed into a .zip.",
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise _unreadable(
            path,
            f"would unpack to {unpacked / 1024 / 1024:,.0f} MB, far more than a list of records "
            "needs. Copy the sheet you want into a new workbook and import that.",
        )


def _read_xlsx(path: Path) -> Iterator[Sheet]:
    """Each worksheet of an XLSX file, read with python-calamine (Rust: about twenty times
    quicker than openpyxl, merged ranges included). openpyxl stays for what calamine lacks:
    reading a sheet as a stream with row and column limits. Calamine builds a sheet's whole
    rectangle in memory, so a stray cell far away (XFD1048576) would cost gigabytes; a sheet
    whose cells or declared size reach that far (:func:`_quick_scan`) is read by openpyxl."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    _check_zip(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        members = _sheet_members(path)
    except Exception as exc:  # any failure to parse someone's file is a fault in that file
        raise _unreadable(
            path,
            f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc}). "
            "Is it open in Excel, or saved in another format?",
        ) from exc
    streamed: Any = None  # the openpyxl workbook, opened only for a sheet that needs it
    try:
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not names:
            raise _unreadable(path, "has no worksheets (only charts?).")
        for name in names:
            member = members.get(name)
            scan = _quick_scan(path, member) if member else None
            if scan is None:
                if streamed is None:
                    streamed = _open_streamed(path)
                yield _read_worksheet(path, streamed[name])
            else:
                yield _read_calamine_sheet(path, book, name, scan)
    finally:
        book.close()
        if streamed is not None:
            streamed.close()


def _open_streamed(path: Path) -> Any:
    import openpyxl  # heavy: load only when a sheet must be streamed

    try:
        # Read-only mode streams the sheet: a stray cell at XFD1048576 costs nothing, because
        # only rows up to MAX_ROWS and columns up to MAX_COLUMNS are ever asked for.
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any failure to parse someone's file is a fault in that file
        raise _unreadable(
            path,
            f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc}). "
            "Is it open in Excel, or saved in another format?",
        ) from exc


_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_members(path: Path) -> dict[str, str]:
    """Sheet name -> the archive member holding its XML (from the workbook and its rels)."""
    import posixpath
    import xml.etree.ElementTree as ET

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        book = next((n for n in ("xl/workbook.xml",) if n in names), None) or next(
            n for n in names if n.endswith("/workbook.xml")
        )
        folder, leaf = posixpath.split(book)
        rels_name = posixpath.join(folder, "_rels", leaf + ".rels")
        targets: dict[str, str] = {}
        if rels_name in names:
            for rel in ET.fromstring(archive.read(rels_name)):
                target = rel.get("Target", "")
                member = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                targets[rel.get("Id", "")] = member
        out: dict[str, str] = {}
        for el in ET.fromstring(archive.read(book)).iter():
            if el.tag.endswith("}sheet") or el.tag == "sheet":
                member = targets.get(el.get(f"{_REL_NS}id", ""), "")
                if member in names:
                    out[el.get("name", "")] = member
    return out


_HEAD_END = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref="([A-Za-z0-9:$]{2,40})"')
# Any reference (a row's or a cell's, empty or not) in row 100,000 or beyond, or in a column
# from SA on: found with a literal prefix, so an ordinary sheet is scanned in a few ms.
_FAR_ROW = re.compile(rb' r="[A-Z]{0,3}[0-9]{6}')
_FAR_COLUMN = re.compile(rb' r="(?:[A-Z]{3}|[S-Z][A-Z])[0-9]')
_WIDE_COLUMN = re.compile(rb' r="([A-R][A-Z])[0-9]')
_LAST_ROW = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\br="([0-9]+)"')
MAX_DENSE_CELLS = 3_000_000
"""Calamine holds a sheet as one rectangle (first to last cell); beyond this many cells (a stray
cell far below or to the right of the list) the sheet is streamed by openpyxl instead."""


def _quick_scan(path: Path, member: str) -> frozenset[int] | None:
    """The hidden columns (0-based) of a sheet calamine can read whole, or None when the sheet
    reaches beyond the limits (it declares or holds a cell from row 100,000 or column SA on)
    or its rectangle would be too big: then openpyxl streams it."""
    hidden: set[int] = set()
    head_done = False
    last_row = 0
    widest = 0
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as src:
        while chunk := src.read(1 << 20):
            text = tail + chunk
            if not head_done:
                end = _HEAD_END.search(text)
                head = text if end is None else text[: end.start()]
                if m := _DIMENSION.search(head):
                    from openpyxl.utils.cell import range_boundaries

                    try:
                        _, _, max_col, max_row = range_boundaries(m.group(1).decode())
                    except (ValueError, TypeError):
                        max_col = max_row = None
                    if (max_row or 0) > MAX_ROWS or (max_col or 0) > MAX_COLUMNS:
                        return None
                for m in _COL.finditer(head):
                    attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(m.group(1))}
                    if attrs.get("hidden", "").lower() in ("1", "true"):
                        try:
                            first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
                        except ValueError:
                            continue
                        hidden.update(range(max(first, 1) - 1, min(last, MAX_COLUMNS)))
                head_done = end is not None
            if _FAR_ROW.search(text) or _FAR_COLUMN.search(text):
                return None
            for m in _WIDE_COLUMN.finditer(text):
                widest = max(widest, _column_number(m.group(1)))
            # Rows come in order: the last row tag holds the furthest row.
            rows = [int(m.group(1)) for m in _LAST_ROW.finditer(text[-65536:])] or [
                int(m.group(1)) for m in _LAST_ROW.finditer(text)
            ]
            last_row = max([last_row, *rows])
            tail = text[-200:]  # a tag may straddle two chunks
    if last_row * max(widest, 26) > MAX_DENSE_CELLS:
        return None
    return frozenset(hidden)


def _plain_cell(value: Any) -> Any:
    """A calamine cell as openpyxl gave it, so every reader sees what it saw before: blank is
    None, a whole number an int, a date cell a datetime at midnight (text stays text). One
    difference stays: a cell of only spaces may come out blank, which every reader treats it as."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001 - a cell's date
    return value


def _read_calamine_sheet(path: Path, book: Any, name: str, hidden: frozenset[int]) -> Sheet:
    try:
        sheet = book.get_sheet_by_name(name)
        values = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
        merged = sheet.merged_cell_ranges or []
    except Exception as exc:  # a damaged sheet inside a readable archive
        raise _unreadable(
            path,
            f"has a worksheet that cannot be read ({type(exc).__name__}: {exc}). "
            "Open it in Excel and save it again.",
        ) from exc
    rows: list[list[Any]] = []
    for raw in values:
        # (Text, the usual cell, without a call: 40,000 cells for 10,000 completions.)
        row = [v if type(v) is str and v else _plain_cell(v) for v in raw]
        while row and _blank(row[-1]):
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    merges = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in merged]
    _fill_merges(rows, merges)
    return Sheet(name, rows, is_csv=False, hidden_columns=hidden)


def _read_worksheet(path: Path, ws: Any) -> Sheet:
    title = str(ws.title)
    try:
        rows, notices = _xlsx_rows(ws)
        merges, furthest, hidden = _scan_sheet_xml(path, getattr(ws, "_worksheet_path", None))
    except ValidationError:
        raise
    except Exception as exc:  # a damaged sheet inside a readable archive
        raise _unreadable(
            path,
            f"has a worksheet that cannot be read ({type(exc).__name__}: {exc}). "
            "Open it in Excel and save it again.",
        ) from exc
    # Whatever size the sheet declares (none, "A1", or the truth), say when cells with
    # something in them lie beyond the rows or columns read.
    last_row, last_col = furthest
    if last_row > MAX_ROWS and not any("rows were read" in n for n in notices):
        notices.append(
            f"Only the first {MAX_ROWS:,} rows were read; the sheet has something in row "
            f"{last_row:,}, which was not imported. If that is a stray cell, delete the rows "
            "below your list and save again."
        )
    if last_col > MAX_COLUMNS and not any("columns (A to" in n for n in notices):
        notices.append(
            f"Only the first {MAX_COLUMNS} columns (A to {column_letter(MAX_COLUMNS - 1)}) were "
            f"read; the sheet has something in column {column_letter(last_col - 1)}, which was "
            "not imported. Delete the columns after your list if that is a stray cell."
        )
    _fill_merges(rows, merges)
    return Sheet(title, rows, is_csv=False, notices=tuple(notices), hidden_columns=hidden)


def _fill_merges(rows: list[list[Any]], merges: Sequence[tuple[int, int, int, int]]) -> None:
    """Copy a merged range's value (held only in its top-left corner) to the whole range, so a
    merged header or a merged "team" cell reads the same in every row. Ranges are 1-based
    (first row, first column, last row, last column)."""
    budget = MAX_MERGED_CELLS
    for min_row, min_col, max_row, max_col in merges:
        if not (0 < min_row <= len(rows)) or min_col > MAX_COLUMNS:
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if _blank(value):
            continue
        for r in range(min_row - 1, min(max_row, len(rows))):
            row = rows[r]
            for c in range(min_col - 1, min(max_col, MAX_COLUMNS)):
                if budget <= 0:
                    break
                budget -= 1
                if c >= len(row):
                    row.extend([None] * (c + 1 - len(row)))
                row[c] = value


def _xlsx_rows(ws: Any) -> tuple[list[list[Any]], list[str]]:
    """Rows of a read-only worksheet, trailing blanks trimmed, stopping at the limits."""
    try:
        # The size the file claims (its "dimension"); absent or wrong in some generated files.
        claimed_rows, claimed_cols = int(ws.max_row or 0), int(ws.max_column or 0)
    except (TypeError, ValueError):
        claimed_rows = claimed_cols = 0
    # A dimension of one column is what some generators write when they do not know: read wide.
    cols = min(claimed_cols, MAX_COLUMNS) if claimed_cols > 1 else MAX_COLUMNS
    rows: list[list[Any]] = []
    notices: list[str] = []
    beyond = False
    for values in ws.iter_rows(max_row=MAX_ROWS + 1, max_col=cols, values_only=True):
        empty = values.count(None) == len(values)  # counted in C: padding rows cost nothing
        if len(rows) == MAX_ROWS:
            beyond = not empty
            break
        if empty:
            rows.append([])
            continue
        row = list(values)
        while row and _blank(row[-1]):
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    if beyond or claimed_rows > MAX_ROWS:
        notices.append(
            f"Only the first {MAX_ROWS:,} rows were read (the sheet says it reaches row "
            f"{max(claimed_rows, MAX_ROWS + 1):,}). If there is nothing further down, a stray "
            "cell is making it look bigger: delete the rows below your list and save again."
        )
    if claimed_cols > MAX_COLUMNS:
        notices.append(
            f"Only the first {MAX_COLUMNS} columns (A to {column_letter(MAX_COLUMNS - 1)}) were "
            f"read; the sheet says it reaches column {column_letter(claimed_cols - 1)}. Delete "
            "the columns after your list if they are empty."
        )
    return rows, notices


_COL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?col\b([^>]*)>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z0-9:$]{2,40})"')
# Cells with something in them (not an empty, self-closed <c .../>) that may lie beyond the
# limits: a row number of six digits or more, or a column from SA on. Only those are matched,
# so scanning an ordinary sheet costs next to nothing.
_CELL = rb'<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br="%s"[^>]*?(?<!/)>(?!</)'
_FAR_CELLS = (
    re.compile(_CELL % rb"([A-Z]{1,3})([0-9]{6,7})"),
    re.compile(_CELL % rb"([A-Z]{3}|[S-Z][A-Z])([0-9]{1,7})"),
)


def _column_number(letters: bytes) -> int:
    """b'A' -> 1, b'XFD' -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _scan_sheet_xml(
    path: Path, member: str | None
) -> tuple[list[tuple[int, int, int, int]], tuple[int, int], frozenset[int]]:
    """The merged ranges of a sheet (first row, first column, last row, last column; 1-based),
    the furthest row and column holding a cell with something in it (counted only from
    row 100,000 or column SA on: 0 if nothing is that far), and the hidden columns (0-based).

    Read-only mode does not load merged cells, and reads only as far as asked: both are
    picked out of the sheet's XML in chunks (memory stays flat however big the sheet is).
    """
    from openpyxl.utils.cell import range_boundaries

    if not member:
        return [], (0, 0), frozenset()
    out: list[tuple[int, int, int, int]] = []
    hidden: set[int] = set()
    last_row = last_col = 0
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as src:
        while chunk := src.read(1 << 20):
            text = tail + chunk
            end = 0
            for m in _MERGE.finditer(text):
                end = max(end, m.end())
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(m.group(1).decode())
                except (ValueError, TypeError):
                    continue
                if min_col and min_row and max_col and max_row:
                    out.append((min_row, min_col, max_row, max_col))
            for m in _COL.finditer(text):
                end = max(end, m.end())
                attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(m.group(1))}
                if attrs.get("hidden", "").lower() in ("1", "true"):
                    try:
                        first, last = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
                    except ValueError:
                        continue
                    hidden.update(range(max(first, 1) - 1, min(last, MAX_COLUMNS)))
            for pattern in _FAR_CELLS:
                for m in pattern.finditer(text):
                    end = max(end, m.end())
                    last_row = max(last_row, int(m.group(2)))
                    last_col = max(last_col, _column_number(m.group(1)))
            tail = text[max(end, len(text) - 200) :]  # a tag may straddle two chunks
    return out, (last_row, last_col), frozenset(hidden)


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
    header_rows: int = 1
    """Rows the header takes: 2 when a merged heading stands over sub-headings."""
    end_row: int | None = None
    """Where the table ends (a legend or notes under it), if before the sheet's end."""

    @property
    def first_data_row(self) -> int:
        """The first row below the header."""
        return self.header_row + self.header_rows

    @property
    def last_row(self) -> int:
        """One past the table's last row."""
        return len(self.sheet.rows) if self.end_row is None else self.end_row

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row index, {field: cell value}) for each non-blank row below the header."""
        columns = list(self.columns.items())
        width = max((c for _, c in columns), default=-1) + 1
        rows = self.sheet.rows
        for r in range(self.first_data_row, self.last_row):
            row = rows[r]
            if len(row) >= width:  # the usual row: every mapped column is there
                values = {f: row[c] for f, c in columns}
            else:
                values = {f: (row[c] if c < len(row) else None) for f, c in columns}
            for v in values.values():
                if v is not None and (not isinstance(v, str) or v.strip()):  # not blank
                    yield r, values
                    break

    def place(self, row: int, field_name: str | None = None) -> str:
        """Where a field of a row is, for problem reports."""
        col = self.columns.get(field_name) if field_name else None
        return self.sheet.place(row, col)

    def data_row_count(self) -> int:
        """Rows below the header (including blank ones)."""
        return max(0, self.last_row - self.first_data_row)


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
    if type(value) is dt.datetime:  # an Excel date cell: the usual case, first
        return value.date()
    if type(value) is str and (_PLAIN_UK_DATE.match(value) or _ISO_DAY.match(value)):
        return _plain_date(value)  # 14/03/2025 or 2025-03-14: nothing to tidy
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
    if isinstance(value, str):
        value = _tidy_text_date(value)
    return parse_date(value)


_PLAIN_UK_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}$")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=8192)
def _plain_date(text: str) -> dt.date | None:
    """:func:`parse_date` of a plain day/month/year or ISO date, remembered: a file of 10,000
    completions holds a few hundred days. (A date it refuses raises each time: not cached.)"""
    return parse_date(text)


_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[\s\-/.]+([A-Za-z]{3,9})\.?[\s\-/.,]+(\d{2}|\d{4})$")
_MON_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")
_MIDNIGHT = re.compile(r"\s+0?0:00(?::00)?$")


def _tidy_text_date(text: str) -> str:
    """Dates typed as text the ways spreadsheets show them, put into a form ``parse_date``
    reads: ``14th March 2026``, ``14-Mar-26`` (Excel's own), ``March 14, 2026``,
    ``14/03/2026 00:00``. Anything else is left as it is (and reported as it is)."""
    t = _MIDNIGHT.sub("", text.strip())
    t = _ORDINAL.sub(r"\1", t)
    if m := _DAY_MON_YEAR.match(t):
        day, month, year = m.groups()
    elif m := _MON_DAY_YEAR.match(t):
        month, day, year = m.groups()
    else:
        return t if t != text.strip() else text
    if len(year) == 2:
        year = str(2000 + int(year) if int(year) < 70 else 1900 + int(year))
    return f"{day} {month} {year}"


COLUMNS = "columns"
"""The field of an import's problem when the file's columns do not give what it needs (no name
column, no start date): the app then asks which column is which; the command line names --map."""
IGNORE = "ignore"
"""A mapping's target for a column read as no field (``--map "Shoe size=ignore"``)."""


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
    sheet: Sheet,
    specs: Sequence[FieldSpec],
    overrides: Mapping[str, str] | None = None,
    *,
    needs: str = "",
) -> Table:
    """Find the header row (titles may sit above it) and map its columns to fields.

    ``needs`` says which columns the importer needs, for the message when no header is found
    (by default the required fields' labels).

    Raises:
        ValidationError: no row looks like a header, or ``overrides`` name a column the header
            does not have or a field that does not exist.
    """
    overrides = overrides or {}
    by_name = {s.name: s for s in specs}
    for wanted in overrides.values():
        if wanted not in by_name and normalise(wanted) != IGNORE:
            known = ", ".join(s.name for s in specs)
            raise ValidationError(
                Problem("map", f"'{wanted}' is not a field. Fields: {known} (or {IGNORE}).")
            )
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
            elif normalise(target) == IGNORE:
                target = None  # mapped to "ignore": read no field from it
            if target is not None and target not in columns:
                columns[target] = c
            else:
                unmapped.append(str(cell))
        if len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
            best = (r, columns, unmapped)
    if best is None:
        expected = needs or ", ".join(s.label for s in specs if s.required) or specs[0].label
        raise ValidationError(
            Problem(
                "file",
                f"No header row found in the first {HEADER_SCAN_ROWS} rows of "
                f"{sheet.name}. Expected column names such as: {expected}.",
            )
        )
    header_row, header_columns, ignored = best
    headers = [str(c).strip() for c in sheet.rows[header_row] if not _blank(c)]
    present = {normalise(h) for h in headers}
    for column in overrides:
        if normalise(column) not in present:
            raise ValidationError(
                Problem(
                    "map",
                    f"The mapping names the column '{column}', but there is no column "
                    f"'{column}' in the file; its columns are: {', '.join(headers)}.",
                )
            )
    return Table(sheet, header_row, header_columns, ignored)
