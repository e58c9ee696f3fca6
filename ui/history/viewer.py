"""The change log viewer: who changed which record, when, and each field's old and new value;
filtered by record, user, period and area; opened from the menu (Ctrl+H) or from any record's
"History…"."""

from __future__ import annotations

import datetime as dt
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from provider_desk.errors import ValidationError
from provider_desk.history.queries import (
    HistoryEntry,
    HistoryFilter,
    HistoryPage,
    RecordRef,
    find_records_in,
    history_in,
    record_ref_in,
    users_in,
)
from provider_desk.history.records import AREA_TITLES
from provider_desk.rules.dates import DateParseError
from ui.context import AppContext, say, show_failure
from ui.models.table import Column, RowTableModel
from ui.widgets.date_field import DateField
from ui.widgets.filters import refill_combo
from ui.widgets.tables import make_table_view

COLUMNS: tuple[Column[HistoryEntry], ...] = (
    Column("When", lambda e: e.when, sort=lambda e: e.id),
    Column("Who", lambda e: e.who),
    Column("Record", lambda e: e.record, tooltip=lambda e: f"{e.kind}: {e.record}"),
    Column("Action", lambda e: e.action_label),
    Column(
        "Change",
        lambda e: e.summary,
        tooltip=lambda e: "\n".join(c.text() for c in e.changes[:20]),
    ),
)
WHEN, WHO, RECORD, ACTION, CHANGE = range(len(COLUMNS))
RECORD_WIDTH = 380
"""The record column is the one people read first: wide enough for "Mary Jones (P-0012) — Risk
assessment: Moving and handling"."""
SEARCH_DELAY_MS = 300
RELOAD_DELAY_MS = 250


class HistoryDialog(QDialog):
    """The change log, newest first, a page at a time; the selected entry's fields below."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("historyDialog")
        self.setWindowTitle("Change log")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1100, 640)
        self.record: RecordRef | None = None
        self.page: HistoryPage | None = None
        self.rows: list[HistoryEntry] = []
        self.loaded_filter: HistoryFilter | None = None
        self._request = 0  # answers to older requests are dropped
        self._search_request = 0
        self._found: dict[str, RecordRef] = {}

        # Filters ---------------------------------------------------------------------------
        self.record_edit = QLineEdit()
        self.record_edit.setObjectName("historyRecord")
        self.record_edit.setPlaceholderText("Type a name or reference: a person, staff, complaint…")
        self.record_edit.setClearButtonEnabled(True)
        self.record_edit.setMinimumWidth(300)
        self._completions = QStringListModel(self)
        self.completer = QCompleter(self._completions, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.record_edit.setCompleter(self.completer)
        self.completer.activated.connect(self._on_completer_activated)
        self.record_edit.textEdited.connect(self._on_record_text_edited)
        self.record_edit.textChanged.connect(self._on_record_text_changed)
        self.parts = QCheckBox("With its parts")
        self.parts.setToolTip(
            "A staff file's checks, training and supervision; a person's care plans, risk "
            "assessments, goals and reviews; a complaint's timeline."
        )
        self.parts.setChecked(True)
        self.user = QComboBox()
        self.user.setObjectName("historyUser")
        refill_combo(self.user, "Everyone", [])
        self.start = DateField()
        self.end = DateField()
        self.area = QComboBox()
        refill_combo(self.area, "All areas", list(AREA_TITLES), list(AREA_TITLES.values()))
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.problem = QLabel()
        self.problem.setObjectName("formError")
        self.problem.setWordWrap(True)
        self.problem.hide()
        grid = QGridLayout()
        grid.addWidget(QLabel("Record"), 0, 0)
        grid.addWidget(self.record_edit, 0, 1)
        grid.addWidget(self.parts, 0, 2)
        grid.addWidget(QLabel("By"), 0, 3)
        grid.addWidget(self.user, 0, 4)
        grid.addWidget(QLabel("Area"), 0, 5)
        grid.addWidget(self.area, 0, 6)
        grid.addWidget(QLabel("From"), 1, 0)
        dates = QHBoxLayout()
        for box in (self.start, self.end):
            box.setMinimumWidth(300)  # room for the hint: "Monday 22 Nov 2026"
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        grid.addLayout(dates, 1, 1, 1, 4)
        grid.addWidget(self.clear_button, 1, 6)
        grid.setColumnStretch(1, 1)

        # The log and the selected entry -------------------------------------------------------
        self.model: RowTableModel[HistoryEntry] = RowTableModel(COLUMNS, self)
        self.table = make_table_view(self.model, stretch=CHANGE)
        self.table.setObjectName("historyTable")
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.detail = QTextBrowser()
        self.detail.setObjectName("historyDetail")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Choose an entry to see every field it changed.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        # Footer -----------------------------------------------------------------------------
        self.count = QLabel("Loading…")
        self.count.setObjectName("historyCount")
        self.more_button = QPushButton("Show older entries")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.setEnabled(False)
        self.check_button = QPushButton("Check the log")
        self.check_button.setToolTip(
            "Check that no entry was altered, inserted or removed outside Provider Desk "
            "(the same check as `provider-desk verify-log`)."
        )
        self.check_button.clicked.connect(self.check_log)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save what is listed (every page) as a spreadsheet.")
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(self.more_button)
        footer.addWidget(self.check_button)
        footer.addWidget(self.export_button)
        footer.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)
        for signal in (
            self.parts.toggled,
            self.user.currentIndexChanged,
            self.area.currentIndexChanged,
            self.start.changed,
            self.end.changed,
        ):
            signal.connect(self._reload_timer.start)
        QShortcut(QKeySequence.StandardKey.Find, self, self.record_edit.setFocus)
        ctx.changed.connect(self._on_ctx_changed)

    # Filters ---------------------------------------------------------------------------------
    def current_filter(self) -> HistoryFilter:
        """The filters as chosen.

        Raises:
            ValidationError: a date box does not hold a date.
        """
        dates: list[dt.date | None] = []
        for name, box in (("start", self.start), ("end", self.end)):
            try:
                dates.append(box.date())
            except DateParseError as exc:
                raise ValidationError.single(name, f"{exc} Type it like 22/11/2026.") from None
        return HistoryFilter(
            record=self.record,
            with_parts=self.parts.isChecked(),
            who=self.user.currentData() or "",
            start=dates[0],
            end=dates[1],
            area=self.area.currentData() or "",
        )

    def clear_filters(self) -> None:
        """Show every entry."""
        self.record = None
        for widget in (self.record_edit, self.user, self.area, self.start, self.end):
            widget.blockSignals(True)
        self.record_edit.clear()
        self.user.setCurrentIndex(0)
        self.area.setCurrentIndex(0)
        self.start.set_date(None)
        self.end.set_date(None)
        for widget in (self.record_edit, self.user, self.area, self.start, self.end):
            widget.blockSignals(False)
        self.reload()

    def set_record(self, ref: RecordRef | None) -> None:
        """Show the history of ``ref`` only (None: of every record)."""
        self.record = ref
        self.record_edit.blockSignals(True)
        self.record_edit.setText(ref.description if ref else "")
        self.record_edit.blockSignals(False)
        self.reload()

    def set_user(self, who: str) -> None:
        """Show only what ``who`` changed ("" for everyone)."""
        index = self.user.findData(who) if who else 0
        if index < 0:
            self.user.addItem(who, who)
            index = self.user.count() - 1
        self.user.setCurrentIndex(index)

    def show_record(self, table: str, row_id: int) -> None:
        """Open on the history of record ``(table, row_id)`` (described on the worker)."""
        db = self.ctx.db
        self.count.setText("Loading…")
        self.ctx.tasks.run(
            lambda: db.read(lambda s: record_ref_in(s, table, row_id)),
            on_success=self.set_record,
            on_failure=lambda e: show_failure(self, e, "Opening the history"),
        )

    def _on_record_text_edited(self, text: str) -> None:
        self._search_timer.start()

    def _on_record_text_changed(self, text: str) -> None:
        chosen = self._found.get(text)
        if chosen is not None and chosen != self.record:
            self.record = chosen
            self._reload_timer.start()
        elif self.record is not None and text != self.record.description:
            self.record = None  # typing again (or clearing) widens the log back
            self._reload_timer.start()

    def _on_completer_activated(self, text: str) -> None:
        chosen = self._found.get(text)
        if chosen is not None:
            self.record = chosen
            self.reload()

    def _search(self) -> None:
        text = self.record_edit.text().strip()
        if len(text) < 2:
            return
        self._search_request += 1
        request = self._search_request
        db = self.ctx.db
        self.ctx.tasks.run(
            lambda: db.read(lambda s: find_records_in(s, text)),
            on_success=partial(self._on_found, request),
            on_failure=lambda e: show_failure(self, e, "Searching records"),
        )

    def _on_found(self, request: int, refs: list[RecordRef]) -> None:
        if request != self._search_request:
            return
        self._found.update({r.description: r for r in refs})
        self._completions.setStringList([r.description for r in refs])
        if refs and self.record_edit.hasFocus():
            self.completer.complete()

    # Loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the first page for the filters as they are now (off the GUI thread)."""
        self._reload_timer.stop()
        try:
            f = self.current_filter()
        except ValidationError as exc:
            self._show_problem(exc)
            return
        self._run(f, None)

    def load_more(self) -> None:
        """Add the next page of older entries."""
        if self.page is not None and self.page.more and self.loaded_filter is not None:
            self._run(self.loaded_filter, self.page.oldest_id)

    def _run(self, f: HistoryFilter, before_id: int | None) -> None:
        self._request += 1
        request = self._request
        db, today = self.ctx.db, self.ctx.today()

        def read() -> tuple[HistoryPage, list[str]]:
            with db.reading() as s:
                page = history_in(s, f, today, before_id=before_id, count=before_id is None)
                return page, users_in(s) if before_id is None else []

        self.more_button.setEnabled(False)
        self.ctx.tasks.run(
            read,
            on_success=partial(self._on_loaded, request, f, before_id),
            on_failure=partial(self._on_failed, request),
        )

    def _on_loaded(
        self,
        request: int,
        f: HistoryFilter,
        before_id: int | None,
        result: tuple[HistoryPage, list[str]],
    ) -> None:
        if request != self._request:
            return
        page, users = result
        self.problem.hide()
        selected = self.selected()
        if before_id is None:
            self.rows = list(page.entries)
            refill_combo(self.user, "Everyone", users)
            total = page.total
        else:
            self.rows += page.entries
            total = self.page.total if self.page is not None else len(self.rows)
            page = HistoryPage(page.entries, total, page.more)
        self.page = page
        self.loaded_filter = f
        self.model.set_rows(self.rows)
        header = self.table.horizontalHeader()
        header.resizeSection(RECORD, max(header.sectionSize(RECORD), RECORD_WIDTH))
        self.more_button.setEnabled(page.more)
        self.count.setText(
            f"{total:,} entries"
            if len(self.rows) >= total
            else f"Newest {len(self.rows):,} of {total:,} entries"
        )
        if not self.rows:
            self.count.setText("No entries match these filters.")
        keep = selected.id if selected is not None and before_id is None else None
        self._select(keep if keep is not None else (self.rows[0].id if self.rows else None))

    def _on_failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        self.more_button.setEnabled(bool(self.page and self.page.more))
        if isinstance(exc, ValidationError):
            self._show_problem(exc)
        else:
            show_failure(self, exc, "Reading the change log")

    def _show_problem(self, exc: ValidationError) -> None:
        self.problem.setText(exc.message)
        self.problem.show()

    def _on_ctx_changed(self, _changes: Any) -> None:
        if self.isVisible():
            self._reload_timer.start()  # someone saved, here or on another PC

    # The selected entry ----------------------------------------------------------------------
    def selected(self) -> HistoryEntry | None:
        """The entry under the cursor."""
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _select(self, entry_id: int | None) -> None:
        for i, row in enumerate(self.model.rows()):
            if row.id == entry_id:
                self.table.selectRow(i)
                return
        self.detail.clear()

    def _on_current_row_changed(self, *_args: object) -> None:
        entry = self.selected()
        self.detail.setHtml(detail_html(entry) if entry is not None else "")

    # Actions ---------------------------------------------------------------------------------
    def export(self) -> None:
        """Save every entry the filters match as a spreadsheet."""
        from ui.widgets.exporting import choose_save_path

        try:
            f = self.current_filter()
        except ValidationError as exc:
            self._show_problem(exc)
            return
        name = f"change-log-{self.ctx.today().isoformat()}.csv"
        path = choose_save_path(
            self, "Export the change log", name, "CSV (*.csv);;Excel workbook (*.xlsx)"
        )
        if path is None:
            return
        self.export_to(path, f)

    def export_to(self, path: Path, f: HistoryFilter | None = None) -> None:
        """Write what the filters match to ``path`` in the background."""
        from provider_desk.history.export import export_history
        from ui.widgets.exporting import export_in_background

        chosen = f or self.current_filter()
        db, today = self.ctx.db, self.ctx.today()
        export_in_background(
            self,
            self.ctx,
            lambda p: export_history(db, chosen, today, p),
            path,
            "change-log entries",
            suffixes=(".csv", ".xlsx"),
            with_progress=lambda p, progress: export_history(db, chosen, today, p, progress),
        )

    def check_log(self) -> None:
        """Run verify-log's check in the background and say what it found."""
        from provider_desk.history.verify import check_log

        db = self.ctx.db
        self.check_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda: check_log(db),
            on_success=self._on_checked,
            on_failure=self._on_check_failed,
            export=True,  # reads only: page loads are not held up behind it
        )

    def _on_check_failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        show_failure(self, exc, "Checking the change log")

    def _on_checked(self, result: Any) -> None:
        self.check_button.setEnabled(True)
        from ui.history.warning import show_log_check

        show_log_check(self, result, quiet_if_intact=False)
        say(self, " ".join(result.lines()[:1]))


def detail_html(e: HistoryEntry) -> str:
    """The entry in full: what, who, when, and a table of every field's old and new value."""
    head = (
        f"<p><b>{escape(e.action_label)}: {escape(e.record)}</b><br>"
        f"{escape(e.kind)} · by {escape(e.who)} on {escape(e.when)} · entry {e.id}</p>"
    )
    if not e.changes:
        return head + "<p>No field values were recorded for this entry.</p>"
    rows = "".join(
        f"<tr><td><b>{escape(c.label)}</b></td><td>{_cell(c.old)}</td><td>{_cell(c.new)}</td></tr>"
        for c in e.changes
    )
    return (
        head + "<table cellspacing='0' cellpadding='4' border='1' width='100%'>"
        "<tr><th align='left'>Field</th><th align='left'>Before</th>"
        f"<th align='left'>After</th></tr>{rows}</table>"
    )


def _cell(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def open_history(
    widget: QWidget, table: str, row_id: int, ctx: AppContext | None = None
) -> HistoryDialog | None:
    """Open the change log on one record's history: the main window's viewer (so there is only
    ever one), else a viewer of its own on ``ctx`` (or the ``ctx`` of the page or form holding
    ``widget``). None when there is neither."""
    window: QWidget | None = widget.window()
    while window is not None:  # from a form: up through its parents to the main window
        show = getattr(window, "show_history", None)
        if callable(show):
            dialog = show(table, row_id)
            assert isinstance(dialog, HistoryDialog)
            return dialog
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    holder: QWidget | None = widget
    while ctx is None and holder is not None:
        found = getattr(holder, "ctx", None)
        ctx = found if isinstance(found, AppContext) else None
        holder = holder.parentWidget()
    if ctx is None:
        return None
    dialog = HistoryDialog(ctx, widget)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show_record(table, row_id)
    dialog.show()
    return dialog
