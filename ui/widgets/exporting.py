"""Save-as for exports: choose a file, then write it on the worker thread (with a progress dialog
if it takes more than a moment) and say where it went: "Saved — Open · Show in folder"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QStatusBar, QWidget

from provider_desk.progress import Progress
from ui.context import AppContext, say, show_failure

SPREADSHEETS = "Excel workbook (*.xlsx);;CSV (*.csv)"
SAVED_NOTICE = "savedNotice"
SAVED_SHOWN_MS = 30_000
OPEN, FOLDER = "open", "folder"


def choose_save_path(
    parent: QWidget, title: str, default_name: str, filters: str = SPREADSHEETS
) -> Path | None:
    """The file the user chose to save to, or None if they cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, title, default_name, filters)
    return Path(name) if name else None


def open_saved(path: Path, what: str) -> bool:
    """Open the file (``OPEN``) in its usual program, or its folder (``FOLDER``)."""
    target = path if what == OPEN else path.parent
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


def show_saved(widget: QWidget, path: Path, text: str) -> QLabel | None:
    """Say in the main window's status bar that ``text`` (``"Saved 12 actions to x.pdf"``) with
    links to open the file or its folder, for half a minute. Returns the notice (None: no
    status bar, then the text alone is said)."""
    window = widget.window()
    bar = window.findChild(QStatusBar) if window is not None else None
    if bar is None:
        say(widget, text)
        return None
    notice = bar.findChild(QLabel, SAVED_NOTICE)
    if notice is None:
        notice = QLabel(bar)
        notice.setObjectName(SAVED_NOTICE)
        notice.setTextFormat(Qt.TextFormat.RichText)
        notice.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        bar.addWidget(notice, 1)
        timer = QTimer(notice)
        timer.setSingleShot(True)
        timer.timeout.connect(notice.hide)
        notice.setProperty("path", "")
        notice.linkActivated.connect(
            lambda link: open_saved(Path(str(notice.property("path"))), link)
        )
        notice.timer = timer  # type: ignore[attr-defined]
    bar.clearMessage()
    notice.setProperty("path", str(path))
    notice.setToolTip(str(path))
    notice.setText(
        f"{escape(text)} — <a href='{OPEN}'>Open</a> · <a href='{FOLDER}'>Show in folder</a>"
    )
    notice.show()
    notice.timer.start(SAVED_SHOWN_MS)  # type: ignore[attr-defined]
    return notice


def write_in_background(
    page: QWidget,
    ctx: AppContext,
    write: Callable[[Progress], Any],
    path: Path,
    saved: Callable[[Any], str],
    doing: str,
) -> None:
    """Run ``write(progress)`` off the GUI thread with a cancellable progress dialog (shown if it
    takes more than half a second), then show :func:`show_saved` with ``saved(result)``; the
    file is the result when ``write`` returns a path, else ``path``."""

    def done(result: Any) -> None:
        show_saved(page, result if isinstance(result, Path) else path, saved(result))

    ctx.tasks.run(
        write,
        on_success=done,
        on_failure=lambda e: show_failure(page, e, doing),
        progress_parent=page,
        progress_label=f"Saving {path.name}…",
        export=True,  # on the export worker: page reads are not held up behind it
    )


def export_in_background(
    page: QWidget,
    ctx: AppContext,
    write: Callable[[Path], int],
    path: Path,
    noun: str,
    *,
    suffixes: Sequence[str] = (".xlsx", ".csv"),
    with_progress: Callable[[Path, Progress], int] | None = None,
) -> None:
    """Run ``write(path)`` (or ``with_progress(path, progress)``) off the GUI thread (a name
    without a known ending gets the first of ``suffixes``), then say how many ``noun`` went
    where, with links to open the file or its folder."""
    if path.suffix.lower() not in suffixes:
        path = path.with_suffix(suffixes[0])
    target = path

    def run(progress: Progress) -> int:
        return with_progress(target, progress) if with_progress else write(target)

    write_in_background(
        page, ctx, run, path, lambda n: f"Exported {n} {noun} to {target.name}", f"Exporting {noun}"
    )
