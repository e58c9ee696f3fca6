"""Record (or correct) a supervision, spot check, appraisal, probation review or competency."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.actions.services import AgreedAction
from provider_desk.areas.staff.queries import Choice
from provider_desk.areas.supervision import services as service
from provider_desk.areas.supervision.queries import KindRow, SessionRow
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.rules.dates import DateParseError, add_months, format_date
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


class ActionRows(QWidget):
    """Agreed actions: what, who, by when. Each goes on the action plan when saved."""

    def __init__(self, owners: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owners = owners
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        for col, title in enumerate(("What will be done", "Who", "By")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), 0, col)
        self.rows: list[tuple[QLineEdit, QComboBox, DateField]] = []
        more = QPushButton("Add another action")
        more.clicked.connect(self.add_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(more)
        self.add_row()

    def add_row(self) -> tuple[QLineEdit, QComboBox, DateField]:
        """One more empty action line."""
        what, who, by = QLineEdit(), QComboBox(), DateField()
        who.addItem("Choose…", None)
        for o in self.owners:
            who.addItem(o.label, o.id)
        r = len(self.rows) + 1
        self.grid.addWidget(what, r, 0)
        self.grid.addWidget(who, r, 1)
        self.grid.addWidget(by, r, 2)
        self.rows.append((what, who, by))
        return what, who, by

    def agreed_actions(self, problems: list[Problem]) -> tuple[AgreedAction, ...]:
        """The lines filled in (blank lines are ignored)."""
        out = []
        for i, (what, who, by) in enumerate(self.rows, start=1):
            if not what.text().strip() and who.currentData() is None and not by.edit.text():
                continue
            try:
                due = by.date()
            except DateParseError as exc:
                problems.append(Problem("actions", f"Action {i}: {exc}"))
                continue
            out.append(AgreedAction(what.text(), who.currentData(), due))
        return tuple(out)


class SessionDialog(FormDialog):
    """The session form; the sections come from the kind's template (or the record's own)."""

    history_table = "supervision_record"
    history_holder = "record"

    def __init__(
        self,
        ctx: AppContext,
        people: list[Choice],
        kinds: list[KindRow],
        *,
        staff_id: int | None = None,
        kind: str | None = None,
        record: SessionRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Correct session record" if record else "Record a session", parent)
        self.setMinimumWidth(720)
        self.record = record
        self.kinds = {k.kind: k for k in kinds}
        f = self.form
        self.worker = QComboBox()
        self.supervisor = QComboBox()
        for combo in (self.worker, self.supervisor):
            combo.addItem("Choose…", None)
            for p in people:
                combo.addItem(p.label, p.id)
        f.add("staff_id", "Worker *", self.worker)
        f.add("supervisor_id", "Led by *", self.supervisor)
        self.kind = QComboBox()
        for k in kinds:
            self.kind.addItem(k.name, k.kind)
        f.add("kind", "Kind *", self.kind)
        self.held_on = f.add("held_on", "Date *", DateField(optional=False))
        self.location = f.add(
            "location",
            "Location",
            QLineEdit(),
            "For spot checks, whose home (use initials or a reference).",
        )
        self.sections_box = QWidget()
        self.sections_layout = QGridLayout(self.sections_box)
        self.sections_layout.setContentsMargins(0, 0, 0, 0)
        self.section_edits: list[tuple[str, QPlainTextEdit]] = []
        f.add("sections", "Discussion", self.sections_box)
        self.outcome = QComboBox()
        self.outcome.addItem("", "")
        for o in service.OUTCOMES:
            self.outcome.addItem(o.capitalize(), o)
        f.add(
            "outcome",
            "Outcome",
            self.outcome,
            "Needed for spot checks, probation reviews and competency assessments.",
        )
        self.action_rows = ActionRows(people)
        f.add(
            "actions",
            "Actions agreed",
            self.action_rows,
            "Each action goes on the action plan with its owner and due date.",
        )
        self.ack_name = f.add("worker_ack_name", "Worker acknowledged (name)", QLineEdit())
        self.ack_on = f.add("worker_ack_on", "Acknowledged on", DateField())
        self.signed_on = f.add("supervisor_signed_on", "Signed off by supervisor on", DateField())
        self.next_due = f.add(
            "next_due",
            "Next due",
            DateField(),
            "Leave blank to use the interval for this kind and role.",
        )
        self.next_hint = QLabel()
        self.next_hint.setObjectName("fieldHelp")
        f.layout_.addRow("", self.next_hint)

        if record is not None:
            self._select(self.worker, record.staff_id)
            self._select(self.supervisor, record.supervisor_id)
            self._select(self.kind, record.kind)
            self.worker.setEnabled(False)
            self.held_on.set_date(record.held_on)
            self.location.setText(record.location)
            self._build_sections([t for t, _ in record.sections])
            for (_title, edit), (_t, notes) in zip(
                self.section_edits, record.sections, strict=True
            ):
                edit.setPlainText(notes)
            self._select(self.outcome, record.outcome)
            self.ack_name.setText(record.worker_ack_name)
            self.ack_on.set_date(record.worker_ack_on)
            self.signed_on.set_date(record.supervisor_signed_on)
            self.next_due.set_date(record.next_due_override)
        else:
            self._select(self.worker, staff_id)
            self._select(self.kind, kind or "supervision")
            self.held_on.set_date(ctx.today())
            self._on_kind_changed()
        self.kind.currentIndexChanged.connect(lambda _i: self._on_kind_changed())
        self.held_on.changed.connect(self._update_hint)
        self._update_hint()

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        combo.setCurrentIndex(max(0, combo.findData(data)))

    def _on_kind_changed(self) -> None:
        kind = self.kinds.get(self.kind.currentData())
        if kind is None:
            return
        if self.record is None or self.record.kind != kind.kind:
            self._build_sections(list(kind.sections))
        self.outcome.setEnabled(kind.has_outcome)
        if not kind.has_outcome:
            self.outcome.setCurrentIndex(0)
        self._update_hint()

    def _build_sections(self, titles: list[str]) -> None:
        kept = {t: e.toPlainText() for t, e in self.section_edits}
        while self.sections_layout.count():
            item = self.sections_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.section_edits = []
        for i, title in enumerate(titles):
            edit = QPlainTextEdit(kept.get(title, ""))
            edit.setFixedHeight(56)
            self.sections_layout.addWidget(QLabel(f"<b>{title}</b>"), 2 * i, 0)
            self.sections_layout.addWidget(edit, 2 * i + 1, 0)
            self.section_edits.append((title, edit))

    def _update_hint(self) -> None:
        kind = self.kinds.get(self.kind.currentData())
        try:
            held = self.held_on.date()
        except DateParseError:
            held = None
        if kind is None or held is None or kind.interval_months is None:
            self.next_hint.setText(kind.interval_text if kind else "")
            return
        self.next_hint.setText(
            f"{kind.interval_text} by default: next due "
            f"{format_date(add_months(held, kind.interval_months))} (a role "
            "may have its own interval)."
        )

    def build(self, problems: list[Problem]) -> service.SupervisionInput:
        f = self.form
        return service.SupervisionInput(
            staff_id=self.worker.currentData(),
            supervisor_id=self.supervisor.currentData(),
            kind=self.kind.currentData(),
            held_on=f.read_date("held_on", problems),
            location=self.location.text(),
            sections=tuple((t, e.toPlainText()) for t, e in self.section_edits),
            outcome=self.outcome.currentData() or "",
            worker_ack_name=self.ack_name.text(),
            worker_ack_on=f.read_date("worker_ack_on", problems),
            supervisor_signed_on=f.read_date("supervisor_signed_on", problems),
            next_due=f.read_date("next_due", problems),
            actions=self.action_rows.agreed_actions(problems),
        )

    def save(self, value: service.SupervisionInput) -> Callable[[], Changes]:
        if self.record is not None:
            return partial(
                service.update_supervision,
                self.ctx.db,
                self.record.id,
                value,
                expected_version=self.record.version,
                today=self.ctx.today(),
            )
        return partial(service.record_supervision, self.ctx.db, value, today=self.ctx.today())
