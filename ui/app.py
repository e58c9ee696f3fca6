"""Start the GUI: open (and migrate) the database, show the main window, handle failures."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from provider_desk.areas.opening import open_database
from provider_desk.errors import SchemaTooNewError, StorageError
from provider_desk.resources import RESOURCES_DIR
from ui import crash
from ui.context import AppContext
from ui.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names (for QSettings) and style."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or sys.argv[:1])
    app.setOrganizationName("ProviderDesk")
    app.setApplicationName("Provider Desk")
    app.setStyle("Fusion")
    style = RESOURCES_DIR / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def open_window(database: str | None, settings: QSettings | None = None) -> MainWindow | None:
    """Open the database and build the main window, or explain why not (returns None)."""
    try:
        db, result = open_database(database)
    except (SchemaTooNewError, StorageError) as exc:
        box = QMessageBox(
            QMessageBox.Icon.Critical, "Provider Desk cannot open the database", str(exc.args[0])
        )
        if exc.advice:
            box.setInformativeText(exc.advice)
        box.exec()
        return None
    ctx = AppContext(db)
    window = MainWindow(ctx, settings)
    if result.backup is not None:
        window.statusBar().showMessage(
            f"The database was upgraded; a copy of the old one is at {result.backup}", 15000
        )

    def reopen(path: str) -> None:
        new = open_window(path, settings)
        if new is not None:
            window.close()
            ctx.db.dispose()
            new.show()
            window.replacement = new  # type: ignore[attr-defined]

    window.open_database_requested.connect(reopen)
    window.refresh_all()
    return window


def run_gui(database: str | None, *, exit_after_start: bool = False) -> int:
    """Run the app until the main window closes."""
    app = make_application()
    crash.install()
    window = open_window(database)
    if window is None:
        return 1
    window.show()
    if exit_after_start:
        # For the start-up benchmark and tests: run until the pages have loaded and the event
        # loop is idle, then close. A local loop, because QApplication.quit() would leave later
        # event loops in the same process (tests) returning at once.
        loop = QEventLoop()

        def close_when_idle() -> None:
            if window.ctx.tasks.busy:
                QTimer.singleShot(10, close_when_idle)
            else:
                QTimer.singleShot(0, loop.quit)

        QTimer.singleShot(0, close_when_idle)
        loop.exec()
        window.close()
        code = 0
    else:
        code = app.exec()
    window.ctx.tasks.wait()
    window.ctx.db.dispose()
    return code
