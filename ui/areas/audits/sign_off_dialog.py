"""The registered manager signs off a finished audit (Audits page)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits import services as audit_service
from provider_desk.areas.audits.queries import AuditRow
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.rules.dates import format_date
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


class SignOffDialog(FormDialog):
    """The registered manager's name and the date they signed the audit off."""

    def __init__(
        self, ctx: AppContext, audit: AuditRow, manager: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"Sign off {audit.reference}", parent, "Sign off")
        self.audit = audit
        f = self.form
        f.layout_.addRow(
            "Audit",
            QLabel(
                f"{audit.template}, {format_date(audit.audited_on)}, scored "
                f"{r.format_score(audit.score)} ({audit.failed} not met)"
            ),
        )
        self.name = f.add("manager_signed_by", "Registered manager *", QLineEdit(manager))
        self.signed_on = f.add("manager_signed_on", "Date *", DateField(optional=False))
        self.signed_on.set_date(ctx.today())

    def build(self, problems: list[Problem]) -> tuple[str, dt.date | None]:
        return self.name.text(), self.form.read_date("manager_signed_on", problems)

    def save(self, value: tuple[str, dt.date | None]) -> partial[Changes]:
        return partial(
            audit_service.sign_off_audit,
            self.ctx.db,
            self.audit.id,
            name=value[0],
            signed_on=value[1],
            expected_version=self.audit.version,
            today=self.ctx.today(),
        )
