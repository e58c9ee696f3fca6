"""Unhandled errors: save a report file and tell the user where it is, instead of vanishing."""

from __future__ import annotations

import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from provider_desk import __version__, clock


def write_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    folder: Path | None = None,
) -> Path:
    """Write a crash report and return its path."""
    if folder is None:
        from provider_desk.db.engine import data_folder  # SQLAlchemy: not before the first paint

        folder = data_folder() / "crash-reports"
    folder.mkdir(parents=True, exist_ok=True)
    when = clock.local_now()
    path = folder / f"crash-{when:%Y%m%d-%H%M%S-%f}.txt"
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    path.write_text(
        f"Provider Desk {__version__}\nPython {sys.version}\n{platform.platform()}\n"
        f"{when.isoformat()}\n\n{text}",
        encoding="utf-8",
    )
    return path


def install(folder: Path | None = None) -> None:
    """Route unhandled exceptions to a report file and a dialog."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        path = write_report(exc_type, exc, tb, folder)
        sys.stderr.write(f"Unexpected error; report saved to {path}\n")
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Provider Desk: something went wrong",
                "Sorry, Provider Desk hit an unexpected problem. Your saved work is safe: every "
                "change is saved as one whole or not at all.\n\n"
                f"A report was saved to:\n{path}\n\nPlease send it to support.",
            )

    sys.excepthook = hook
