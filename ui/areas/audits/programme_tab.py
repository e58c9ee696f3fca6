"""The Programme tab of the Audits page: each audit in the programme, when it is next due, and its
template (edit, add, remove)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from provider_desk.areas.audits import services as audit_service
from provider_desk.areas.audits.queries import ProgrammeRow, TemplateDetail, template_detail
from provider_desk.rules.due import Level, word
from provider_desk.settings.services import set_audit_programme_start
from ui.areas.audits.audit_template_dialog import TemplateDialog
from ui.areas.audits.columns import AREA, PROGRAMME_COLUMNS
from ui.context import AppContext, ask, show_failure
from ui.icons import icon
from ui.levels import level_text
from ui.models.table import ROW_ROLE, RowFilterProxy, RowTableModel
from ui.widgets.date_field import DateField
from ui.widgets.row_menu import install_row_menu, row_entries
from ui.widgets.tables import make_table_view

ALL, NEEDS = None, "needs"  # the filter's data: every audit; overdue or never done


class ProgrammeTab(QWidget):
    """The audit programme with a status filter; ``start`` starts the selected audit."""

    def __init__(
        self, ctx: AppContext, start: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings_version = 0  # the settings row's, for saving the programme start
        self.ctx = ctx
        self.model: RowTableModel[ProgrammeRow] = RowTableModel(PROGRAMME_COLUMNS, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QComboBox()
        for label, value in (
            ("All audits in the programme", ALL),
            (f"{level_text(Level.OVERDUE, AREA)} or {word(Level.MISSING, AREA)}", NEEDS),
            (level_text(Level.DUE_SOON, AREA), Level.DUE_SOON),
            (level_text(Level.IN_DATE, AREA), Level.IN_DATE),
        ):
            self.filter.addItem(label, value)
        self.start_button = QPushButton(icon("fa5s.play"), "Start audit")
        self.start_button.setToolTip("Start the selected audit (Ctrl+Shift+A)")
        self.edit_template_button = QPushButton(icon("fa5s.edit"), "Edit template…")
        self.new_template_button = QPushButton(icon("fa5s.plus"), "New template…")
        self.new_template_button.setToolTip("A new audit template (Ctrl+N)")
        self.remove_template_button = QPushButton(icon("fa5s.archive"), "Archive…")
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.filter)
        for b in (
            self.start_button,
            self.edit_template_button,
            self.new_template_button,
            self.remove_template_button,
        ):
            top.addWidget(b)
        top.addWidget(self.count, 1)
        self.table = make_table_view(self.proxy, sort_column=1)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        help_text = QLabel(
            "Regulation 17 asks for audits that find problems and actions that fix them. How "
            "often each audit is done is your choice (sector practice, not law): change it with "
            "Edit template."
        )
        help_text.setObjectName("fieldHelp")
        help_text.setWordWrap(True)
        self.start_strip = QWidget()
        self.start_strip.setObjectName("startStrip")
        self.start_text = QLabel(
            "<b>When does your audit programme start?</b> Until you choose a day (or finish a "
            "first audit), no audit is due or overdue. An audit never done falls due that day."
        )
        self.start_text.setWordWrap(True)
        self.start_date = DateField(optional=False)
        self.start_date.set_date(ctx.today())
        self.set_start_button = QPushButton(icon("fa5s.flag-checkered"), "Start the programme")
        strip = QHBoxLayout(self.start_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(self.start_text, 1)
        strip.addWidget(self.start_date)
        strip.addWidget(self.set_start_button)
        self.start_strip.hide()
        v = QVBoxLayout(self)
        v.addWidget(self.start_strip)
        v.addLayout(top)
        v.addWidget(self.table, 1)
        v.addWidget(help_text)
        self.filter.currentIndexChanged.connect(self.apply_filter)
        self.set_start_button.clicked.connect(self.set_start)
        self.start_button.clicked.connect(start)
        self.edit_template_button.clicked.connect(self.edit_template)
        self.new_template_button.clicked.connect(self.new_template)
        self.remove_template_button.clicked.connect(self.remove_template)
        self.table.doubleClicked.connect(lambda _i: start())
        self.table.activated.connect(lambda _i: start())
        install_row_menu(
            self.table,
            lambda p: row_entries(
                open_=("Start audit", start),
                edit=("Edit template…", self.edit_template),
                archive=self.remove_template,
                reference=p.name,
                copy_label="Copy name",
            ),
            record=lambda p: ("audit_template", p.template_id),
        )
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

    def show_start(
        self, starts: dt.date | None, has_templates: bool, *, settings_version: int = 0
    ) -> None:
        """Ask when the programme starts while it has not (``starts`` None)."""
        self.settings_version = settings_version
        self.start_strip.setVisible(starts is None and has_templates)

    def set_start(self) -> None:
        """Save the day the programme starts (the settings' ``audit_programme_start``)."""
        day = self.start_date.date()
        if day is None:
            return
        self.ctx.tasks.run(
            partial(
                set_audit_programme_start,
                self.ctx.db,
                day,
                expected_version=self.settings_version,
            ),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Starting the audit programme"),
        )

    def apply_filter(self) -> None:
        """Show the templates matching the status filter."""
        wanted = self.filter.currentData()

        def keep(p: ProgrammeRow) -> bool:
            if wanted == NEEDS:
                return p.status.needs_action
            return wanted is ALL or p.status == wanted

        self.proxy.set_predicate(keep)
        rows = self.model.rows()
        needs = sum(1 for p in rows if p.status.needs_action)
        soon = sum(1 for p in rows if p.status is Level.DUE_SOON)
        self.count.setText(
            f"{needs} {word(Level.OVERDUE, AREA)} or {word(Level.MISSING, AREA)} · "
            f"{soon} {word(Level.DUE_SOON, AREA)}"
        )
        self.update_buttons()

    def show_status(self, status: object) -> None:
        """Choose the filter whose data is ``status`` (ALL, NEEDS or a Level)."""
        for i in range(self.filter.count()):
            if self.filter.itemData(i) == status:
                self.filter.setCurrentIndex(i)
                return

    def selected_template(self) -> ProgrammeRow | None:
        """The template selected in the programme."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_selection(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self.update_buttons()

    def update_buttons(self) -> None:
        """Enable what the selected template allows."""
        tpl = self.selected_template()
        for b in (self.start_button, self.edit_template_button, self.remove_template_button):
            b.setEnabled(tpl is not None)

    # Templates ------------------------------------------------------------------------------
    def new_template(self) -> TemplateDialog:
        """Write a template of your own."""
        dialog = TemplateDialog(self.ctx, parent=self)
        dialog.open()
        self.template_dialog = dialog
        return dialog

    def edit_template(self) -> None:
        """Change the selected template's questions, frequency or scope."""
        tpl = self.selected_template()
        if tpl is None:
            return
        self.ctx.tasks.run(
            partial(template_detail, self.ctx.db, tpl.template_id),
            on_success=self._show_template,
            on_failure=lambda e: show_failure(self, e, "Opening the template"),
        )

    def _show_template(self, detail: TemplateDetail | None) -> None:
        if detail is None:
            return
        self.template_dialog = TemplateDialog(self.ctx, detail, parent=self)
        self.template_dialog.open()

    def remove_template(self, *, confirm: bool = True) -> None:
        """Take a template out of the programme (its audits stay)."""
        tpl = self.selected_template()
        if tpl is None:
            return
        if confirm and not ask(
            self,
            "Archive the template",
            f"Stop doing '{tpl.name}'?\n\nIts past audits stay on the Audits done tab.",
        ):
            return
        self.ctx.tasks.run(
            partial(
                audit_service.archive_template,
                self.ctx.db,
                tpl.template_id,
                expected_version=tpl.row_version,
            ),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Removing the template"),
        )
