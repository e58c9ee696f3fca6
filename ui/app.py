"""Start the GUI: show the window's frame, then open (and migrate) the database, load the first
page and the icons; handle failures.

Before the first paint only PySide6 and a few small modules of ours are imported (see
``benchmarks/startup.py``, which lists them): SQLAlchemy, the pages and qtawesome's fonts come
after.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from provider_desk.resources import RESOURCES_DIR
from ui import crash
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from ui.context import AppContext

STARTUP_MARKS = "PROVIDER_DESK_STARTUP_MARKS"
"""With this environment variable set, ``--exit-after-start`` writes a line to stderr at each
moment the start-up benchmark times ("painted", "first page shown")."""


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


def open_context(database: str | None) -> tuple[AppContext, str | None] | None:
    """Open (and migrate) the database, or explain why not (returns None). Also returns where a
    copy of the database went before an upgrade (None: no upgrade)."""
    from provider_desk.areas.opening import open_database
    from provider_desk.errors import SchemaTooNewError, StorageError
    from ui.context import AppContext

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
    return AppContext(db), (str(result.backup) if result.backup is not None else None)


def open_window(database: str | None, settings: QSettings | None = None) -> MainWindow | None:
    """Open the database and build the main window, or explain why not (returns None)."""
    opened = open_context(database)
    if opened is None:
        return None
    window = MainWindow(None, settings)
    _start(window, *opened)
    return window


def _start(window: MainWindow, ctx: AppContext, backup: str | None) -> None:
    """Attach the window to the open database and load its first page."""
    window.attach(ctx)
    if backup is not None:
        window.statusBar().showMessage(
            f"The database was upgraded; a copy of the old one is at {backup}", 15000
        )

    def reopen(path: str) -> None:
        new = open_window(path, window.qsettings)
        if new is not None:
            window.close()
            ctx.tasks.shutdown()
            ctx.anchor_log()
            ctx.db.dispose()
            new.show()
            new.load_icons()
            window.replacement = new  # type: ignore[attr-defined]

    window.open_database_requested.connect(reopen)
    window.refresh_all()
    window.check_log_at_open()
    ctx.start_watching()


def run_gui(database: str | None, *, exit_after_start: bool = False) -> int:
    """Run the app until the main window closes.

    The frame is shown first; the database is opened after its first paint, and the icons
    (qtawesome's fonts) are loaded once the first page has its data.
    """
    import os

    app = make_application()
    crash.install()
    marks = exit_after_start and bool(os.environ.get(STARTUP_MARKS))
    window = MainWindow()
    failed: list[bool] = []
    loop = QEventLoop()

    def mark(what: str) -> None:
        if marks:
            sys.stderr.write(f"startup: {what}\n")
            sys.stderr.flush()

    def after_paint() -> None:
        mark("painted")
        opened = open_context(database)
        if opened is None:
            failed.append(True)
            window.close()
            loop.quit()
            return
        window.first_page_shown.connect(after_first_page)
        _start(window, *opened)

    def after_first_page() -> None:
        QTimer.singleShot(0, first_page_painted)

    def first_page_painted() -> None:
        mark("first page shown")
        window.load_icons()
        if exit_after_start:
            # For the start-up benchmark and tests: run until the first page has its data and
            # the event loop is idle, then close. A local loop, because QApplication.quit() would
            # leave later event loops in the same process (tests) returning at once.
            QTimer.singleShot(0, close_when_idle)

    def close_when_idle() -> None:
        if window.ctx.tasks.busy:
            QTimer.singleShot(10, close_when_idle)
        else:
            loop.quit()

    window.painted.connect(after_paint)
    window.show()
    if exit_after_start:
        loop.exec()
        window.close()
        code = 0
    else:
        code = app.exec()
    if failed:
        return 1
    window.ctx.tasks.shutdown()
    window.ctx.anchor_log()
    window.ctx.db.dispose()
    return code
