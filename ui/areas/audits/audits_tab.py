"""The Audits done tab of the Audits page: every audit with its score and actions; open, re-audit,
revise, sign off, print, remove and export."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.audits import services as audit_service
from provider_desk.areas.audits.queries import AWAITING_SIGN_OFF, DRAFT, SIGNED_OFF, AuditRow
from provider_desk.changes import Changes
from provider_desk.rules.dates import format_date
from ui.areas.audits.columns import AUDIT_COLUMNS, AUDITOR_COLUMN
from ui.areas.audits.sign_off_dialog import SignOffDialog
from ui.context import AppContext, ask, show_failure
from ui.icons import icon
from ui.models.table import ROW_ROLE, RowFilterProxy, RowTableModel
from ui.page import staff_item
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import choose_save_path, export_in_background, write_in_background
from ui.widgets.links import install_links
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import make_table_view


class AuditsTab(QWidget):
    """The audits done, searchable, with what can be done to the selected one.

    ``open_audit`` opens the audit window (with ``run_id``, or ``template_id`` and
    ``follow_up_id``); ``manager`` gives the registered manager's name for signing off;
    ``show_programme`` turns to the Programme tab.
    """

    item_requested = Signal(object)  # the auditor's name: open them (Page.item_requested)

    def __init__(
        self,
        ctx: AppContext,
        open_audit: Callable[..., None],
        manager: Callable[[], str],
        show_programme: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._open_audit = open_audit
        self._manager = manager
        self._show_programme = show_programme
        self.loaded = False
        self.model: RowTableModel[AuditRow] = RowTableModel(AUDIT_COLUMNS, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search audits  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.template_filter = QComboBox()
        self.status_filter = QComboBox()
        for label, value in (
            ("Any status", None),
            ("Drafts", DRAFT),
            ("Awaiting sign-off", AWAITING_SIGN_OFF),
            ("Signed off", SIGNED_OFF),
            ("With open actions", "open actions"),
        ):
            self.status_filter.addItem(label, value)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.template_filter, 1)
        filters.addWidget(self.status_filter, 1)
        self._build_buttons()
        buttons = QHBoxLayout()
        for b in (
            self.open_button,
            self.reaudit_button,
            self.revise_button,
            self.sign_button,
            self.report_button,
            self.remove_audit_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        buttons.addWidget(self.export_button)
        self.table = make_table_view(self.proxy, sort_column=0)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.empty = EmptyState()
        v = QVBoxLayout(self)
        v.addLayout(filters)
        v.addLayout(buttons)
        v.addWidget(self.table, 1)
        v.addWidget(self.empty, 1)
        self.empty.hide()
        self._connect()

    def _build_buttons(self) -> None:
        self.open_button = QPushButton(icon("fa5s.folder-open"), "Open")
        self.reaudit_button = QPushButton(icon("fa5s.redo"), "Re-audit")
        self.reaudit_button.setToolTip("Start a follow-up audit that shows what improved")
        self.revise_button = QPushButton(icon("fa5s.pen"), "Revise…")
        self.revise_button.setToolTip("Correct a finished audit: a new revision, with a reason")
        self.sign_button = QPushButton(icon("fa5s.signature"), "Sign off…")
        self.report_button = QPushButton(icon("fa5s.file-pdf"), "Print report…")
        self.remove_audit_button = QPushButton(icon("fa5s.archive"), "Archive…")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export…")
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setWordWrap(True)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.apply_filter)
        self.template_filter.currentIndexChanged.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_filter)
        self.open_button.clicked.connect(self.open_selected)
        self.reaudit_button.clicked.connect(self.reaudit_selected)
        self.revise_button.clicked.connect(self.revise_selected)
        self.sign_button.clicked.connect(self.sign_off_selected)
        self.report_button.clicked.connect(self.print_report)
        self.remove_audit_button.clicked.connect(self.remove_audit)
        self.export_button.clicked.connect(self.export)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        install_row_menu(self.table, self.menu_entries, record=lambda a: ("audit_run", a.id))
        install_links(
            self.table,
            {AUDITOR_COLUMN: lambda a: staff_item(a.auditor_id, a.auditor)},
            self.item_requested.emit,
        )

    def menu_entries(self, a: AuditRow) -> list[MenuEntry]:
        """The right-click menu of an audit."""
        commands: list[MenuEntry] = []
        if a.locked:
            commands += [("Re-audit", self.reaudit_selected), ("Revise…", self.revise_selected)]
            if a.manager_signed_on is None:
                commands.append(("Sign off…", self.sign_off_selected))
        commands.append(("Print report…", self.print_report))
        return row_entries(
            open_=("Open", self.open_selected),
            commands=commands,
            links=[
                (
                    f"Open {a.auditor} (auditor)",
                    lambda: self.item_requested.emit(staff_item(a.auditor_id, a.auditor)),
                )
            ],
            archive=self.remove_audit,
            reference=a.reference,
        )

    def apply_filter(self) -> None:
        """Show the audits matching the search and the drop-downs."""
        words = self.search.text().lower().split()
        template, status = self.template_filter.currentData(), self.status_filter.currentData()

        def keep(a: AuditRow) -> bool:
            hay = f"{a.reference} {a.template} {a.auditor} {a.scope_note}".lower()
            if any(w not in hay for w in words):
                return False
            if template is not None and a.template_id != template:
                return False
            if status == "open actions":
                return a.open_actions > 0
            return status is None or a.status == status

        self.proxy.set_predicate(keep)
        rows = self.model.rows()
        open_actions = sum(a.open_actions for a in rows)
        self.count.setText(
            f"{len(rows)} audits · {open_actions} open actions · {self.proxy.rowCount()} shown"
        )
        empty = self.loaded and not rows
        if empty:
            self.empty.show_message(
                "No audits yet",
                "Start one from the Programme tab: choose an audit and press Start audit.",
                [("Go to the programme", self._show_programme)],
            )
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)
        self.update_buttons()

    def selected_audit(self) -> AuditRow | None:
        """The audit selected in the list of audits."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_selection(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self.update_buttons()

    def update_buttons(self) -> None:
        """Enable what the selected audit allows."""
        audit = self.selected_audit()
        self.open_button.setEnabled(audit is not None)
        self.reaudit_button.setEnabled(audit is not None and audit.locked)
        self.revise_button.setEnabled(audit is not None and audit.locked)
        self.sign_button.setEnabled(
            audit is not None and audit.locked and audit.manager_signed_on is None
        )
        self.report_button.setEnabled(audit is not None)
        self.remove_audit_button.setEnabled(audit is not None)

    # Audits ---------------------------------------------------------------------------------
    def open_selected(self) -> None:
        """Open the selected audit (read-only once finished)."""
        audit = self.selected_audit()
        if audit is not None:
            self._open_audit(run_id=audit.id)

    def reaudit_selected(self) -> None:
        """Start a follow-up of the selected audit: last time's answers show under each
        question, and the report shows what improved."""
        audit = self.selected_audit()
        if audit is not None and audit.locked:
            self._open_audit(template_id=audit.template_id, follow_up_id=audit.id)

    def revise_selected(self, reason: str | None = None) -> None:
        """Correct a finished audit: a new draft revision, with the reason recorded."""
        audit = self.selected_audit()
        if audit is None or not audit.locked:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                "Revise a finished audit",
                f"{audit.reference} is finished and locked. Why does it need changing?\n"
                "The finished version is kept; the change becomes revision "
                f"{audit.revision + 1}.",
            )
            if not ok:
                return
        self.ctx.tasks.run(
            partial(
                audit_service.revise_audit,
                self.ctx.db,
                audit.id,
                reason,
                expected_version=audit.version,
                today=self.ctx.today(),
            ),
            on_success=self._on_revised,
            on_failure=lambda e: show_failure(self, e, "Revising the audit"),
        )

    def _on_revised(self, changes: Changes) -> None:
        self.ctx.announce(changes)
        self._open_audit(run_id=changes.ids[0])

    def sign_off_selected(self) -> SignOffDialog | None:
        """The registered manager signs off a finished audit."""
        audit = self.selected_audit()
        if audit is None or not audit.locked:
            return None
        dialog = SignOffDialog(self.ctx, audit, self._manager(), parent=self)
        dialog.open()
        return dialog

    def remove_audit(self, *, confirm: bool = True) -> None:
        """Remove an audit entered by mistake (every revision; kept in the change log)."""
        audit = self.selected_audit()
        if audit is None:
            return
        if confirm and not ask(
            self,
            "Archive audit",
            f"Archive {audit.reference} ({audit.template}, {format_date(audit.audited_on)})?\n\n"
            "Use this for audits entered by mistake. Actions it raised stay on the action plan; "
            "the audit is kept in the change log.",
        ):
            return
        self.ctx.tasks.run(
            partial(
                audit_service.archive_audit, self.ctx.db, audit.id, expected_version=audit.version
            ),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Removing the audit"),
        )

    def print_report(self) -> None:
        """Save the selected audit's report as a PDF."""
        audit = self.selected_audit()
        if audit is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the audit report", f"{audit.reference}.pdf", "PDF (*.pdf)"
        )
        if name:
            self.report_to(audit, Path(name))

    def report_to(self, audit: AuditRow, path: Path) -> None:
        """Write ``audit``'s report to ``path`` in the background."""
        from provider_desk.areas.audits.report_pdf import audit_report

        db, today = self.ctx.db, self.ctx.today()
        path = path.with_suffix(".pdf")
        write_in_background(
            self,
            self.ctx,
            lambda progress: audit_report(db, audit.id, path, today, progress),
            path,
            lambda p: f"Saved the report of {audit.reference} to {p.name}",
            "Printing the report",
        )

    def export(self) -> None:
        """Export one row per audit to Excel or CSV."""
        path = choose_save_path(self, "Export audits", "audits.xlsx")
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the audits to ``path`` in the background."""
        from provider_desk.areas.audits.exports import export_audits

        export_in_background(self, self.ctx, partial(export_audits, self.ctx.db), path, "audits")
