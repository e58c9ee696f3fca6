"""Save-as for exports: choose a file, then write it on the worker thread and say where it went."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui.context import AppContext, say, show_failure

SPREADSHEETS = "Excel workbook (*.xlsx);;CSV (*.csv)"


def choose_save_path(
    parent: QWidget, title: str, default_name: str, filters: str = SPREADSHEETS
) -> Path | None:
    """The file the user chose to save to, or None if they cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, title, default_name, filters)
    return Path(name) if name else None


def export_in_background(
    page: QWidget,
    ctx: AppContext,
    write: Callable[[Path], int],
    path: Path,
    noun: str,
    *,
    suffixes: Sequence[str] = (".xlsx", ".csv"),
) -> None:
    """Run ``write(path)`` off the GUI thread (a name without a known ending gets the first of
    ``suffixes``), then say in the status bar how many ``noun`` went where."""
    if path.suffix.lower() not in suffixes:
        path = path.with_suffix(suffixes[0])
    ctx.tasks.run(
        lambda: write(path),
        on_success=lambda n: say(page, f"Exported {n} {noun} to {path}"),
        on_failure=lambda e: show_failure(page, e, f"Exporting {noun}"),
        export=True,
    )
