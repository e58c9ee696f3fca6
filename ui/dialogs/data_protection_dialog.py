"""Settings ▸ Data protection: records past their retention (review, choose, confirm, purge) and
how long each kind of record is kept."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.auth.roles import Permission
from provider_desk.privacy.retention import (
    PastRetention,
    PurgeResult,
    past_retention,
    purge_past_retention,
)
from provider_desk.rules import retention as r
from provider_desk.rules.dates import format_date
from provider_desk.settings.retention import RetentionRow, retention_settings, update_retention
from ui.context import AppContext, say, show_failure
from ui.models.table import SORT_ROLE, SortedRowsModel, sort_key

AnyIndex = QModelIndex | QPersistentModelIndex

HEADERS = ("", "Kind of record", "Who or what", "Event", "Retention", "Kept until", "Past by")
CHECK, TYPE, WHAT, EVENT, RETENTION, UNTIL, PAST = range(7)
MANAGER_ONLY = (
    "Only the registered manager can change retention periods or purge records. You can review "
    "the list."
)


class PastRetentionModel(SortedRowsModel[PastRetention]):
    """Records past retention with a tick box each; a held record cannot be ticked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chosen: set[tuple[str, int]] = set()

    def set_rows(self, rows: Sequence[PastRetention]) -> None:
        """Show ``rows``; ticks stay on records still listed."""
        keys = {p.key for p in rows}
        self.chosen &= keys
        self.replace_rows(rows)

    def rows(self) -> list[PastRetention]:
        """Every row shown, in order."""
        return list(self._rows)

    def chosen_rows(self) -> list[PastRetention]:
        """The ticked records, in the order shown."""
        return [p for p in self._rows if p.key in self.chosen]

    def choose_all(self, on: bool) -> None:
        """Tick every record that can be purged (or untick all)."""
        self.chosen = {p.key for p in self._rows if p.can_purge} if on else set()
        if self._rows:
            self.dataChanged.emit(self.index(0, CHECK), self.index(len(self._rows) - 1, CHECK))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == CHECK and self._rows[index.row()].can_purge:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def sort_value(self, row: PastRetention, column: int) -> Any:
        return {
            CHECK: row.key in self.chosen,
            TYPE: row.type_label,
            WHAT: row.what,
            EVENT: row.event_on,
            RETENTION: row.months,
            UNTIL: row.kept_until,
            PAST: row.days_past,
        }[column]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == CHECK:
            return Qt.CheckState.Checked if p.key in self.chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                CHECK: "",
                TYPE: p.type_label,
                WHAT: p.what + (f" — with {p.includes}" if p.includes else ""),
                EVENT: f"{p.event.capitalize()} {format_date(p.event_on)}",
                RETENTION: r.months_text(p.months),
                UNTIL: format_date(p.kept_until),
                PAST: "Held" if p.held else p.past_by,
            }[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return p.held or p.line()
        if role == SORT_ROLE:
            return sort_key(self.sort_value(p, col))
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != CHECK:
            return False
        p = self._rows[index.row()]
        if not p.can_purge:
            return False
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self.chosen.add(p.key)
        else:
            self.chosen.discard(p.key)
        self.dataChanged.emit(index, index)
        return True


class ConfirmPurgeDialog(QDialog):
    """Lists exactly what a purge deletes; the Purge button works only once the manager ticks
    that they reviewed it. Cancel is the default."""

    def __init__(self, items: Sequence[PastRetention], reviewer: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Purge records past retention")
        self.resize(760, 480)
        n = len(items)
        title = QLabel(
            f"<b>Permanently delete {n} record{'s' if n != 1 else ''} and everything that "
            "belongs to them?</b>"
        )
        self.listing = QPlainTextEdit("\n".join(p.line() for p in items))
        self.listing.setReadOnly(True)
        note = QLabel(
            "This cannot be undone: a backup made before now still holds them. Records kept for "
            "their own periods that only mention these (a complaint about a leaver, a person "
            "whose key worker left) stay, without the link. The change log keeps an entry for "
            f"every row deleted and records that {reviewer} reviewed this purge; the change log "
            "itself is never purged."
        )
        note.setWordWrap(True)
        self.reviewed = QCheckBox(
            "I have reviewed these records: they are past their retention and may be destroyed."
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.purge_button = self.buttons.addButton(
            f"Purge {n} record{'s' if n != 1 else ''}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.purge_button.setEnabled(False)
        self.purge_button.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.reviewed.toggled.connect(self.purge_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.listing, 1)
        layout.addWidget(note)
        layout.addWidget(self.reviewed)
        layout.addWidget(self.buttons)


class DataProtectionDialog(QDialog):
    """Review and purge records past retention; set each kind of record's retention."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Data protection")
        self.resize(1180, 640)
        self.manager = ctx.db.actor.can(Permission.MANAGE_SETTINGS)
        self.confirm: ConfirmPurgeDialog | None = None
        self.last_result: PurgeResult | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._past_tab(), "Records past retention")
        self.tabs.addTab(self._periods_tab(), "Retention periods")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.reload()

    # The list ---------------------------------------------------------------------------------
    def _past_tab(self) -> QWidget:
        tab = QWidget()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model = PastRetentionModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (CHECK, 28),
            (TYPE, 200),
            (EVENT, 200),
            (RETENTION, 80),
            (UNTIL, 100),
            (PAST, 130),
        ):
            header.resizeSection(col, width)
        self.table.sortByColumn(PAST, Qt.SortOrder.DescendingOrder)  # longest past first
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.all_button = QPushButton("Tick all that can go")
        self.none_button = QPushButton("Untick all")
        self.purge_button = QPushButton("Purge ticked records…")
        self.refresh_button = QPushButton("Refresh")
        row = QHBoxLayout()
        for b in (self.all_button, self.none_button):
            row.addWidget(b)
        row.addWidget(self.count, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.purge_button)
        v = QVBoxLayout(tab)
        v.addWidget(self.intro)
        if not self.manager:
            v.addWidget(QLabel(MANAGER_ONLY))
        v.addWidget(self.table, 1)
        v.addLayout(row)
        self.all_button.clicked.connect(lambda: self.model.choose_all(True))
        self.none_button.clicked.connect(lambda: self.model.choose_all(False))
        self.refresh_button.clicked.connect(self.reload)
        self.purge_button.clicked.connect(self.ask_purge)
        self.model.dataChanged.connect(lambda *_a: self._update())
        self.model.modelReset.connect(self._update)
        return tab

    def _update(self) -> None:
        rows = self.model.rows()
        held = sum(1 for p in rows if not p.can_purge)
        chosen = len(self.model.chosen)
        self.count.setText(
            f"{len(rows)} past retention"
            + (f", {held} held" if held else "")
            + f" · {chosen} ticked"
        )
        for b in (self.all_button, self.none_button):
            b.setEnabled(self.manager and bool(rows))
        self.purge_button.setEnabled(self.manager and chosen > 0)
        if not self.manager:
            self.purge_button.setToolTip(MANAGER_ONLY)

    def reload(self) -> None:
        """Read the list and the periods again (in the background)."""
        db, today = self.ctx.db, self.ctx.today()
        self.intro.setText(
            f"Records whose retention ended before {format_date(today)}, longest past first. "
            "Nothing is deleted until you tick records, choose Purge and confirm. A held record "
            "is still named by records kept for their own periods (hover for why)."
        )
        self.ctx.tasks.run(
            lambda: (past_retention(db, today), retention_settings(db)),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Reading the records past retention"),
        )

    def _on_loaded(self, loaded: tuple[list[PastRetention], list[RetentionRow]]) -> None:
        items, periods = loaded
        self.model.set_rows(items)
        self._show_periods(periods)

    def ask_purge(self) -> ConfirmPurgeDialog | None:
        """Show what the ticked records are and purge them once the manager confirms."""
        chosen = self.model.chosen_rows()
        if not chosen:
            return None
        self.confirm = ConfirmPurgeDialog(chosen, self.ctx.db.actor.name, self)
        self.confirm.accepted.connect(partial(self._purge, [p.key for p in chosen]))
        self.confirm.open()
        return self.confirm

    def _purge(self, keys: list[tuple[str, int]]) -> None:
        db, today = self.ctx.db, self.ctx.today()
        self.purge_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda: purge_past_retention(db, keys, today=today),
            on_success=self._on_purged,
            on_failure=self._on_purge_failed,
        )

    def _on_purged(self, result: PurgeResult) -> None:
        self.last_result = result
        self.ctx.announce(result.changes)
        say(
            self,
            f"Purged {result.records} records past retention ({result.rows} rows, "
            f"{result.files} files); recorded in the change log.",
        )
        self.purged_label.setText(
            f"Last purge: {result.records} records ({result.rows} rows with what belonged to "
            f"them, {result.files} stored files) — {result.summary}."
        )
        self.reload()

    def _on_purge_failed(self, exc: BaseException) -> None:
        self._update()
        show_failure(self, exc, "Purging")
        self.reload()

    # The periods ------------------------------------------------------------------------------
    def _periods_tab(self) -> QWidget:
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setColumnStretch(3, 1)
        self.years: dict[str, QSpinBox] = {}
        # Record type -> version of its saved row as shown (None: none saved); read with them.
        self._period_versions: dict[str, int | None] = {}
        self.months: dict[str, QSpinBox] = {}
        for n, t in enumerate(r.TYPES):
            name = QLabel(f"<b>{t.label}</b><br>after {t.event}")
            years = QSpinBox()
            years.setRange(0, 100)
            years.setSuffix(" years")
            months = QSpinBox()
            months.setRange(0, 11)
            months.setSuffix(" months")
            for box in (years, months):
                box.setEnabled(self.manager)
            self.years[t.key], self.months[t.key] = years, months
            help_text = QLabel(f"Holds {t.covers}. {t.source}")
            help_text.setWordWrap(True)
            help_text.setObjectName("helpText")
            grid.addWidget(name, n, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(years, n, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(months, n, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(help_text, n, 3)
        log = QLabel(f"<b>The change log</b> — {r.CHANGE_LOG_NOTE}")
        log.setWordWrap(True)
        grid.addWidget(log, len(r.TYPES), 0, 1, 4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.save_periods_button = QPushButton("Save periods")
        self.save_periods_button.setEnabled(False)  # until the periods (and versions) are read
        self.save_periods_button.clicked.connect(self.save_periods)
        self.purged_label = QLabel()
        self.purged_label.setWordWrap(True)
        self.periods_error = QLabel()
        self.periods_error.setObjectName("fieldError")
        self.periods_error.setWordWrap(True)
        tab = QWidget()
        v = QVBoxLayout(tab)
        intro = QLabel(
            "How long each kind of record is kept after the event that ends it. The defaults "
            "are the indicative periods in shared/reference/regulation.md §9.3 (none confirmed "
            "from the Records Management Code's tables yet): set your records policy's periods."
            + ("" if self.manager else " " + MANAGER_ONLY)
        )
        intro.setWordWrap(True)
        v.addWidget(intro)
        v.addWidget(scroll, 1)
        v.addWidget(self.periods_error)
        row = QHBoxLayout()
        row.addWidget(self.purged_label, 1)
        row.addWidget(self.save_periods_button)
        v.addLayout(row)
        return tab

    def _show_periods(self, periods: Sequence[RetentionRow]) -> None:
        self._period_versions = {p.key: p.version for p in periods}
        self.save_periods_button.setEnabled(self.manager)
        for p in periods:
            if p.key in self.years:
                self.years[p.key].setValue(p.months // 12)
                self.months[p.key].setValue(p.months % 12)

    def chosen_periods(self) -> dict[str, int]:
        """Months per record type as set on the form."""
        return {k: self.years[k].value() * 12 + self.months[k].value() for k in self.years}

    def save_periods(self) -> None:
        """Save the periods (the list is read again: what is past retention may change)."""
        db, months = self.ctx.db, self.chosen_periods()
        shown = dict(self._period_versions)
        self.periods_error.clear()
        self.save_periods_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda: update_retention(db, months, expected_versions=shown),
            on_success=self._on_periods_saved,
            on_failure=self._on_periods_failed,
        )

    def _on_periods_saved(self, changes: Any) -> None:
        self.save_periods_button.setEnabled(self.manager)
        self.ctx.announce(changes)
        say(self, "Retention periods saved.")
        self.reload()

    def _on_periods_failed(self, exc: BaseException) -> None:
        from provider_desk.errors import ValidationError

        self.save_periods_button.setEnabled(self.manager)
        if isinstance(exc, ValidationError):
            self.periods_error.setText("\n".join(p.message for p in exc.problems))
            return
        show_failure(self, exc, "Saving the retention periods")
