"""The main window: navigation, one page per area, menus and the status bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
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
from provider_desk.areas import AREAS, area, importers
from provider_desk.backup import backup_now, default_backup_name
from provider_desk.changes import SETTINGS, Changes
from provider_desk.reading import Attention
from provider_desk.settings.queries import SettingsRow, get_settings
from ui.areas import make_page
from ui.areas.staff.job_roles_dialog import JobRolesDialog
from ui.areas.staff.page import StaffPage
from ui.areas.supervision.page import SupervisionPage
from ui.areas.training.page import TrainingPage
from ui.context import AppContext, show_failure
from ui.dialogs.import_dialog import ImportDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.evidence.page import EvidencePage
from ui.home.page import HomePage
from ui.icons import icon
from ui.page import Page
from ui.widgets.exporting import write_in_background

HOME = "home"
EVIDENCE = "evidence"
NAV_WIDE, NAV_NARROW = 190, 52
"""The sidebar's width with the pages' names, and narrowed to their icons."""


class MainWindow(QMainWindow):
    """Navigation on the left, the chosen area on the right."""

    open_database_requested = Signal(str)
    pages_loaded = Signal()

    def __init__(self, ctx: AppContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.qsettings = settings or QSettings()
        self.org = SettingsRow()
        self.setWindowTitle("Provider Desk")
        self.setWindowIcon(icon("fa5s.hands-helping", "#1f5f8b"))
        # The home page first, the evidence pack, then one page per area in the order of AREAS.
        self.home = HomePage(ctx)
        self.home.set_last_opened(self._last_opened())
        self.evidence = EvidencePage(ctx)
        self.keys = [HOME, EVIDENCE, *(a.key for a in AREAS)]
        self.pages: list[Page] = [
            self.home,
            self.evidence,
            *(make_page(a.key, ctx) for a in AREAS),
        ]
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for page in self.pages:
            item = QListWidgetItem(icon(page.icon_name, "#1f3a4d"), page.title)
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self._requested: set[int] = set()
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.nav.setCurrentRow(0)
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
        self.db_label = QLabel(f"Database: {ctx.db.location}")
        self.user_label = QLabel(f"User: {ctx.db.user}")
        self.statusBar().addPermanentWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menus()
        for entry in AREAS:
            if entry.imports:
                self.page(entry.key).import_requested.connect(
                    partial(self._on_page_import, entry.key)
                )
        self.home.area_requested.connect(self.show_area)
        for page in self.pages:  # the home page's to-do items, an action's source, a name
            page.item_requested.connect(self.open_item)
        self.home.settings_requested.connect(self.edit_settings)
        self.home.import_chosen.connect(self.choose_import)
        ctx.changed.connect(self._on_ctx_changed)
        self._restore_layout()

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
        file_menu.addSeparator()
        self._add(
            file_menu,
            "&Evidence pack for inspection…",
            self.open_evidence_pack,
            "Ctrl+E",
            "fa5s.file-pdf",
        )
        file_menu.addSeparator()
        for entry in AREAS:
            for importer in entry.imports.values():
                self._add(
                    file_menu,
                    f"Import {importer.title}…",
                    partial(self.choose_import, importer.name),
                    None,
                    "fa5s.file-import",
                )
        file_menu.addSeparator()
        staff, training, supervision = self._staff(), self._training(), self._supervision()
        self._add(file_menu, "&Export staff…", staff.export, None, "fa5s.file-export")
        self._add(file_menu, "Export training &matrix…", training.export_matrix, None, "fa5s.table")
        self._add(
            file_menu, "ASC-WDS training &file…", training.export_asc_wds, None, "fa5s.upload"
        )
        self._add(
            file_menu,
            "Export supervision &log…",
            supervision.export,
            None,
            "fa5s.file-export",
        )
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        settings_menu = bar.addMenu("&Settings")
        self._add(
            settings_menu, "&Organisation settings…", self.edit_settings, None, "fa5s.building"
        )
        self._add(settings_menu, "&Job roles…", self.edit_job_roles, None, "fa5s.id-badge")
        self._add(
            settings_menu,
            "&Courses and required training…",
            training.open_courses,
            None,
            "fa5s.book",
        )
        go = bar.addMenu("&Go")
        for i, page in enumerate(self.pages):
            self._add(
                go,
                page.title,
                partial(self.nav.setCurrentRow, i),
                f"Ctrl+{i + 1}",
            )
        help_menu = bar.addMenu("&Help")
        self._add(help_menu, "&About Provider Desk", self.about)

    def _add(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        icon_name: str | None = None,
    ) -> QAction:
        action = QAction(
            icon(icon_name) if icon_name else icon("fa5s.circle", "#00000000"), text, self
        )
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # Loading -------------------------------------------------------------------------------
    def refresh_all(self) -> None:
        """Load the organisation settings and the page on show (in the background). Other pages
        load the first time they are opened, so start-up does not wait for them."""
        self._load_settings()
        self._ensure_loaded(self.nav.currentRow())

    def _on_nav_row_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self._ensure_loaded(row)

    def _ensure_loaded(self, row: int) -> None:
        if 0 <= row < len(self.pages) and row not in self._requested:
            self._requested.add(row)
            self.pages[row].refresh()

    def _load_settings(self) -> None:
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

    def backup(self) -> None:
        """Save a consistent copy of the database where the user chooses."""
        if not self.ctx.db.is_sqlite:
            QMessageBox.information(
                self,
                "Back up",
                "This database is on a server: it is backed up on the server (for example with "
                "scheduled pg_dump), not from this PC.",
            )
            return
        suggested = Path(self.ctx.db.location).parent / default_backup_name(self.ctx.db)
        name, _ = QFileDialog.getSaveFileName(
            self, "Back up now", str(suggested), "Provider Desk database (*.sqlite3)"
        )
        if name:
            self.backup_to(Path(name))

    def backup_to(self, target: Path) -> None:
        """Back up to ``target`` in the background and say where it went."""
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
        return self.pages[self.keys.index(key)]

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
        page = self.page("staff")
        assert isinstance(page, StaffPage)
        return page

    def _training(self) -> TrainingPage:
        page = self.page("training")
        assert isinstance(page, TrainingPage)
        return page

    def _supervision(self) -> SupervisionPage:
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
        dialog = ImportDialog(self.ctx, path, self, kind=kind, settings=self.qsettings)
        dialog.open()
        return dialog

    def edit_settings(self) -> SettingsDialog:
        """Open the organisation settings."""
        dialog = SettingsDialog(self.ctx, self.org, self)
        dialog.open()
        return dialog

    def edit_job_roles(self) -> JobRolesDialog:
        """Open the job roles list."""
        dialog = JobRolesDialog(self.ctx, self)
        dialog.open()
        return dialog

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
        for i, page in enumerate(self.pages):
            item = self.nav.item(i)
            item.setText("" if narrow else page.title)
            item.setToolTip(page.title if narrow else "")
        self.nav.setFixedWidth(NAV_NARROW if narrow else NAV_WIDE)
        self.provider_label.setVisible(not narrow)
        self.nav_toggle.setIcon(
            icon("fa5s.angle-double-right" if narrow else "fa5s.angle-double-left")
        )
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
        splitter = self.qsettings.value("staff/splitter")
        if splitter is not None:
            self._staff().splitter.restoreState(splitter)

    def save_layout(self) -> None:
        """Remember size, position and splitters (the app always opens on the home page)."""
        self.qsettings.setValue("main/geometry", self.saveGeometry())
        self.qsettings.setValue("main/nav_narrow", self.nav_narrow)
        self.qsettings.setValue("staff/splitter", self._staff().splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.ctx.tasks.wait()
        super().closeEvent(event)
