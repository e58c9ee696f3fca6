"""Edit an audit template: programme settings and its questions. Changes become a new version."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits import services as audit_service
from provider_desk.areas.audits.queries import TemplateDetail
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.resources import quality_statements, statement_label
from ui.context import AppContext, ask
from ui.dialogs.base import FormDialog
from ui.widgets.checklist import tick_list, ticked_values

Row = tuple[str, r.AuditItem]  # (section title, question)


class TemplateDialog(FormDialog):
    """Name, how often, what it samples, and the questions (sections kept in order)."""

    def __init__(
        self, ctx: AppContext, detail: TemplateDetail | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Edit audit template" if detail else "New audit template", parent)
        self.detail = detail
        self.setMinimumWidth(1040)
        f = self.form
        self.name = f.add("name", "Name *", QLineEdit())
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(54)
        f.add("description", "What it covers", self.description)
        self.frequency = QComboBox()
        for key in r.FREQUENCIES:
            self.frequency.addItem(key.capitalize(), key)
        f.add(
            "frequency",
            "How often *",
            self.frequency,
            "Sector practice, not a legal rule: medication and care files are often audited "
            "monthly, staff files quarterly to six-monthly. Set what your policy says.",
        )
        self.scope = QComboBox()
        for key, text in r.SCOPES.items():
            self.scope.addItem(text.capitalize(), key)
        f.add("scope", "Scope", self.scope)
        self.sample = QSpinBox()
        self.sample.setRange(1, audit_service.MAX_SAMPLE)
        self.sample.setValue(5)
        f.add("sample_size", "Sample size", self.sample, "How many files or visits each time.")

        self.rows: list[Row] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["Section", "Question", "Answer", "Weight", "Quality statements"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(260)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add question…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        for b in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.table)
        v.addLayout(buttons)
        f.add("sections", "Questions *", box)
        self.reason = f.add(
            "change_reason",
            "Reason for change",
            QLineEdit(),
            "Needed when audits have used the current questions: the change becomes a new "
            "version, and past audits keep the questions they answered.",
        )
        if detail is not None:
            self.name.setText(detail.name)
            self.description.setPlainText(detail.description)
            self.frequency.setCurrentIndex(max(0, self.frequency.findData(detail.frequency)))
            self.scope.setCurrentIndex(max(0, self.scope.findData(detail.scope)))
            if detail.sample_size:
                self.sample.setValue(detail.sample_size)
            self.rows = [(s.title, i) for s in detail.template.sections for i in s.items]
            history = "; ".join(
                f"v{x.number}: {x.reason or 'first version'} ({x.audits} audits)"
                for x in detail.versions
            )
            f.layout_.addRow("Versions", QLabel(history))
        self._fill()
        self.scope.currentIndexChanged.connect(self._on_scope)
        self._on_scope()
        self.add_button.clicked.connect(self.add_question)
        self.edit_button.clicked.connect(self.edit_question)
        self.table.doubleClicked.connect(lambda _i: self.edit_question())
        self.remove_button.clicked.connect(self.remove_question)
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button.clicked.connect(lambda: self.move_question(1))

    def _on_scope(self) -> None:
        self.sample.setEnabled(self.scope.currentData() != "service")

    def _fill(self, select: int | None = None) -> None:
        self.table.setRowCount(len(self.rows))
        for n, (section, item) in enumerate(self.rows):
            answer = (
                "Yes / No / N/A" if item.answer_type == "yes_no" else f"Score 0–{item.max_score}"
            )
            values = [
                section,
                item.question,
                answer,
                str(item.weight),
                "; ".join(statement_label(s) for s in item.statements),
            ]
            for c, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text if c != 1 else f"{item.question}\n\n{item.guidance}")
                self.table.setItem(n, c, cell)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 180))
        self.table.setColumnWidth(2, 110)
        self.table.setColumnWidth(3, 60)
        self.table.setColumnWidth(4, 240)
        if select is not None and 0 <= select < len(self.rows):
            self.table.selectRow(select)

    def current(self) -> int:
        """The selected row, or -1."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _sections(self) -> list[str]:
        return list(dict.fromkeys(s for s, _ in self.rows))

    def add_question(self) -> QuestionDialog:
        """Add a question after the selected one (or at the end)."""
        at = self.current()
        section = self.rows[at][0] if at >= 0 else (self._sections() or ["General"])[-1]
        dialog = QuestionDialog(self._sections(), section, None, self)
        dialog.accepted.connect(lambda: self._insert(at, dialog))
        dialog.open()
        return dialog

    def _insert(self, at: int, dialog: QuestionDialog) -> None:
        pos = at + 1 if at >= 0 else len(self.rows)
        self.rows.insert(pos, dialog.value())
        self._fill(pos)

    def edit_question(self) -> QuestionDialog | None:
        """Change the selected question (it keeps its id, so re-audits still compare)."""
        at = self.current()
        if at < 0:
            return None
        section, item = self.rows[at]
        dialog = QuestionDialog(self._sections(), section, item, self)
        dialog.accepted.connect(lambda: self._replace(at, dialog))
        dialog.open()
        return dialog

    def _replace(self, at: int, dialog: QuestionDialog) -> None:
        self.rows[at] = dialog.value()
        self._fill(at)

    def remove_question(self, *, confirm: bool = True) -> None:
        """Remove the selected question from the next version."""
        at = self.current()
        if at < 0:
            return
        if confirm and not ask(
            self,
            "Remove question",
            f"Remove this question?\n\n{self.rows[at][1].question}\n\n"
            "Past audits keep it; only audits from now on will not ask it.",
        ):
            return
        del self.rows[at]
        self._fill(min(at, len(self.rows) - 1))

    def move_question(self, step: int) -> None:
        """Move the selected question up or down."""
        at = self.current()
        to = at + step
        if at < 0 or not 0 <= to < len(self.rows):
            return
        self.rows[at], self.rows[to] = self.rows[to], self.rows[at]
        # A question moved next to another section joins it.
        self._fill(to)

    def template(self) -> r.Template:
        """The rows grouped into sections in order of first appearance."""
        order = self._sections()
        grouped: dict[str, list[r.AuditItem]] = {s: [] for s in order}
        for section, item in self.rows:
            grouped[section].append(item)
        return r.Template(tuple(r.AuditSection(s, tuple(grouped[s])) for s in order))

    def build(self, problems: list[Problem]) -> audit_service.TemplateInput:
        return audit_service.TemplateInput(
            name=self.name.text(),
            frequency=self.frequency.currentData(),
            scope=self.scope.currentData(),
            sample_size=self.sample.value() if self.scope.currentData() != "service" else None,
            description=self.description.toPlainText(),
            sections=self.template(),
            change_reason=self.reason.text(),
        )

    def save(self, value: audit_service.TemplateInput) -> partial[Changes]:
        return partial(
            audit_service.save_template,
            self.ctx.db,
            self.detail.id if self.detail else None,
            value,
            expected_version=self.detail.row_version if self.detail else None,
        )


class QuestionDialog(FormDialog):
    """One question: wording, guidance, how it is answered, weight, and what it evidences."""

    def __init__(
        self,
        sections: list[str],
        section: str,
        item: r.AuditItem | None,
        parent: TemplateDialog,
    ) -> None:
        super().__init__(parent.ctx, "Edit question" if item else "New question", parent, "OK")
        self.item = item
        f = self.form
        self.section = QComboBox()
        self.section.setEditable(True)
        self.section.addItems(sections or ["General"])
        self.section.setCurrentText(section)
        f.add("section", "Section *", self.section, "Type a new name to start a new section.")
        self.question = QPlainTextEdit()
        self.question.setFixedHeight(60)
        f.add("question", "Question *", self.question, "Write it so that 'Yes' means all is well.")
        self.guidance = QPlainTextEdit()
        self.guidance.setFixedHeight(60)
        f.add("guidance", "Guidance", self.guidance, "What to look at; when N/A applies.")
        self.answer_type = QComboBox()
        self.answer_type.addItem("Yes / No / N/A", "yes_no")
        self.answer_type.addItem("A score", "score")
        f.add("answer_type", "Answer", self.answer_type)
        self.max_score = QSpinBox()
        self.max_score.setRange(1, audit_service.MAX_WEIGHT)
        self.max_score.setValue(4)
        f.add("max_score", "Top score", self.max_score)
        self.weight = QSpinBox()
        self.weight.setRange(1, audit_service.MAX_WEIGHT)
        f.add("weight", "Weight", self.weight, "A question of weight 2 counts twice in the score.")
        self.comment_on_no = QCheckBox("A comment is required when it is not met")
        self.comment_on_no.setChecked(True)
        f.add("comment_on_no", "", self.comment_on_no)
        self.statements = tick_list(
            ((q.label, q.id) for q in quality_statements()), item.statements if item else ()
        )
        self.statements.setMinimumHeight(200)
        f.add(
            "statements",
            "CQC quality statements",
            self.statements,
            "Tick what this question gives evidence for; the audit report lists them.",
        )
        if item is not None:
            self.question.setPlainText(item.question)
            self.guidance.setPlainText(item.guidance)
            self.answer_type.setCurrentIndex(self.answer_type.findData(item.answer_type))
            self.max_score.setValue(item.max_score)
            self.weight.setValue(item.weight)
            self.comment_on_no.setChecked(item.comment_on_no)
        self.answer_type.currentIndexChanged.connect(self._on_type)
        self._on_type()

    def _on_type(self) -> None:
        self.max_score.setEnabled(self.answer_type.currentData() == "score")

    def value(self) -> Row:
        """(section, question) as entered."""
        ticked = tuple(ticked_values(self.statements))
        base = self.item or r.AuditItem(id="", question="")
        return (
            self.section.currentText().strip(),
            replace(
                base,
                question=self.question.toPlainText().strip(),
                guidance=self.guidance.toPlainText().strip(),
                answer_type=self.answer_type.currentData(),
                max_score=self.max_score.value(),
                weight=self.weight.value(),
                comment_on_no=self.comment_on_no.isChecked(),
                statements=ticked,
            ),
        )

    def build(self, problems: list[Problem]) -> Row:
        section, item = self.value()
        if not section:
            problems.append(Problem("section", "Give the section a name."))
        if not item.question:
            problems.append(Problem("question", "Write the question."))
        return section, item

    def save(self, value: Row) -> partial[Changes]:
        # Nothing is saved until the template is: the question goes back to the template form.
        return partial(Changes.of)
