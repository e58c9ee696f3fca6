"""The main window: navigation, one page per area, menus and the status bar.

Start-up shows the frame first (navigation, menus, an empty page saying it is loading) with
nothing but PySide6 imported; :meth:`MainWindow.attach` then gives it the open database, and each
page is imported and built the first time it is shown (or asked for by :meth:`MainWindow.page`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk import __version__
from provider_desk.areas import AREAS, area, importers, load
from provider_desk.auth.roles import Permission
from provider_desk.changes import SETTINGS, Changes
from ui.areas import ICONS, PAGES
from ui.auth.permissions import AREA_PERMISSIONS, allow
from ui.page import Page

if TYPE_CHECKING:
    from provider_desk.backup.restoring import Restored
    from provider_desk.history.verify import LogCheck
    from provider_desk.reading import Attention
    from provider_desk.settings.queries import SettingsRow
    from ui.areas.staff.job_roles_dialog import JobRolesDialog
    from ui.areas.staff.page import StaffPage
    from ui.areas.supervision.page import SupervisionPage
    from ui.areas.training.page import TrainingPage
    from ui.auth.lock import InactivityLock
    from ui.auth.users_dialog import ChangeOwnPasswordForm, UsersDialog
    from ui.backups import Backups
    from ui.context import AppContext
    from ui.dialogs.backups import BackupNowDialog, BackupSettingsDialog, RestoreWizard
    from ui.dialogs.data_protection_dialog import DataProtectionDialog
    from ui.dialogs.import_dialog import ImportDialog
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.evidence.page import EvidencePage
    from ui.history.viewer import HistoryDialog
    from ui.home.page import HomePage

HOME = "home"
EVIDENCE = "evidence"
NAV_WIDE, NAV_NARROW = 190, 52
"""The sidebar's width with the pages' names, and narrowed to their icons."""

NAV: tuple[tuple[str, str, str, str], ...] = (
    (HOME, "Home", "fa5s.tachometer-alt", "ui.home.page:HomePage"),
    (EVIDENCE, "Evidence pack", "fa5s.file-pdf", "ui.evidence.page:EvidencePage"),
    *((a.key, a.title, ICONS[a.key], PAGES[a.key]) for a in AREAS),
)
"""(key, title, icon, page class) of each row of the navigation: Home, the evidence pack, then
one page per area in the order of AREAS."""


class _FirstPaint(QObject):
    """Calls ``then`` once, just after ``widget`` is first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.widget.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after this paint has reached the screen
            self.deleteLater()
        return False


class _Loading(QLabel):
    """What a page's place shows until the page is built."""

    def __init__(self) -> None:
        super().__init__("Loading…")
        self.setObjectName("pageLoading")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setEnabled(False)


class MainWindow(QMainWindow):
    """Navigation on the left, the chosen area on the right."""

    open_database_requested = Signal(str)
    sign_out_requested = Signal()  # the user signed out: someone else may sign in
    pages_loaded = Signal()
    painted = Signal()  # once, just after the window is first painted
    first_page_shown = Signal()  # once, when the first page shown has its data

    ctx: AppContext

    def __init__(self, ctx: AppContext | None = None, settings: QSettings | None = None) -> None:
        """The frame; with ``ctx``, attached to its database at once (see :meth:`attach`)."""
        super().__init__()
        self.qsettings = settings or QSettings()
        self.org: SettingsRow | None = None
        self.setWindowTitle("Provider Desk")
        self.keys = [key for key, *_ in NAV]
        self.titles = [title for _, title, *_ in NAV]
        self.pages: list[Page | None] = [None] * len(NAV)
        self._last_opened_day: dt.date | None = None
        self._icons: list[tuple[Callable[[object], None], str, str]] = []
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for _key, title, icon_name, _target in NAV:
            item = QListWidgetItem(title)
            self.nav.addItem(item)
            self._icons.append((item.setIcon, icon_name, "#1f3a4d"))  # type: ignore[arg-type]
            self.stack.addWidget(_Loading())
        self._requested: set[int] = set()
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.nav.setFixedWidth(NAV_WIDE)
        self.nav_toggle = QToolButton()
        self.nav_toggle.setObjectName("navToggle")
        self.nav_toggle.setAutoRaise(True)
        self.nav_narrow = False
        self.nav_toggle.clicked.connect(lambda: self.set_nav_narrow(not self.nav_narrow))
        self.provider_label = QLabel()
        self.provider_label.setObjectName("providerName")
        self.provider_label.setWordWrap(True)
        side = QWidget()
        side.setObjectName("side")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(self.provider_label)
        side_layout.addWidget(self.nav, 1)
        side_layout.addWidget(self.nav_toggle)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(side)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.db_label = QLabel("Opening the database…")
        self.user_label = QLabel()
        self.backup_label = QLabel()
        self.network_label = QLabel()
        self.network_label.setObjectName("networkWarning")
        self.network_label.hide()
        self.backups: Backups | None = None
        self.read_only_label = QLabel("Read-only")
        self.read_only_label.setToolTip(
            "This PC may not write to the database file (or its drive is read-only): you can "
            "view and export, but nothing can be saved. To make changes, copy the file somewhere "
            "you can write to and open the copy, or ask for write access."
        )
        self.read_only_label.setStyleSheet("font-weight: bold;")
        self.read_only_label.hide()
        self.statusBar().addPermanentWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.statusBar().addPermanentWidget(self.network_label)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self._actions: list[QAction] = []
        # What an action needs beyond being signed in (a courtesy: the core checks anyway).
        self._needs: dict[QAction, Permission] = {}
        self._personal: list[QAction] = []  # only for a signed-in user (not the program)
        self.lock: InactivityLock | None = None
        self.sign_in_dialog: QDialog | None = None  # asking who is there (see ui.app)
        self._build_menus()
        self._first_paint = _FirstPaint(self.nav.viewport(), self.painted.emit)
        self._restore_layout()
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """Work on ``ctx``'s database: the menus come alive and pages can be built."""
        self.ctx = ctx
        self._last_opened_day = self._last_opened()
        self.db_label.setText(f"Database: {ctx.db.location}")
        self.read_only_label.setVisible(ctx.db.read_only)
        actor = ctx.db.actor
        signed_in = actor.user_id is not None
        self.user_label.setText(
            f"Signed in as {actor.name} ({actor.role.label})"
            if signed_in
            else f"User: {actor.name}"
        )
        for action in self._actions:
            action.setEnabled(True)
        from ui.backups import Backups

        self.backups = Backups(ctx, self.backup_label, self)
        # The backup folder may be a slow network drive: look once the first page is shown.
        self.first_page_shown.connect(self.backups.refresh)
        for action, permission in self._needs.items():
            allow(action, actor, permission)
        for action in self._personal:
            action.setEnabled(signed_in)
        if signed_in:
            self._start_lock()
        ctx.changed.connect(self._on_ctx_changed)
        ctx.connection_lost.connect(self._on_connection_lost)
        ctx.connection_restored.connect(self._on_connection_restored)
        self._page_at(self.nav.currentRow())  # the page on show; the others when first shown

    def load_icons(self) -> None:
        """Give the window, the navigation and the menus their icons. Loading qtawesome takes a
        while, so the app does it once the first page has its data: its modules are imported on
        a worker (when the window has a database), then its fonts load on the GUI thread."""
        from ui import icons

        if icons.fonts_loaded() or not hasattr(self, "ctx"):
            self._apply_icons()
            return
        self.ctx.tasks.run(
            icons.import_qtawesome,
            on_success=lambda _none: self._apply_icons(),
            on_failure=lambda _exc: self._apply_icons(),  # there, or the icons stay blank
        )

    def _apply_icons(self) -> None:
        from ui.icons import icon, load_fonts

        load_fonts()
        self.setWindowIcon(icon("fa5s.hands-helping", "#1f5f8b"))
        for set_icon, name, color in self._icons:
            set_icon(icon(name, color))
        self._icons.clear()
        self._icons_loaded = True
        self._set_toggle_icon()

    def _set_toggle_icon(self) -> None:
        """The sidebar button's arrow (once the icons are loaded: not before the first paint)."""
        if getattr(self, "_icons_loaded", False):
            from ui.icons import icon

            name = "fa5s.angle-double-right" if self.nav_narrow else "fa5s.angle-double-left"
            self.nav_toggle.setIcon(icon(name))

    @property
    def home(self) -> HomePage:
        """The home page (built on first use)."""
        page = self.page(HOME)
        from ui.home.page import HomePage

        assert isinstance(page, HomePage)
        return page

    @property
    def evidence(self) -> EvidencePage:
        """The evidence pack page (built on first use)."""
        page = self.page(EVIDENCE)
        from ui.evidence.page import EvidencePage

        assert isinstance(page, EvidencePage)
        return page

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._add(
            file_menu,
            "&Open database…",
            self.choose_database,
            QKeySequence.StandardKey.Open,
            "fa5s.folder-open",
        )
        self._add(file_menu, "&Back up now…", self.backup, "Ctrl+B", "fa5s.save")
        restore = self._add(
            file_menu, "&Restore from a backup…", self.restore, None, "fa5s.history"
        )
        self._needs[restore] = Permission.MANAGE_SETTINGS
        file_menu.addSeparator()
        for text, slot, shortcut, icon_name in (
            ("&Change my password…", self.change_password, None, "fa5s.key"),
            ("&Lock now", self.lock_now, "Ctrl+L", "fa5s.lock"),
            ("Sign &out", self.sign_out, None, "fa5s.sign-out-alt"),
        ):
            self._personal.append(self._add(file_menu, text, slot, shortcut, icon_name))
        file_menu.addSeparator()
        self._add(
            file_menu,
            "&Evidence pack for inspection…",
            self.open_evidence_pack,
            "Ctrl+E",
            "fa5s.file-pdf",
        )
        self._add(
            file_menu,
            "Change &log…",
            lambda: self.show_history(),
            "Ctrl+H",
            "fa5s.history",
        )
        self._add(
            file_menu,
            "&History of the selected record…",
            self.show_selected_history,
            "Ctrl+Shift+H",
        )
        file_menu.addSeparator()
        for entry in AREAS:
            for importer in entry.imports.values():
                action = self._add(
                    file_menu,
                    f"Import {importer.title}…",
                    partial(self.choose_import, importer.name),
                    None,
                    "fa5s.file-import",
                )
                self._needs[action] = AREA_PERMISSIONS.get(entry.key, Permission.EDIT_RECORDS)
        file_menu.addSeparator()
        self._add(
            file_menu, "&Export staff…", lambda: self._staff().export(), None, "fa5s.file-export"
        )
        self._add(
            file_menu,
            "Export training &matrix…",
            lambda: self._training().export_matrix(),
            None,
            "fa5s.table",
        )
        self._add(
            file_menu,
            "ASC-WDS training &file…",
            lambda: self._training().export_asc_wds(),
            None,
            "fa5s.upload",
        )
        self._add(
            file_menu,
            "Export supervision &log…",
            lambda: self._supervision().export(),
            None,
            "fa5s.file-export",
        )
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit, needs_db=False)
        file_menu.setToolTipsVisible(True)  # why an action is greyed out
        settings_menu = bar.addMenu("&Settings")
        settings_menu.setToolTipsVisible(True)
        for action in (
            self._add(
                settings_menu, "&Organisation settings…", self.edit_settings, None, "fa5s.building"
            ),
            self._add(settings_menu, "&Job roles…", self.edit_job_roles, None, "fa5s.id-badge"),
            self._add(
                settings_menu,
                "&Courses and required training…",
                lambda: self._training().open_courses(),
                None,
                "fa5s.book",
            ),
        ):
            self._needs[action] = Permission.MANAGE_SETTINGS
        settings_menu.addSeparator()
        backup_settings = self._add(
            settings_menu, "&Backups on this PC…", self.edit_backup_settings, None, "fa5s.hdd"
        )
        self._needs[backup_settings] = Permission.MANAGE_SETTINGS
        settings_menu.addSeparator()
        self.users_action = self._add(settings_menu, "&Users…", self.edit_users, None, "fa5s.users")
        self._needs[self.users_action] = Permission.MANAGE_USERS
        settings_menu.addSeparator()
        self._add(
            settings_menu, "&Data protection…", self.open_data_protection, None, "fa5s.user-shield"
        )
        go = bar.addMenu("&Go")
        for i, title in enumerate(self.titles):
            self._add(go, title, partial(self.nav.setCurrentRow, i), f"Ctrl+{i + 1}")
        help_menu = bar.addMenu("&Help")
        self._add(help_menu, "&About Provider Desk", self.about)

    def _add(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        icon_name: str | None = None,
        *,
        needs_db: bool = True,
    ) -> QAction:
        action = QAction(text, self)
        self._icons.append(
            (action.setIcon, icon_name or "fa5s.circle", "#37474f" if icon_name else "#00000000")  # type: ignore[arg-type]
        )
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if needs_db:
            action.setEnabled(False)  # until attach()
            self._actions.append(action)
        menu.addAction(action)
        return action

    # Loading -------------------------------------------------------------------------------
    def refresh_all(self) -> None:
        """Load the organisation settings and the page on show (in the background). Other pages
        are built and load the first time they are opened, so start-up does not wait for them.
        ``first_page_shown`` fires once the page on show has its data."""
        self._load_settings()
        self.ctx.tasks.busy_changed.connect(self._on_busy_changed)
        self._ensure_loaded(self.nav.currentRow())

    def _on_busy_changed(self, busy: bool) -> None:
        if not busy:
            self.ctx.tasks.busy_changed.disconnect(self._on_busy_changed)
            self.first_page_shown.emit()

    def _on_nav_row_changed(self, row: int) -> None:
        if hasattr(self, "ctx"):
            self._ensure_loaded(row)
        self.stack.setCurrentIndex(row)

    def _ensure_loaded(self, row: int) -> None:
        if 0 <= row < len(self.pages) and row not in self._requested:
            self._requested.add(row)
            self._page_at(row).refresh()

    def _page_at(self, row: int) -> Page:
        """The page in ``row`` of the navigation, imported and built the first time."""
        page = self.pages[row]
        if page is None:
            key, target = NAV[row][0], NAV[row][3]
            page = self._build_page(key, target)
            self.pages[row] = page
            placeholder = self.stack.widget(row)
            assert placeholder is not None
            was_current = self.stack.currentIndex() == row
            self.stack.insertWidget(row, page)
            if was_current:
                self.stack.setCurrentIndex(row)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        return page

    def _build_page(self, key: str, target: str) -> Page:
        page: Page = load(target)(self.ctx)
        if key == HOME:
            from ui.home.page import HomePage

            assert isinstance(page, HomePage)
            page.set_last_opened(self._last_opened_day)
            page.area_requested.connect(self.show_area)
            page.settings_requested.connect(self.edit_settings)
            page.import_chosen.connect(self.choose_import)
        elif key != EVIDENCE and area(key).imports:
            page.import_requested.connect(partial(self._on_page_import, key))
        # The home page's to-do items, an action's source, a name: each opens its record.
        page.item_requested.connect(self.open_item)
        if key == "staff":
            splitter = self.qsettings.value("staff/splitter")
            if splitter is not None:
                page.splitter.restoreState(splitter)  # type: ignore[attr-defined]
        return page

    def _load_settings(self) -> None:
        from provider_desk.settings.queries import get_settings
        from ui.context import show_failure

        self.ctx.tasks.run(
            partial(get_settings, self.ctx.db),
            on_success=self._on_settings,
            on_failure=lambda e: show_failure(self, e, "Loading settings"),
        )

    def _on_settings(self, org: SettingsRow) -> None:
        self.org = org
        name = org.provider_name or "(set your provider name in Settings)"
        self.setWindowTitle(f"{name} — Provider Desk")
        self.provider_label.setText(org.provider_name or "Provider Desk")

    def _on_ctx_changed(self, changes: Changes) -> None:
        if changes.touches(SETTINGS):
            self._load_settings()

    # The change log, other PCs and the server ---------------------------------------------
    def show_history(self, table: str | None = None, row_id: int | None = None) -> HistoryDialog:
        """Open the change log (one viewer per window); with ``table`` and ``row_id``, on that
        record's history."""
        from ui.history.viewer import HistoryDialog

        dialog = getattr(self, "history_dialog", None)
        if dialog is None:
            dialog = self.history_dialog = HistoryDialog(self.ctx, self)
            if table is None:
                dialog.reload()
        if table is not None and row_id is not None:
            dialog.show_record(table, row_id)
        if dialog.isVisible() and QGuiApplication.platformName() != "offscreen":
            dialog.raise_()  # already open behind the window: bring it forward
            dialog.activateWindow()
        dialog.show()
        return dialog

    def show_selected_history(self) -> HistoryDialog | None:
        """The change log of the record selected on the page on show (a word in the status bar
        when nothing is selected)."""
        page = self.pages[self.nav.currentRow()]
        record = page.history_record() if page is not None else None
        if record is None:
            self.statusBar().showMessage(
                "Select a record first (a staff member, person, complaint, audit or action) to "
                "see its history.",
                10000,
            )
            return None
        return self.show_history(*record)

    def check_log_at_open(self, now: dt.datetime | None = None) -> None:
        """Check the change log (chain and anchor) in the background; warn clearly if it fails."""
        from provider_desk.history.verify import check_at_open

        db, stamp = self.ctx.db, now or self.ctx.now()
        self.ctx.tasks.run(
            lambda: check_at_open(db, stamp),
            on_success=self._on_log_checked,
            on_failure=lambda e: None,  # a database that cannot be read says so elsewhere
            export=True,  # reads the whole log: never holds up the first page
        )

    def _on_log_checked(self, result: LogCheck) -> None:
        from ui.history.warning import show_log_check

        self.ctx.log_check = result
        show_log_check(self, result, quiet_if_intact=True)

    def _on_connection_lost(self, why: str) -> None:
        note = getattr(self, "offline_note", None)
        if note is None:
            note = self.offline_note = QLabel()
            note.setObjectName("offlineNote")
            note.setStyleSheet("color: #8a5300; font-weight: bold;")
            note.setWordWrap(True)
            self.statusBar().insertPermanentWidget(0, note, 2)
        note.setText(
            "Can't reach the database server — your unsaved forms are kept; retrying every few "
            "seconds…"
        )
        note.setToolTip(why)
        note.show()

    def _on_connection_restored(self) -> None:
        note = getattr(self, "offline_note", None)
        if note is not None:
            note.hide()
        self.statusBar().showMessage(
            "Connected to the database server again: pages are up to date; you can save now.",
            15000,
        )

    # Menu actions --------------------------------------------------------------------------
    def choose_database(self) -> None:
        """Open another database file; the app restarts its window on it."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Open database",
            str(Path(self.ctx.db.location).parent),
            "Provider Desk database (*.sqlite3 *.db);;All files (*)",
        )
        if name:
            self.open_database_requested.emit(name)

    def backup(self) -> BackupNowDialog | None:
        """Back up now into the backup folder, with progress (a server database: explain)."""
        if not self.ctx.db.is_sqlite:
            from provider_desk.backup.server import PG_DUMP_EXPLAINED

            QMessageBox.information(self, "Back up", PG_DUMP_EXPLAINED)
            return None
        from ui.dialogs.backups import BackupNowDialog

        assert self.backups is not None
        dialog = BackupNowDialog(self.ctx, self.backups, self)
        dialog.open()
        return dialog

    def restore(self) -> RestoreWizard | None:
        """The restore wizard; once restored, the app reopens the database."""
        if not self.ctx.db.is_sqlite:
            QMessageBox.information(
                self,
                "Restore",
                "This database is on a PostgreSQL server: a pg_dump backup is put back there "
                "with pg_restore, by whoever runs the server.",
            )
            return None
        from ui.dialogs.backups import RestoreWizard

        assert self.backups is not None
        wizard = RestoreWizard(self.ctx, self.backups, self)
        wizard.restored.connect(self._on_wizard_restored)
        wizard.open()
        return wizard

    def _on_wizard_restored(self, done: Restored) -> None:
        kept = f" The database it replaced is kept at {done.kept}." if done.kept else ""
        self.statusBar().showMessage(f"Restored the backup {done.holding.path.name}.{kept}", 30000)
        if self.backups is not None:
            self.backups.automatic_on_exit = False  # this window closes for the reopened one
        self.open_database_requested.emit(str(done.database))

    def edit_backup_settings(self) -> BackupSettingsDialog:
        """Where backups go on this PC, and whether they are made automatically."""
        from ui.dialogs.backups import BackupSettingsDialog

        assert self.backups is not None
        dialog = BackupSettingsDialog(self.backups, self)
        dialog.open()
        return dialog

    def start_automatic_backups(self) -> None:
        """Back up at start if due, and on exit (the app does this; tests' windows do not)."""
        if self.backups is not None:
            self.backups.start_automatic()

    def show_network_warning(self, text: str) -> None:
        """The database is on a network share: say so in the status bar for the session."""
        self.network_label.setText("⚠ Database on a network share")
        self.network_label.setToolTip(text)
        self.network_label.show()
        self.statusBar().showMessage(text, 60000)

    def backup_to(self, target: Path) -> None:
        """Back up to ``target`` in the background and say where it went."""
        from provider_desk.backup import backup_now
        from ui.widgets.exporting import write_in_background

        db = self.ctx.db
        write_in_background(
            self,
            self.ctx,
            lambda _p: backup_now(db, target),
            target,
            "Backed up to {}".format,
            "The backup",
        )

    def page(self, key: str) -> Page:
        """The page of the area with ``key`` (``"home"``: the home page; ``"evidence"``: the
        evidence pack)."""
        return self._page_at(self.keys.index(key))

    def show_area(self, key: str, focus: str = "") -> None:
        """Switch to the page of the area ``key``, showing what ``focus`` names (see Page.focus)."""
        page = self.page(key)
        if focus:
            page.focus(focus)
        self.nav.setCurrentRow(self.keys.index(key))

    def open_evidence_pack(self) -> None:
        """Go to the evidence pack page, ready for Enter to build it."""
        self.show_area(EVIDENCE)
        self.evidence.focus_first()

    def open_item(self, item: Attention) -> None:
        """Switch to the page of ``item``'s area with its record selected (see Page.open_item)."""
        page = self.page(item.area)
        page.open_item(item)
        self.nav.setCurrentRow(self.keys.index(item.area))

    def _last_opened(self) -> dt.date | None:
        """The day the app was last opened here (None: never), remembering today for next time."""
        saved = self.qsettings.value("home/last_opened")
        self.qsettings.setValue("home/last_opened", self.ctx.today().isoformat())
        try:
            return dt.date.fromisoformat(str(saved)) if saved else None
        except ValueError:
            return None

    def _staff(self) -> StaffPage:
        from ui.areas.staff.page import StaffPage

        page = self.page("staff")
        assert isinstance(page, StaffPage)
        return page

    def _training(self) -> TrainingPage:
        from ui.areas.training.page import TrainingPage

        page = self.page("training")
        assert isinstance(page, TrainingPage)
        return page

    def _supervision(self) -> SupervisionPage:
        from ui.areas.supervision.page import SupervisionPage

        page = self.page("supervision")
        assert isinstance(page, SupervisionPage)
        return page

    def _on_page_import(self, key: str) -> None:
        page = self.page(key)
        name = page.current_importer() or next(iter(area(key).imports))
        self.choose_import(name)

    def choose_import(self, name: str) -> None:
        """Choose a spreadsheet for importer ``name`` and preview what it would do."""
        importer = importers()[name]
        path, _ = QFileDialog.getOpenFileName(
            self, f"Import {importer.title}", "", "Spreadsheets (*.xlsx *.csv)"
        )
        if path:
            self.open_import(Path(path), name)

    def open_import(self, path: Path, kind: str = "staff") -> ImportDialog:
        """Show the import preview for ``path``."""
        from ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, path, self, kind=kind, settings=self.qsettings)
        dialog.open()
        return dialog

    def edit_settings(self) -> SettingsDialog:
        """Open the organisation settings."""
        from provider_desk.settings.queries import SettingsRow
        from ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self.org or SettingsRow(), self)
        dialog.open()
        return dialog

    def open_data_protection(self) -> DataProtectionDialog:
        """Open Settings ▸ Data protection: records past retention and retention periods."""
        from ui.dialogs.data_protection_dialog import DataProtectionDialog

        dialog = DataProtectionDialog(self.ctx, self)
        dialog.open()
        return dialog

    def edit_job_roles(self) -> JobRolesDialog:
        """Open the job roles list."""
        from ui.areas.staff.job_roles_dialog import JobRolesDialog

        dialog = JobRolesDialog(self.ctx, self)
        dialog.open()
        return dialog

    def edit_users(self) -> UsersDialog:
        """Open the list of users (registered managers only)."""
        from ui.auth.users_dialog import UsersDialog

        dialog = UsersDialog(self.ctx, self)
        dialog.open()
        return dialog

    def change_password(self) -> ChangeOwnPasswordForm:
        """Change the signed-in user's own password."""
        from ui.auth.users_dialog import ChangeOwnPasswordForm

        form = ChangeOwnPasswordForm(self.ctx, self)
        form.accepted.connect(lambda: self.statusBar().showMessage("Password changed.", 10000))
        form.open()
        return form

    def _start_lock(self) -> None:
        """Lock after the organisation's minutes without use (read in the background)."""
        from provider_desk.auth.queries import lock_after_minutes
        from ui.auth.lock import InactivityLock
        from ui.context import show_failure

        self.lock = lock = InactivityLock(self, self.ctx)
        lock.sign_out_requested.connect(self.sign_out_requested.emit)
        self.ctx.tasks.run(
            partial(lock_after_minutes, self.ctx.db),
            on_success=lock.set_minutes,
            on_failure=lambda e: show_failure(self, e, "Reading when to lock"),
        )

    def lock_now(self) -> None:
        """Lock at once (leaving the PC for a moment)."""
        if self.lock is not None:
            self.lock.lock()

    def sign_out(self) -> None:
        """Sign out so someone else can sign in (asks first if forms are open)."""
        if self.lock is None:
            return
        from ui.context import ask

        forms = self.lock.open_forms()
        if forms and not ask(
            self,
            "Sign out",
            f"Signing out closes {len(forms)} open form{'s' if len(forms) != 1 else ''}; "
            "anything not saved in them is lost. Sign out?",
        ):
            return
        for form in forms:
            form.close()
        self.sign_out_requested.emit()

    def about(self) -> None:
        """Version, database and where to get help."""
        QMessageBox.about(
            self,
            "About Provider Desk",
            f"<b>Provider Desk {__version__}</b><p>Staff, training and CQC evidence for "
            "homecare providers in England.</p>"
            f"<p>Database: {self.ctx.db.location}</p>",
        )

    # Window layout -------------------------------------------------------------------------
    def set_nav_narrow(self, narrow: bool) -> None:
        """Narrow the sidebar to the pages' icons (their names become tooltips), or widen it."""
        self.nav_narrow = narrow
        for i, title in enumerate(self.titles):
            item = self.nav.item(i)
            item.setText("" if narrow else title)
            item.setToolTip(title if narrow else "")
        self.nav.setFixedWidth(NAV_NARROW if narrow else NAV_WIDE)
        self.provider_label.setVisible(not narrow)
        self._set_toggle_icon()
        self.nav_toggle.setText("" if narrow else "Narrow")
        self.nav_toggle.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if narrow
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        )
        self.nav_toggle.setToolTip("Show the pages' names" if narrow else "Show only icons")

    def _restore_layout(self) -> None:
        self.set_nav_narrow(bool(self.qsettings.value("main/nav_narrow", False, type=bool)))
        geometry = self.qsettings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def save_layout(self) -> None:
        """Remember size, position and splitters (the app always opens on the home page)."""
        self.qsettings.setValue("main/geometry", self.saveGeometry())
        self.qsettings.setValue("main/nav_narrow", self.nav_narrow)
        staff = self.pages[self.keys.index("staff")]
        if staff is not None:  # a page never built keeps what was saved before
            self.qsettings.setValue("staff/splitter", staff.splitter.saveState())  # type: ignore[attr-defined]

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.backups is not None and self.backups.backup_on_exit(self, self.close):
            event.ignore()  # closes again once the backup on exit is over
            return
        self.save_layout()
        if self.lock is not None:
            self.lock.stop()
        if hasattr(self, "ctx"):
            self.ctx.tasks.shutdown()
        super().closeEvent(event)
