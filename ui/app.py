"""Start the GUI: show the window's frame, then open (and migrate) the database, load the first
page and the icons; handle failures.

Before the first paint only PySide6 and a few small modules of ours are imported (see
``benchmarks/startup.py``, which lists them): SQLAlchemy, the pages and qtawesome's fonts come
after.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from provider_desk.resources import RESOURCES_DIR
from ui import crash
from ui.main_window import HOME, MainWindow

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QDialog

    from provider_desk.db.session import Database
    from ui.context import AppContext
    from ui.tasks import TaskRunner

STARTUP_MARKS = "PROVIDER_DESK_STARTUP_MARKS"
"""With this environment variable set, ``--exit-after-start`` writes a line to stderr at each
moment the start-up benchmark times ("painted", "first page shown", "charts shown")."""


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


def open_db(database: str | None) -> tuple[Database, str | None] | None:
    """Open (and migrate) the database, or explain why not (returns None). Also returns where a
    copy of the database went before an upgrade (None: no upgrade). Nobody has signed in yet:
    the database acts for the program until someone does."""
    from provider_desk.areas.opening import open_database
    from provider_desk.errors import SchemaTooNewError, StorageError

    # The first start (no database named, none there yet) creates one. A named file that is
    # not there may be a mistyped path, which must not silently become a new, empty database:
    # the app asks, and No is the default.
    create = database is None or _may_create(database)
    if create is None:
        return None
    try:
        db, result = open_database(database, create=create)
    except (SchemaTooNewError, StorageError) as exc:
        explain_not_opened(exc)
        return None
    return db, (str(result.backup) if result.backup is not None else None)


def explain_not_opened(exc: BaseException) -> None:
    """Say why the database could not be opened (a newer Provider Desk's, or unusable)."""
    advice = getattr(exc, "advice", "")
    box = QMessageBox(
        QMessageBox.Icon.Critical, "Provider Desk cannot open the database", str(exc.args[0])
    )
    if advice:
        box.setInformativeText(advice)
    box.exec()


def _missing_file(database: str) -> Path | None:
    """The SQLite file ``database`` names when it is not there (None: it exists, or the database
    is on a server)."""
    from provider_desk.db.engine import resolve_database_url, sqlite_path

    path = sqlite_path(resolve_database_url(database))
    return path if path is not None and not path.exists() else None


def _may_create(database: str) -> bool | None:
    """For a named database: False if it exists (or is on a server); for a missing file, ask
    whether to create it (True), or None when the answer is No (nothing is opened)."""
    path = _missing_file(database)
    if path is None:
        return False
    return True if _ask_to_create(path) else None


def _ask_to_create(path: Path) -> bool:
    answer = QMessageBox.question(
        None,
        "Provider Desk",
        f"No database at {path}.\n\nCreate a new, empty Provider Desk database there? Choose "
        "No if the path is mistyped.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


FIRST_PAGE_MODULES = (
    "provider_desk.db.network",
    "provider_desk.history.queries",
    "provider_desk.settings.queries",
    "ui.auth.sign_in",
    "ui.backups",
    "ui.context",
    "ui.home.page",
)
"""What the GUI thread imports once the database is open (sign-in, the context, the home page,
the change watcher): :func:`open_off_thread` imports them first, off the GUI thread."""


@dataclass(frozen=True)
class Opening:
    """What :func:`open_off_thread` found: the database opened, where a copy went before an
    upgrade, and whether it has user accounts; or (``db`` None) a missing file to ask about."""

    db: Database | None
    backup: str | None = None
    has_users: bool = False
    missing: Path | None = None


def open_off_thread(database: str | None, create: bool | None, *, check_users: bool) -> Opening:
    """Open (and migrate) the database on a worker thread, and import what the first page needs
    meanwhile: the GUI thread stays free after the window's first paint. With ``create`` None a
    named file that is not there is not created: it comes back as ``missing`` (the GUI asks)."""
    from provider_desk.areas.opening import open_database

    if create is None:
        create = database is None
        if database is not None and (missing := _missing_file(database)) is not None:
            return Opening(None, missing=missing)
    db, result = open_database(database, create=create)
    try:
        users = False
        if check_users:
            from provider_desk.auth.services import has_users

            users = has_users(db)
        # What the GUI thread imports next: imported here, it costs the GUI thread nothing.
        for module in FIRST_PAGE_MODULES:
            importlib.import_module(module)
    except BaseException:
        db.dispose()
        raise
    backup = str(result.backup) if result.backup is not None else None
    return Opening(db, backup, users)


def sign_in_then_start(
    window: MainWindow,
    db: Database,
    backup: str | None,
    *,
    ask: bool = True,
    cancelled: Callable[[], object] | None = None,
) -> QDialog | None:
    """Ask who is there (the registered manager's account on a database with no users), then
    attach ``window`` to the database opened as that user and load its first page. Returns the
    dialog shown (None without ``ask``: the program acts, as for the throwaway demo)."""
    from ui.auth.sign_in import ask_who
    from ui.context import AppContext

    def start(signed_in: Database) -> None:
        _start(window, AppContext(signed_in), backup)

    if not ask:
        start(db)
        return None
    return ask_who(db, window, start, cancelled or window.close)


def open_window(database: str | None, settings: QSettings | None = None) -> MainWindow | None:
    """Open the database and build the main window, asking who is there; None (after saying
    why) if the database cannot be opened."""
    opened = open_db(database)
    if opened is None:
        return None
    window = MainWindow(None, settings)
    window.sign_in_dialog = sign_in_then_start(window, *opened)
    return window


AUTOMATIC_BACKUP_DELAY_MS = 3000

_WARNED: set[str] = set()
"""Databases whose network-share warning was shown this session (once each)."""


def _start(window: MainWindow, ctx: AppContext, backup: str | None) -> None:
    """Attach the window to the open database and load its first page; automatic backups
    start, and a database on a network share is warned about (once a session)."""
    window.attach(ctx)
    from provider_desk.db.engine import sqlite_path
    from provider_desk.db.network import network_warning

    path = sqlite_path(ctx.db.url)
    warning = network_warning(path) if path is not None else None
    if warning and str(path) not in _WARNED:
        _WARNED.add(str(path))
        window.show_network_warning(warning)
    # The automatic backup waits until the first page has its data and a moment more, so that
    # it never holds up what the user opened the app to see.
    window.first_page_shown.connect(
        lambda: QTimer.singleShot(AUTOMATIC_BACKUP_DELAY_MS, window.start_automatic_backups)
    )
    if backup is not None:
        window.statusBar().showMessage(
            f"The database was upgraded; a copy of the old one is at {backup}", 15000
        )

    def replace(new: MainWindow) -> None:
        if window.backups is not None:
            window.backups.automatic_on_exit = False  # the app goes on: no backup on closing
        window.close()
        ctx.tasks.shutdown()
        ctx.anchor_log()  # this window's database: its anchor moves to where its log ends now
        ctx.db.dispose()
        new.show()
        new.load_icons()
        window.replacement = new  # type: ignore[attr-defined]

    def reopen(path: str) -> None:
        new = open_window(path, window.qsettings)
        if new is not None:
            replace(new)

    def sign_out() -> None:
        # A fresh window (no page, no form of the last user) asks who is there now.
        url = ctx.db.url
        new = MainWindow(None, window.qsettings)
        replace(new)
        opened = open_db(url)
        if opened is None:
            new.close()
            return
        new.sign_in_dialog = sign_in_then_start(new, *opened)

    window.open_database_requested.connect(reopen)
    window.sign_out_requested.connect(sign_out)
    window.refresh_all()
    # Checking the change log reads all of it: it waits until the first page has its data.
    window.first_page_shown.connect(lambda: window.check_log_at_open())
    ctx.start_watching()


def run_gui(database: str | None, *, exit_after_start: bool = False, demo: bool = False) -> int:
    """Run the app until the main window closes.

    The frame is shown first; the database is opened after its first paint, then the user signs
    in (or, on a database with no users, creates the registered manager's account), and the
    icons (qtawesome's fonts) are loaded once the first page has its data. The throwaway
    ``demo`` needs no sign-in. With ``exit_after_start`` (benchmarks, tests) a database with no
    users opens without asking, and one with users stops once the sign-in dialog is shown.
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

    openers: list[TaskRunner] = []

    def after_paint() -> None:
        mark("painted")
        from ui.tasks import TaskRunner

        openers.append(TaskRunner(window))  # opens the database off the GUI thread
        open_in_background(None)

    def open_in_background(create: bool | None) -> None:
        openers[0].run(
            partial(open_off_thread, database, create, check_users=exit_after_start and not demo),
            on_success=opened,
            on_failure=not_opened,
        )

    def opened(found: Opening) -> None:
        if found.db is None:
            assert found.missing is not None
            if _ask_to_create(found.missing):
                open_in_background(True)
            else:
                give_up()
            return
        if not window.isVisible():  # closed while the database was opening
            found.db.dispose()
            loop.quit()
            return
        ask = not demo and (not exit_after_start or found.has_users)
        window.first_page_shown.connect(after_first_page)
        window.sign_in_dialog = sign_in_then_start(
            window, found.db, found.backup, ask=ask, cancelled=cancelled
        )
        if ask and exit_after_start:
            mark("sign-in shown")
            QTimer.singleShot(0, loop.quit)

    def not_opened(exc: BaseException) -> None:
        from provider_desk.errors import SchemaTooNewError, StorageError

        if isinstance(exc, (SchemaTooNewError, StorageError)):
            explain_not_opened(exc)
            give_up()
            return
        give_up()
        raise exc

    def give_up() -> None:
        failed.append(True)
        window.close()
        loop.quit()

    def cancelled() -> None:
        window.close()
        loop.quit()

    def after_first_page() -> None:
        # The home page's charts load after its cards and to-do list: timed too.
        home = window.pages[window.keys.index(HOME)]
        if marks and home is not None and hasattr(home, "trends_shown"):
            home.trends_shown.connect(lambda: QTimer.singleShot(0, lambda: painted("charts shown")))
        QTimer.singleShot(0, first_page_painted)

    def painted(what: str) -> None:
        if marks:
            window.repaint()  # the mark comes after a paint that shows the data
        mark(what)

    def first_page_painted() -> None:
        painted("first page shown")
        window.load_icons()
        if exit_after_start:
            # For the start-up benchmark and tests: run until the first page has its data and
            # the event loop is idle, then close. A local loop, because QApplication.quit() would
            # leave later event loops in the same process (tests) returning at once.
            QTimer.singleShot(0, close_when_idle)

    def close_when_idle() -> None:
        if hasattr(window, "ctx") and window.ctx.tasks.busy:
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
    for opener in openers:
        opener.shutdown()  # closed while the database was still opening: let that finish
    if failed:
        return 1
    last = window
    while getattr(last, "replacement", None) is not None:
        last = last.replacement  # type: ignore[attr-defined]
    if hasattr(last, "ctx"):
        last.ctx.tasks.shutdown()
        last.ctx.anchor_log()
        last.ctx.db.dispose()
    return code
