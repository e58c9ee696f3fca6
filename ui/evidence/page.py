"""The evidence pack page: choose the period, see the gaps an inspector would see, and build the
PDF (and, if asked, a ZIP with each register and the period's documents) in the background.

The gaps preview is read off the GUI thread whenever the period changes (after a short pause, so
typing a date does not start a read per keystroke) and after any change to the records.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate, QDir, QProcess, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.changes import Changes
from provider_desk.dashboard import Colour
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.evidence import BuiltFiles, build_evidence_pack_files, check_dates, read_pack
from provider_desk.reading import Period
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level
from ui.context import AppContext, ask, say, show_failure
from ui.icons import AMBER, GREEN, RED, icon
from ui.levels import level_icon
from ui.models.table import Column, RowTableModel
from ui.page import Page
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import show_saved
from ui.widgets.tables import make_table_view

PREVIEW_DELAY_MS = 300
"""How long the period must stay still before the gaps preview is read again."""

DETAIL_ITEMS = 12
"""How many of the items weakening a statement its gap's tooltip lists."""

NAMES_TIP = (
    "Left unticked, the pack names nobody you support: people appear by their service "
    "reference only, complainants are not named, and complaint summaries and what compliments "
    "said are left out, so the pack can be handed to an inspector.\n"
    "Tick it only for a copy you keep yourself."
)


@dataclass(frozen=True)
class Gap:
    """One row of the gaps preview: the pack's (key question, statement, gap) and its colour."""

    key_question: str
    statement: str
    gap: str
    level: Level  # MISSING for a statement with no evidence, DUE_SOON (amber) otherwise
    detail: str = ""  # the overdue or missing items behind it, one a line (the tooltip)


@dataclass(frozen=True)
class Preview:
    """What the page shows before building: the gaps list and the readiness counts."""

    period: Period
    gaps: tuple[Gap, ...]
    green: int
    amber: int
    red: int


def read_preview(db: Database, period: Period, today: dt.date) -> Preview:
    """The pack's gaps and readiness counts for ``period`` (without the month-by-month trends).

    Raises:
        ValidationError: a period the pack cannot be made for.
    """
    pack = read_pack(db, period, today=today, trends=False)
    statements = {
        (kq.name, st.name): st for kq in pack.readiness.key_questions for st in kq.statements
    }
    gaps = []
    for kq, name, gap in pack.gaps():
        st = statements.get((kq, name))
        level = Level.MISSING if st is not None and st.colour is Colour.RED else Level.DUE_SOON
        items = st.weakening if st is not None else ()
        lines = [f"{i.reference}: {i.sentence}" for i in items[:DETAIL_ITEMS]]
        if len(items) > DETAIL_ITEMS:
            lines.append(f"… and {len(items) - DETAIL_ITEMS} more on the Home page's To do list.")
        gaps.append(Gap(kq, name, gap, level, "\n".join([gap, *lines])))
    r = pack.readiness
    green, amber, red = (r.count(c) for c in (Colour.GREEN, Colour.AMBER, Colour.RED))
    return Preview(period, tuple(gaps), green, amber, red)


def period_problem(start: dt.date, end: dt.date, today: dt.date) -> str:
    """Why the pack cannot be made for ``start``–``end`` in the core's words ("" if it can)."""
    try:
        check_dates(start, end, today)
    except ValidationError as exc:
        return " ".join(p.message for p in exc.problems)
    return ""


def default_file_name(period: Period, names: bool) -> str:
    """``Evidence pack 2025-11-24 to 2026-11-23.pdf`` (marked when it names people)."""
    extra = " (with names)" if names else ""
    return f"Evidence pack {period.start.isoformat()} to {period.end.isoformat()}{extra}.pdf"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


GAP_COLUMNS: list[Column[Gap]] = [
    Column("Key question", lambda g: g.key_question),
    Column(
        "Quality statement",
        lambda g: g.statement,
        tooltip=lambda g: g.statement,
        decoration=lambda g: level_icon(g.level),
    ),
    Column("Gap", lambda g: g.gap, tooltip=lambda g: g.detail),
]


class EvidencePage(Page):
    """Period, options, a preview of the gaps, and the Build button."""

    title = "Evidence pack"
    icon_name = "fa5s.file-pdf"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: Preview | None = None
        self.built: BuiltFiles | None = None
        self.requested = False  # refresh() has been called: the page keeps its preview current
        self.building = False

        heading = QLabel("<h2>Evidence pack for inspection</h2>")
        intro = QLabel(
            "One PDF of what CQC asks to see for the period: headline figures, each quality "
            "statement's evidence and gaps, and the registers as appendices."
        )
        intro.setWordWrap(True)

        # Period ------------------------------------------------------------------------------
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("d MMM yyyy")
            edit.setCalendarPopup(True)
            edit.setMinimumWidth(120)
            calendar = edit.calendarWidget()
            if calendar is not None:
                calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
                calendar.setGridVisible(True)
        self.start_edit.setAccessibleName("Period from")
        self.end_edit.setAccessibleName("Period to")
        self.year_button = QPushButton("Last 12 months")
        self.year_button.setToolTip("The 12 months up to and including today")
        self.period_error = QLabel()
        self.period_error.setObjectName("fieldError")
        self.period_error.setWordWrap(True)
        self.period_error.hide()
        period_box = QGroupBox("Period")
        pv = QVBoxLayout(period_box)
        dates = QHBoxLayout()
        from_label = QLabel("&From")
        from_label.setBuddy(self.start_edit)
        to_label = QLabel("&to")
        to_label.setBuddy(self.end_edit)
        for w in (from_label, self.start_edit, to_label, self.end_edit, self.year_button):
            dates.addWidget(w)
        dates.addStretch(1)
        pv.addLayout(dates)
        pv.addWidget(self.period_error)

        # Options -----------------------------------------------------------------------------
        self.names_box = QCheckBox("Include the &names of people we support (your own copy only)")
        self.names_box.setToolTip(NAMES_TIP)
        self.zip_box = QCheckBox("Also make a &ZIP bundle of the registers and documents")
        self.zip_box.setToolTip(
            "The ZIP is saved beside the PDF with the same name. It holds the PDF, a spreadsheet "
            "of each register and the documents attached to records of the period, with an index."
        )
        options_box = QGroupBox("Options")
        ov = QVBoxLayout(options_box)
        ov.addWidget(self.names_box)
        ov.addWidget(self.zip_box)

        top = QHBoxLayout()
        top.addWidget(period_box, 1)
        top.addWidget(options_box, 1)

        # Build -------------------------------------------------------------------------------
        self.build_button = QPushButton(icon("fa5s.file-pdf", "#ffffff"), "Build evidence pack…")
        self.build_button.setObjectName("primaryButton")
        self.build_button.setDefault(True)
        self.build_button.setToolTip("Choose where to save it, then build it (Enter)")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(icon("fa5s.external-link-alt"), "Open")
        self.open_button.setToolTip("Open the PDF")
        self.folder_button = QPushButton(icon("fa5s.folder-open"), "Show in folder")
        self.open_button.hide()
        self.folder_button.hide()
        build_row = QHBoxLayout()
        build_row.addWidget(self.build_button)
        build_row.addWidget(self.result_label, 1)
        build_row.addWidget(self.open_button)
        build_row.addWidget(self.folder_button)

        # Preview -----------------------------------------------------------------------------
        preview_box = QGroupBox("Before you build: what the pack will show as gaps")
        gv = QVBoxLayout(preview_box)
        self.readiness_label = QLabel()
        self.readiness_label.setTextFormat(Qt.TextFormat.RichText)
        self.readiness_label.setWordWrap(True)
        self.gaps_heading = QLabel()
        self.gaps_heading.setObjectName("sectionTitle")
        self.gaps_hint = QLabel(
            "Point at a gap to see the items behind it. Put them right on their area's page "
            "and this list follows."
        )
        self.gaps_hint.setObjectName("fieldHelp")
        self.gaps_hint.setWordWrap(True)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.gaps_heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.gaps_hint, 1)
        self.model: RowTableModel[Gap] = RowTableModel(GAP_COLUMNS, self)
        self.table = make_table_view(self.model)
        self.table.setAccessibleName("Gaps to act on")
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        gv.addWidget(self.readiness_label)
        gv.addLayout(heading_row)
        gv.addWidget(self.stack, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(build_row)
        layout.addWidget(preview_box, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self._load_preview)
        self.default_period = Period.year_to(ctx.today())
        self.set_period(self.default_period)
        self.start_edit.dateChanged.connect(self._on_period_edited)
        self.end_edit.dateChanged.connect(self._on_period_edited)
        self.year_button.clicked.connect(self.last_twelve_months)
        self.build_button.clicked.connect(self.build)
        self.open_button.clicked.connect(self.open_pdf)
        self.folder_button.clicked.connect(self.show_in_folder)
        self.names_box.toggled.connect(self._on_names_toggled)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            enter.activated.connect(self._on_enter)
        ctx.changed.connect(self._on_ctx_changed)
        ctx.day_changed.connect(self._on_day_changed)
        self._on_period_edited()
        self.timer.stop()  # nothing is read until the page is first shown (refresh)
        self.empty.show_message("Reading the records…", "")
        self.stack.setCurrentWidget(self.empty)

    # The period ----------------------------------------------------------------------------
    def period_dates(self) -> tuple[dt.date, dt.date]:
        """The dates chosen, as typed (possibly the wrong way round)."""
        return _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

    def period(self) -> Period | None:
        """The period chosen, or None if the pack cannot be made for it."""
        start, end = self.period_dates()
        if period_problem(start, end, self.ctx.today()):
            return None
        return Period(start, end)

    def set_period(self, period: Period) -> None:
        """Show ``period`` in the date boxes (the preview follows after a short pause)."""
        self.start_edit.setDate(_qdate(period.start))
        self.end_edit.setDate(_qdate(period.end))

    def last_twelve_months(self) -> None:
        """The 12 months up to and including today."""
        self.default_period = Period.year_to(self.ctx.today())
        self.set_period(self.default_period)

    def _on_period_edited(self) -> None:
        start, end = self.period_dates()
        problem = period_problem(start, end, self.ctx.today())
        self.period_error.setText(problem)
        self.period_error.setVisible(bool(problem))
        self._update_build_button()
        if problem:
            self.timer.stop()
            self.preview = None
            self._show_nothing("No preview", "Choose a period the pack can be made for.")
        elif self.requested:
            self.timer.start()

    def _on_day_changed(self, day: dt.date) -> None:
        # Today moved on: the default 12 months move with it; a period the manager chose stays
        # (and one that ran past yesterday may now be fine).
        if self.period_dates() == (self.default_period.start, self.default_period.end):
            self.default_period = Period.year_to(day)
            self.set_period(self.default_period)
        self._on_period_edited()

    def _on_names_toggled(self, on: bool) -> None:
        self.build_button.setText(
            "Build evidence pack with names…" if on else "Build evidence pack…"
        )

    def focus_first(self) -> None:
        """Put the keyboard in the page: on Build, or on the period if it needs putting right."""
        (self.build_button if self.build_button.isEnabled() else self.start_edit).setFocus()

    # The preview ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the gaps preview for the chosen period in the background."""
        self.requested = True
        self._load_preview()

    def _on_ctx_changed(self, _changes: Changes) -> None:
        # The pack reads every area, so any change (and the new day) may change the gaps.
        if self.requested:
            self.timer.start()

    def _load_preview(self) -> None:
        self.timer.stop()
        period = self.period()
        if period is None:
            return
        self.ctx.tasks.run(
            partial(read_preview, self.ctx.db, period, self.ctx.today()),
            on_success=self._on_preview,
            on_failure=self._on_preview_failed,
        )

    def _on_preview(self, preview: Preview) -> None:
        if preview.period != self.period():
            return  # the period changed while it was read; the newer read is on its way
        self.preview = preview
        self.readiness_label.setText(
            f"Readiness as on {format_date(preview.period.end)}: "
            f"<span style='color:{GREEN}'><b>{preview.green}</b> green</span>, "
            f"<span style='color:{AMBER}'><b>{preview.amber}</b> amber</span>, "
            f"<span style='color:{RED}'><b>{preview.red}</b> red</span> quality statements."
        )
        n = len(preview.gaps)
        self.model.set_rows(preview.gaps)
        if n == 0:
            self.gaps_heading.setText("No gaps to act on")
            self.gaps_hint.hide()
            self.empty.show_message(
                "No gaps",
                f"Every quality statement has evidence from {preview.period.label} and nothing "
                "overdue weakens it.",
            )
            self.stack.setCurrentWidget(self.empty)
            return
        self.gaps_heading.setText(f"{n} gap{'s' if n != 1 else ''} to act on before the inspection")
        self.gaps_hint.show()
        self.stack.setCurrentWidget(self.table)
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 340)

    def _on_preview_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._on_period_edited()  # the day moved on under it: say why inline
            return
        show_failure(self, exc, "Reading the gaps")

    def _show_nothing(self, title: str, text: str) -> None:
        self.readiness_label.setText("")
        self.gaps_heading.setText("")
        self.gaps_hint.hide()
        self.model.set_rows([])
        self.empty.show_message(title, text)
        self.stack.setCurrentWidget(self.empty)

    def gaps(self) -> list[tuple[str, str, str]]:
        """The gaps the preview shows, in order: (key question, statement, gap)."""
        return [(g.key_question, g.statement, g.gap) for g in self.model.rows()]

    # Building ------------------------------------------------------------------------------
    def _update_build_button(self) -> None:
        self.build_button.setEnabled(not self.building and self.period() is not None)

    def _on_enter(self) -> None:
        if self.build_button.isEnabled():
            self.build_button.click()

    def default_folder(self) -> Path:
        """Documents, else the database's folder, else home."""
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        if documents and Path(documents).is_dir():
            return Path(documents)
        if self.ctx.db.is_sqlite:
            folder = Path(self.ctx.db.location).parent
            if folder.is_dir():
                return folder
        return Path.home()

    def build(self) -> None:
        """Ask where to save the pack, then build it in the background."""
        period = self.period()
        if period is None:
            return
        suggested = self.default_folder() / default_file_name(period, self.names_box.isChecked())
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the evidence pack", str(suggested), "PDF (*.pdf)"
        )
        if name:
            self.build_to(Path(name))

    def build_to(self, pdf: Path) -> None:
        """Build the pack to ``pdf`` (and the ZIP beside it, if asked) in the background."""
        period = self.period()
        if period is None or self.building:
            return
        if pdf.suffix.lower() != ".pdf":
            pdf = pdf.with_name(pdf.name + ".pdf")
        bundle = pdf.with_suffix(".zip") if self.zip_box.isChecked() else None
        if (
            bundle is not None
            and bundle.exists()
            and not ask(self, "Evidence pack", f"{bundle.name} is already there. Replace it?")
        ):
            return
        db = self.ctx.db
        # In a process of its own: ReportLab in a thread would make the window stutter.
        work = partial(
            build_evidence_pack_files,
            db.url,
            period,
            pdf,
            actor=db.actor,
            today=self.ctx.today(),
            created=self.ctx.now(),
            names=self.names_box.isChecked(),
            bundle=bundle,
        )
        self.building = True
        self._update_build_button()
        self._show_result("Building the evidence pack…", None)
        self.ctx.tasks.run_in_process(
            work,
            on_success=self._on_built,
            on_failure=self._on_build_failed,
            progress_parent=self,
            progress_label="Building the evidence pack…",
        )

    def _on_built(self, built: BuiltFiles | None) -> None:
        self.building = False
        self._update_build_button()
        if built is None:
            self._show_result("Cancelled: nothing was written.", None)
            say(self, "Evidence pack cancelled: nothing was written.")
            return
        pages = f"{built.pages} page{'s' if built.pages != 1 else ''}"
        text = f"Saved the evidence pack ({pages}) to {built.pdf}."
        if built.bundle is not None:
            text += f" The ZIP beside it holds {built.bundled_files} files: {built.bundle.name}."
        if built.names:
            text += " This copy names the people you support: keep it to yourself."
        self._show_result(text, built)
        show_saved(self, built.pdf, f"Evidence pack saved to {built.pdf.name} ({pages})")

    def _on_build_failed(self, exc: BaseException) -> None:
        self.building = False
        self._update_build_button()
        self._show_result("The evidence pack was not built.", None)
        show_failure(self, exc, "Building the evidence pack")

    def _show_result(self, text: str, built: BuiltFiles | None) -> None:
        self.built = built
        self.result_label.setText(text)
        self.open_button.setVisible(built is not None)
        self.folder_button.setVisible(built is not None)

    def open_pdf(self) -> None:
        """Open the pack just built in the PC's PDF reader."""
        if self.built is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.built.pdf)))

    def show_in_folder(self) -> None:
        """Show the folder the pack was saved to (with the file selected on Windows)."""
        if self.built is None:
            return
        pdf = self.built.pdf
        if sys.platform == "win32":
            QProcess.startDetached("explorer.exe", [f"/select,{QDir.toNativeSeparators(str(pdf))}"])
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf.parent)))
