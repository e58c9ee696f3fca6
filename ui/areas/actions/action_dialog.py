"""Raise or edit an action, and mark one done with its evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from provider_desk.areas.actions import services as action_service
from provider_desk.areas.actions.queries import ActionRow
from provider_desk.areas.staff.queries import Choice
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.rules.dates import add_months
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


class ActionDialog(FormDialog):
    """What needs doing, who owns it, and by when."""

    history_table = "action"

    def __init__(
        self,
        ctx: AppContext,
        owners: list[Choice],
        row: ActionRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Edit action" if row else "New action", parent)
        self.row = row
        f = self.form
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(80)
        f.add(
            "description",
            "What needs to be done *",
            self.description,
            "Write it so that someone else could tell when it is done.",
        )
        self.owner = QComboBox()
        self.owner.addItem("Choose…", None)
        for o in owners:
            self.owner.addItem(o.label, o.id)
        f.add("owner_id", "Owner *", self.owner)
        self.due_on = f.add("due_on", "Due *", DateField(optional=False))
        self.raised_on = f.add("raised_on", "Raised on", DateField())
        if row is not None:
            self.description.setPlainText(row.description)
            self.owner.setCurrentIndex(max(0, self.owner.findData(row.owner_id)))
            if self.owner.findData(row.owner_id) < 0:
                self.owner.addItem(f"{row.owner} (left)", row.owner_id)
                self.owner.setCurrentIndex(self.owner.count() - 1)
            self.due_on.set_date(row.due_on)
            self.raised_on.set_date(row.raised_on)
        else:
            self.raised_on.set_date(ctx.today())
            self.due_on.set_date(add_months(ctx.today(), 1))

    def build(self, problems: list[Problem]) -> action_service.ActionInput:
        return action_service.ActionInput(
            description=self.description.toPlainText(),
            owner_id=self.owner.currentData(),
            due_on=self.form.read_date("due_on", problems),
            raised_on=self.form.read_date("raised_on", problems),
            source=self.row.source if self.row else "manual",
        )

    def save(self, value: action_service.ActionInput) -> Callable[[], Changes]:
        if self.row is None:
            return partial(action_service.raise_action, self.ctx.db, value, today=self.ctx.today())
        return partial(
            action_service.update_action,
            self.ctx.db,
            self.row.id,
            value,
            expected_version=self.row.version,
            today=self.ctx.today(),
        )


class CompleteActionDialog(FormDialog):
    """Mark an action done, with the evidence an inspector would want to see."""

    def __init__(self, ctx: AppContext, row: ActionRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Mark action done", parent, save_label="Mark done")
        self.row = row
        self.completed_on = self.form.add(
            "completed_on", "Completed on *", DateField(optional=False)
        )
        self.completed_on.set_date(ctx.today())
        self.evidence = QPlainTextEdit()
        self.evidence.setFixedHeight(90)
        self.form.add(
            "completion_evidence",
            "Evidence of completion *",
            self.evidence,
            "What shows it was done, e.g. 'Risk assessment updated 12/11, copy in file'.",
        )

    def build(self, problems: list[Problem]) -> tuple[date | None, str]:
        return self.form.read_date("completed_on", problems), self.evidence.toPlainText()

    def save(self, value: tuple[date | None, str]) -> Callable[[], Changes]:
        completed_on, evidence = value
        return partial(
            action_service.complete_action,
            self.ctx.db,
            self.row.id,
            completed_on,
            evidence,
            expected_version=self.row.version,
            today=self.ctx.today(),
        )
