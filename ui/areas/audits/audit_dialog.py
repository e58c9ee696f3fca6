"""Carry out an audit: answer each question, comment, attach evidence, raise actions, finish.

A finished audit opens read-only; actions can still be raised from it, and Revise (on the Audits
page) makes a new revision for corrections.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits import services as audit_service
from provider_desk.areas.audits.queries import AuditDetail, AuditRow, AuditSetup
from provider_desk.areas.staff.queries import Choice
from provider_desk.changes import Changes
from provider_desk.errors import Problem, StorageError, ValidationError
from provider_desk.resources import statement_label
from provider_desk.rules.dates import DateParseError, format_date
from ui.context import AppContext, ask, show_failure
from ui.dialogs.base import FormDialog
from ui.history.viewer import open_history
from ui.widgets.date_field import DateField


class QuestionCard(QFrame):
    """One question: its answer, a comment, evidence and the actions raised from it."""

    def __init__(self, number: int, item: r.AuditItem, dialog: AuditDialog) -> None:
        super().__init__()
        self.setObjectName("questionCard")
        self.item = item
        self.number = number
        self.dialog = dialog
        self.attachment_id: int | None = None
        self.file: Path | None = None
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{number}.</b> {item.question}")
        title.setWordWrap(True)
        layout.addWidget(title)
        if item.guidance:
            guide = QLabel(item.guidance)
            guide.setObjectName("fieldHelp")
            guide.setWordWrap(True)
            layout.addWidget(guide)
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.score = QComboBox()
        if item.answer_type == "score":
            self.score.addItem("Not answered", None)
            for n in range(item.max_score + 1):
                self.score.addItem(f"{n} of {item.max_score}", n)
            self.score.addItem("N/A", r.NA)
            self.score.setAccessibleName(f"Score for question {number}")
            row.addWidget(self.score)
            self.score.currentIndexChanged.connect(self._on_changed)
        else:
            for value, text in ((r.YES, "&Yes"), (r.NO, "&No"), (r.NA, "N/&A")):
                radio = QRadioButton(text)
                radio.setAccessibleName(f"{text.replace('&', '')} for question {number}")
                self.group.addButton(radio)
                self.radios[value] = radio
                row.addWidget(radio)
                radio.toggled.connect(self._on_changed)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(
            "What you found (required when not met)" if item.comment_on_no else "Comment"
        )
        row.addWidget(self.comment, 1)
        self.attach_button = QPushButton("Attach…")
        self.attach_button.setToolTip("Attach a photo or document as evidence (PDF, picture, Word)")
        self.action_button = QPushButton("Raise action…")
        self.action_button.setToolTip("Put what needs fixing on the action plan, with an owner")
        row.addWidget(self.attach_button)
        row.addWidget(self.action_button)
        layout.addLayout(row)
        self.notes = QLabel()
        self.notes.setObjectName("questionNotes")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        if item.statements:
            self.setToolTip("Evidences: " + "; ".join(statement_label(s) for s in item.statements))
        self.previous_text = ""
        self.raised_actions: list[str] = []
        self.file_name = ""
        self.attach_button.clicked.connect(self._choose_file)
        self.action_button.clicked.connect(lambda: dialog.raise_action_for(self))

    def set_answer(self, answer: r.Answer | None) -> None:
        """Show a saved answer."""
        if answer is None:
            return
        if self.item.answer_type == "score":
            value: object = r.NA if answer.answer == r.NA else answer.score
            self.score.setCurrentIndex(max(0, self.score.findData(value)))
        elif answer.answer in self.radios:
            self.radios[answer.answer].setChecked(True)
        self.comment.setText(answer.comment)
        self.attachment_id = answer.attachment_id

    def answer(self) -> r.Answer:
        """The answer as entered."""
        if self.item.answer_type == "score":
            data = self.score.currentData()
            if data == r.NA:
                value = r.Answer(r.NA, comment=self.comment.text())
            elif data is None:
                value = r.Answer("", comment=self.comment.text())
            else:
                value = r.Answer("score", score=int(data), comment=self.comment.text())
        else:
            chosen = next((k for k, b in self.radios.items() if b.isChecked()), "")
            value = r.Answer(chosen, comment=self.comment.text())
        return r.Answer(value.answer, value.score, value.comment, self.attachment_id)

    def set_read_only(self, read_only: bool) -> None:
        """Lock the answer (a finished audit); actions can still be raised."""
        for b in self.radios.values():
            b.setEnabled(not read_only)
        self.score.setEnabled(not read_only)
        self.comment.setReadOnly(read_only)
        self.attach_button.setEnabled(not read_only)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach evidence", "", "Evidence (*.pdf *.png *.jpg *.jpeg *.docx *.doc)"
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Attach ``path`` when the audit is saved."""
        self.file = path
        self.file_name = path.name
        self.refresh_notes()

    def refresh_notes(self) -> None:
        """Previous answer, evidence and actions under the question."""
        failed = r.is_failed(self.item, self.answer())
        self.setProperty("failed", failed)
        self.style().unpolish(self)
        self.style().polish(self)
        lines = []
        if self.previous_text:
            lines.append(f"Last audit: {self.previous_text}")
        if self.file_name:
            lines.append(f"Evidence: {self.file_name}")
        lines.extend(f"Action: {a}" for a in self.raised_actions)
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))

    def _on_changed(self, *_args: object) -> None:
        self.refresh_notes()
        self.dialog.update_score()
        self.dialog.dirty = True


class AuditDialog(QDialog):
    """The audit form: date, auditor, scope, every question, the summary."""

    def __init__(self, ctx: AppContext, setup: AuditSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setup = setup
        detail = setup.detail
        self.run_id = detail.row.id if detail else None
        self.version = detail.row.version if detail else None
        self.locked = bool(detail and (detail.row.locked or not detail.is_latest))
        title = setup.template_name + (f" — {detail.row.reference}" if detail else " — new audit")
        if detail and detail.row.revision > 1:
            title += f" (revision {detail.row.revision})"
        self.setWindowTitle(title)
        self.resize(980, 760)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        head = QFormLayout()
        self.audited_on = DateField(optional=False)
        self.audited_on.set_date(detail.row.audited_on if detail else ctx.today())
        head.addRow("Date of audit *", self.audited_on)
        self.auditor = QComboBox()
        self.auditor.addItem("Choose…", None)
        for c in setup.staff:
            self.auditor.addItem(c.label, c.id)
        if detail:
            i = self.auditor.findData(detail.row.auditor_id)
            if i < 0:
                self.auditor.addItem(detail.row.auditor, detail.row.auditor_id)
                i = self.auditor.count() - 1
            self.auditor.setCurrentIndex(i)
        head.addRow("Auditor *", self.auditor)
        scope_row = QHBoxLayout()
        self.scope = QLineEdit()
        self.scope.setPlaceholderText(self._scope_hint())
        scope_row.addWidget(self.scope, 1)
        self.sample_button = QPushButton("Pick a sample")
        self.sample_button.setToolTip(
            f"Choose {setup.sample_size or 5} {setup.scope} at random for the sample"
        )
        self.sample_button.setVisible(setup.scope in ("staff files", "care files"))
        scope_row.addWidget(self.sample_button)
        head.addRow("Scope", scope_row)
        if detail:
            self.scope.setText(detail.row.scope_note)
        elif setup.scope == "service":
            self.scope.setText("Whole service")
        prev_row: AuditRow | None = None
        prev_answers: dict[str, r.Answer] = {}
        prev_template: r.Template | None = None
        if setup.previous is not None:
            prev_row = setup.previous.row
            prev_answers, prev_template = setup.previous.answers, setup.previous.template
        elif detail is not None and detail.previous is not None:
            prev_row = detail.previous
            prev_answers, prev_template = detail.previous_answers, detail.previous_template
        if prev_row is not None:
            head.addRow(
                "Re-audit of",
                QLabel(
                    f"{prev_row.reference} on {format_date(prev_row.audited_on)}, scored "
                    f"{r.format_score(prev_row.score)}: last time's answers are shown under "
                    "each question"
                ),
            )
        if detail and detail.row.revision > 1:
            reason = next((x.reason for x in detail.revisions if x.id == detail.row.id), "")
            head.addRow("Why revised", QLabel(reason))
        self.score_label = QLabel()
        self.score_label.setObjectName("scoreLabel")
        head.addRow("Score", self.score_label)

        cards_host = QWidget()
        cards = QVBoxLayout(cards_host)
        self.cards: list[QuestionCard] = []
        for section in setup.template.sections:
            heading = QLabel(section.title)
            heading.setObjectName("sectionTitle")
            cards.addWidget(heading)
            for n, sec, item in setup.template.numbered():
                if sec is section:
                    card = QuestionCard(n, item, self)
                    self.cards.append(card)
                    cards.addWidget(card)
        cards.addWidget(QLabel("Summary of findings"))
        self.summary = QPlainTextEdit()
        self.summary.setFixedHeight(70)
        cards.addWidget(self.summary)
        cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(cards_host)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Save draft", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.finish_button = self.buttons.addButton(
            "Finish and lock", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.finish_button.setToolTip(
            "Checks every question is answered and every 'no' has a comment, then locks the "
            "audit. Later changes become a new revision with a reason."
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if detail is not None:
            # Every revision of this audit: its first one names the rest.
            root = detail.row.root_id
            history = self.buttons.addButton("History…", QDialogButtonBox.ButtonRole.HelpRole)
            history.setObjectName("historyButton")
            history.clicked.connect(lambda: open_history(self, "audit_run", root, ctx))
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

        answers = detail.answers if detail else {}
        actions_by_item: dict[str, list[str]] = {}
        for a in detail.actions if detail else ():
            actions_by_item.setdefault(a.item_id, []).append(
                f"{a.description} — {a.owner}, due {format_date(a.due_on)} ({a.status.value})"
            )
        names = detail.attachment_names if detail else {}
        for card in self.cards:
            card.set_answer(answers.get(card.item.id))
            if prev_template is not None and card.item.id in prev_answers:
                prev_item = next(
                    (i for i in prev_template.items if i.id == card.item.id), card.item
                )
                p = prev_answers[card.item.id]
                card.previous_text = r.answer_text(prev_item, p) + (
                    f" — {p.comment}" if p.comment else ""
                )
            card.raised_actions = actions_by_item.get(card.item.id, [])
            if card.attachment_id:
                card.file_name = names.get(card.attachment_id, "file")
            card.refresh_notes()
        if detail:
            self.summary.setPlainText(detail.summary)
        if self.locked:
            self._lock()
        self.update_score()
        self.dirty = False
        for card in self.cards:
            card.comment.textEdited.connect(self._mark_dirty)
        self.scope.textEdited.connect(self._mark_dirty)
        self.summary.textChanged.connect(self._mark_dirty)
        self.save_button.clicked.connect(lambda: self.submit(finish=False))
        self.finish_button.clicked.connect(lambda: self.submit(finish=True))
        self.close_button.clicked.connect(self.reject)
        self.sample_button.clicked.connect(self.pick_sample)

    def _mark_dirty(self, *_args: object) -> None:
        self.dirty = True

    def reject(self) -> None:
        """Closing with unsaved answers asks first (default: keep editing)."""
        if (
            self.dirty
            and not self.locked
            and not ask(
                self,
                "Unsaved answers",
                "Close without saving? The answers typed since the last save will be lost.\n\n"
                "Choose No, then Save draft to keep them.",
            )
        ):
            return
        super().reject()

    def _scope_hint(self) -> str:
        s = self.setup
        if s.scope == "service":
            return "Whole service"
        return f"Which {s.scope} ({s.sample_size or 'a sample'}), e.g. names or references"

    def _lock(self) -> None:
        for card in self.cards:
            card.set_read_only(True)
        self.audited_on.setEnabled(False)
        self.auditor.setEnabled(False)
        self.scope.setReadOnly(True)
        self.summary.setReadOnly(True)
        self.sample_button.setEnabled(False)
        self.save_button.hide()
        self.finish_button.hide()
        self.close_button.setText("Close")

    def pick_sample(self) -> None:
        """Fill the scope with a random sample of staff or care files (the template's size)."""
        if self.setup.scope == "care files":
            pool, label = list(self.setup.people), "Care files"
        else:
            pool, label = [c.label for c in self.setup.staff], "Staff files"
        n = min(self.setup.sample_size or 5, len(pool))
        self.scope.setText(f"{label}: " + ", ".join(sorted(random.sample(pool, n))))

    def update_score(self) -> None:
        """The score so far, as the auditor answers."""
        answers = {c.item.id: c.answer() for c in self.cards}
        template = self.setup.template
        done = sum(1 for i in template.items if r.is_answered(i, answers.get(i.id)))
        failed = sum(1 for i in template.items if r.is_failed(i, answers.get(i.id)))
        score = r.score(template, answers)
        self.score_label.setText(
            f"{r.format_score(score) or '—'} of applicable items met · {failed} not met · "
            f"{done} of {len(template.items)} answered"
        )
        band = r.score_band(score)
        self.score_label.setProperty("band", band)
        self.score_label.style().unpolish(self.score_label)
        self.score_label.style().polish(self.score_label)
        for card in self.cards:
            card.action_button.setEnabled(r.is_failed(card.item, card.answer()))

    def build(self, problems: list[Problem]) -> audit_service.AuditInput:
        """The audit as entered (unreadable fields go to ``problems``)."""
        try:
            audited = self.audited_on.date()
        except DateParseError as exc:
            problems.append(Problem("audited_on", str(exc)))
            audited = None
        return audit_service.AuditInput(
            template_id=self.setup.template_id,
            audited_on=audited,
            auditor_id=self.auditor.currentData(),
            scope_note=self.scope.text(),
            answers={c.item.id: c.answer() for c in self.cards},
            summary=self.summary.toPlainText(),
            follow_up_of_id=self.setup.previous.row.root_id if self.setup.previous else None,
            files={c.item.id: c.file for c in self.cards if c.file is not None},
        )

    def submit(self, *, finish: bool, then: object = None) -> None:
        """Save (and with ``finish``, lock) in the background; close unless ``then`` is given."""
        problems: list[Problem] = []
        value = self.build(problems)
        if problems:
            self.show_problems(problems)
            return
        self.error.hide()
        self.buttons.setEnabled(False)
        call = partial(
            audit_service.save_audit,
            self.ctx.db,
            self.run_id,
            value,
            finish=finish,
            expected_version=self.version,
            today=self.ctx.today(),
        )
        self.ctx.tasks.run(
            call,
            on_success=lambda ch: self._on_saved(ch, then),
            on_failure=self._on_failed,
        )

    def _on_saved(self, changes: Changes, then: object) -> None:
        self.buttons.setEnabled(True)
        self.dirty = False
        self.ctx.announce(changes)
        if then is None:
            self.accept()
            return
        self.run_id = changes.ids[0]
        for card in self.cards:
            card.file = None
        # Saving bumps the row version: read it back before the next save.
        from provider_desk.areas.audits.queries import audit_detail

        db, today, run_id = self.ctx.db, self.ctx.today(), self.run_id
        self.ctx.tasks.run(
            lambda: audit_detail(db, run_id, today),
            on_success=lambda d: self._after_autosave(d, then),
            on_failure=lambda e: show_failure(self, e, "Reading the audit back"),
        )

    def _after_autosave(self, detail: AuditDetail | None, then: object) -> None:
        if detail is not None:
            self.version = detail.row.version
            self.setWindowTitle(f"{self.setup.template_name} — {detail.row.reference}")
        if callable(then):
            then()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_problems(list(exc.problems))
        elif isinstance(exc, StorageError):
            show_failure(self, exc, "Saving the audit")
        else:
            raise exc

    def show_problems(self, problems: list[Problem]) -> None:
        """Every problem at the top of the form."""
        self.error.setText("\n".join(p.message for p in problems))
        self.error.show()

    def raise_action_for(self, card: QuestionCard) -> None:
        """Raise an action from a failed question (saving a new audit as a draft first)."""
        if self.run_id is None:
            self.submit(finish=False, then=lambda: self._open_action(card))
        else:
            self._open_action(card)

    def _open_action(self, card: QuestionCard) -> FindingActionDialog:
        assert self.run_id is not None
        dialog = FindingActionDialog(self.ctx, self.setup.staff, self.run_id, card, parent=self)
        dialog.open()
        self.last_action_dialog = dialog
        return dialog


class FindingActionDialog(FormDialog):
    """An action from one question: prefilled with what was found; owner and due date."""

    def __init__(
        self,
        ctx: AppContext,
        staff: tuple[Choice, ...],
        run_id: int,
        card: QuestionCard,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"Action from question {card.number}", parent, "Raise action")
        self.run_id = run_id
        self.card = card
        f = self.form
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(80)
        comment = card.comment.text().strip()
        self.description.setPlainText(
            f"Put right: {card.item.question}" + (f" (found: {comment})" if comment else "")
        )
        f.add(
            "description",
            "What needs to be done *",
            self.description,
            "It goes on the action plan with source 'audit' and this audit's reference.",
        )
        self.owner = QComboBox()
        self.owner.addItem("Choose…", None)
        for c in staff:
            self.owner.addItem(c.label, c.id)
        f.add("owner_id", "Owner *", self.owner)
        self.due_on = f.add("due_on", "Due *", DateField(optional=False))
        self.due_on.set_date(ctx.today() + dt.timedelta(days=28))

    def build(self, problems: list[Problem]) -> audit_service.FindingAction:
        return audit_service.FindingAction(
            self.card.item.id,
            self.description.toPlainText(),
            self.owner.currentData(),
            self.form.read_date("due_on", problems),
        )

    def save(self, value: audit_service.FindingAction) -> partial[Changes]:
        return partial(
            audit_service.raise_finding_action,
            self.ctx.db,
            self.run_id,
            value,
            today=self.ctx.today(),
        )

    def accept(self) -> None:
        if self.saved_changes is not None:
            value = self.build([])
            self.card.raised_actions.append(
                f"{value.description} — {self.owner.currentText()}, due "
                f"{format_date(value.due_on)} (raised)"
            )
            self.card.refresh_notes()
        super().accept()
