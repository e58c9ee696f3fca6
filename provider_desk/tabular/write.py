"""Write rows to CSV (Excel-friendly UTF-8) or XLSX (bold frozen header, real date cells)."""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


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
                w = csv.writer(f)
                w.writerow(headers)
                for row in rows:
                    w.writerow([_csv_value(v) for v in row])
        else:
            _write_xlsx(tmp, headers, rows, sheet_title)
    return path


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str
) -> None:
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F0")
    widths = [len(h) for h in headers]
    for row in rows:
        ws.append(list(row))
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
