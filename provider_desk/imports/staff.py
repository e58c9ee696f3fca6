"""Import the staff register from a manager's own spreadsheet (CSV or XLSX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.imports.people import FIRST_NAME, FULL_NAME, LAST_NAME, WORKER_ID, split_name
from provider_desk.imports.report import ImportReport, Planned, Skipped
from provider_desk.imports.tabular import (
    FieldSpec,
    Table,
    cell_date,
    find_table,
    normalise,
    read_sheet,
)
from provider_desk.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.resources import load_json
from provider_desk.rules.dates import DateParseError
from provider_desk.rules.statuses import CheckStatus, ContractType, StaffStatus
from provider_desk.rules.validators import dbs_certificate_number, normalise_dbs_number
from provider_desk.services.staff import (
    StaffInput,
    add_staff_in,
    find_same_person,
    update_staff_in,
)

FIELDS = (
    FIRST_NAME,
    LAST_NAME,
    FULL_NAME,
    FieldSpec("preferred_name", "Preferred name", ("known as", "nickname")),
    FieldSpec(
        "job_role",
        "Job role",
        ("role", "job title", "position", "post", "main job role", "mainjobrole", "designation"),
        required=True,
    ),
    FieldSpec("team", "Team", ("area", "patch", "branch", "round")),
    FieldSpec(
        "contract_type",
        "Contract type",
        ("contract", "employment status", "emplstatus", "employment type"),
    ),
    FieldSpec(
        "start_date",
        "Start date",
        (
            "started",
            "date started",
            "start",
            "employment start",
            "date joined",
            "joined",
            "startdate",
        ),
        required=True,
    ),
    FieldSpec(
        "leaving_date",
        "Leaving date",
        ("left", "date left", "end date", "leaver date", "leave date"),
    ),
    FieldSpec("status", "Status", ("employment status text",)),
    WORKER_ID,
    FieldSpec("line_manager", "Line manager", ("manager", "supervisor", "reports to")),
    FieldSpec("notes", "Notes", ("comments", "comment")),
    FieldSpec(
        "dbs_number",
        "DBS certificate number",
        ("dbs", "dbs number", "dbs no", "dbs cert no", "dbs certificate", "dbs ref"),
    ),
    FieldSpec(
        "dbs_issued_on", "DBS issue date", ("dbs date", "dbs issued", "date of dbs", "dbs issue")
    ),
    FieldSpec("dbs_update_service", "DBS update service", ("update service", "on update service")),
)

_CONTRACTS = {
    "permanent": "permanent",
    "perm": "permanent",
    "1": "permanent",
    "fulltime": "permanent",
    "parttime": "permanent",
    "temporary": "temporary",
    "temp": "temporary",
    "fixedterm": "temporary",
    "2": "temporary",
    "bank": "bank",
    "pool": "bank",
    "poolbank": "bank",
    "relief": "bank",
    "3": "bank",
    "agency": "agency",
    "4": "agency",
    "other": "other",
    "7": "other",
}
_STATUSES = {
    "active": "active",
    "current": "active",
    "inpost": "active",
    "employed": "active",
    "onleave": "on leave",
    "leave": "on leave",
    "maternityleave": "on leave",
    "longtermsick": "on leave",
    "sick": "on leave",
    "left": "left",
    "leaver": "left",
    "former": "left",
    "ended": "left",
}
_YES = {"yes", "y", "true", "1", "x", "✓"}


class _RowError(Exception):
    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where
        self.reason = reason


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Context:
    def __init__(self, s: Session, table: Table, today: dt.date) -> None:
        self.s = s
        self.table = table
        self.today = today
        self.roles = {normalise(r.name): r.id for r in s.scalars(select(JobRole))}
        for role_name, aliases in load_json("job_roles.json").get("aliases", {}).items():
            role_id = self.roles.get(normalise(role_name))
            for alias in aliases:
                if role_id is not None:
                    self.roles.setdefault(normalise(alias), role_id)
        self.role_codes = {
            r.asc_wds_code: r.id for r in s.scalars(select(JobRole)) if r.asc_wds_code is not None
        }

    def date(self, row: int, values: dict[str, Any], name: str, label: str) -> dt.date | None:
        try:
            return cell_date(values.get(name))
        except DateParseError as exc:
            raise _RowError(self.table.place(row, name), f"{label}: {exc}") from None

    def role(self, row: int, value: Any) -> int:
        text = _text(value)
        if not text:
            raise _RowError(self.table.place(row, "job_role"), "Job role is blank.")
        if text.isdigit() and int(text) in self.role_codes:
            return self.role_codes[int(text)]
        role_id = self.roles.get(normalise(text))
        if role_id is None:
            raise _RowError(
                self.table.place(row, "job_role"),
                f"Job role '{text}' is not in the list. Add it under Settings > Job roles, or "
                f"map it with --map.",
            )
        return role_id


def _staff_input(
    ctx: _Context, row: int, values: dict[str, Any], base: StaffMember | None = None
) -> StaffInput:
    """The row as a StaffInput. Updating someone, a column the file lacks keeps their value."""
    first, last = _text(values.get("first_name")), _text(values.get("last_name"))
    if not (first and last) and values.get("full_name"):
        first, last = split_name(_text(values["full_name"]))
    if not first or not last:
        raise _RowError(ctx.table.place(row), "No first and last name in this row.")
    contract_raw = _text(values.get("contract_type"))
    contract = _CONTRACTS.get(normalise(contract_raw), "") if contract_raw else "permanent"
    if not contract:
        raise _RowError(
            ctx.table.place(row, "contract_type"),
            f"Contract type '{contract_raw}' is not one of: "
            f"{', '.join(c.value for c in ContractType)}.",
        )
    leaving = ctx.date(row, values, "leaving_date", "Leaving date")
    status_raw = _text(values.get("status"))
    status = _STATUSES.get(normalise(status_raw), "") if status_raw else ""
    if status_raw and not status:
        raise _RowError(
            ctx.table.place(row, "status"),
            f"Status '{status_raw}' is not active, on leave or left.",
        )
    has = ctx.table.columns
    if base is not None:
        contract = contract if "contract_type" in has else base.contract_type
        leaving = leaving if "leaving_date" in has else base.leaving_date
        status = status if "status" in has else ""
        if not status and "leaving_date" not in has:
            status = base.status
    if not status:
        status = StaffStatus.LEFT.value if leaving and leaving <= ctx.today else "active"

    def keep(name: str, old: str) -> str:
        return _text(values.get(name)) if name in has or base is None else old

    return StaffInput(
        first_name=first,
        last_name=last,
        preferred_name=keep("preferred_name", base.preferred_name if base else ""),
        job_role_id=ctx.role(row, values.get("job_role")),
        team=keep("team", base.team if base else ""),
        contract_type=contract,
        start_date=ctx.date(row, values, "start_date", "Start date"),
        leaving_date=leaving,
        status=status,
        line_manager_id=base.line_manager_id if base else None,
        asc_wds_worker_id=keep("asc_wds_worker_id", (base.asc_wds_worker_id or "") if base else ""),
        notes=keep("notes", base.notes if base else ""),
    )


def _same_as(member: StaffMember, data: StaffInput) -> bool:
    return (
        member.first_name,
        member.last_name,
        member.preferred_name,
        member.job_role_id,
        member.team,
        member.contract_type,
        member.start_date,
        member.leaving_date,
        member.status,
        member.asc_wds_worker_id or "",
        member.notes,
    ) == (
        data.first_name,
        data.last_name,
        data.preferred_name,
        data.job_role_id,
        data.team,
        data.contract_type,
        data.start_date,
        data.leaving_date,
        data.status,
        data.asc_wds_worker_id,
        data.notes,
    )


def import_staff(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import staff from ``path``. Rows with problems are skipped and reported; the rest are
    written in one transaction (all or nothing). Importing the same file twice adds no one twice:
    people are matched by ASC-WDS worker id, then by name and start date.

    Raises:
        ValidationError: the file cannot be read or has no recognisable header.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    day = today
    table = find_table(read_sheet(path), FIELDS, mapping)
    if "first_name" not in table.columns and "full_name" not in table.columns:
        raise ValidationError.single(
            "file", "No name column found (e.g. 'First name' and 'Surname', or 'Name')."
        )
    missing = [f.label for f in FIELDS if f.required and f.name not in table.columns]
    if missing:
        raise ValidationError.single(
            "file",
            f"No column for {', '.join(missing)}. Rename the column in the file or use "
            '--map "Your column=field".',
        )
    report = ImportReport(dry_run=dry_run)
    report.columns = {table.sheet.rows[table.header_row][c]: f for f, c in table.columns.items()}
    report.ignored_columns = table.unmapped
    total = table.data_row_count()
    with db.session(dry_run=dry_run) as s:
        ctx = _Context(s, table, day)
        managers: list[tuple[int, int, str]] = []
        for n, (row, values) in enumerate(table.records()):
            if n % 50 == 0 and not progress(n, total, "Importing staff"):
                raise Cancelled()
            try:
                member = _import_row(ctx, row, values, report)
            except _RowError as exc:
                report.skipped.append(Skipped(exc.where, exc.reason))
                continue
            except ValidationError as exc:
                for p in exc.problems:
                    where = table.place(row, p.field if p.field in table.columns else None)
                    report.skipped.append(Skipped(where, p.message))
                continue
            if values.get("line_manager"):
                managers.append((row, member.id, _text(values["line_manager"])))
        _link_managers(ctx, managers, report)
        progress(total, total, "Importing staff")
    return report


def _import_row(
    ctx: _Context, row: int, values: dict[str, Any], report: ImportReport
) -> StaffMember:
    s = ctx.s
    data = _staff_input(ctx, row, values)
    dbs = _dbs(ctx, row, values)
    existing = None
    if data.asc_wds_worker_id:
        existing = s.scalar(
            select(StaffMember).where(StaffMember.asc_wds_worker_id == data.asc_wds_worker_id)
        )
    if existing is None:
        existing = find_same_person(s, data.first_name, data.last_name, data.start_date)
    if existing is not None:
        data = _staff_input(ctx, row, values, base=existing)
    name = f"{data.first_name} {data.last_name}"
    with s.begin_nested():  # a bad row rolls back alone; the rest of the file still goes in
        if existing is None:
            member = add_staff_in(s, data, today=ctx.today, allow_duplicate=True)
            report.imported += 1
            report.planned.append(Planned(ctx.table.place(row), "new", name))
        elif _same_as(existing, data):
            member = existing
            report.unchanged += 1
            report.planned.append(Planned(ctx.table.place(row), "unchanged", name))
        else:
            member = update_staff_in(s, existing.id, data, today=ctx.today, expected_version=None)
            report.updated += 1
            report.planned.append(Planned(ctx.table.place(row), "update", name))
        if dbs is not None:
            _apply_dbs(s, member.id, *dbs)
    return member


def _dbs(
    ctx: _Context, row: int, values: dict[str, Any]
) -> tuple[str, dt.date | None, bool] | None:
    number = _text(values.get("dbs_number"))
    issued = ctx.date(row, values, "dbs_issued_on", "DBS issue date")
    if not number and issued is None:
        return None
    problem = dbs_certificate_number("dbs_number", number)
    if problem:
        raise _RowError(ctx.table.place(row, "dbs_number"), problem.message)
    if issued and issued > ctx.today:
        raise _RowError(ctx.table.place(row, "dbs_issued_on"), "DBS issue date is in the future.")
    update = normalise(_text(values.get("dbs_update_service"))) in _YES
    return normalise_dbs_number(number), issued, update


def _apply_dbs(
    s: Session, staff_id: int, number: str, issued: dt.date | None, update: bool
) -> None:
    check = s.scalar(
        select(RecruitmentCheck).where(
            RecruitmentCheck.staff_id == staff_id, RecruitmentCheck.kind == "dbs"
        )
    )
    if check is None:
        check = RecruitmentCheck(staff_id=staff_id, kind="dbs")
        s.add(check)
    if check.status == CheckStatus.VERIFIED:
        return  # a manager's verification is never downgraded by a spreadsheet
    if (check.reference, check.issued_on, check.update_service) == (number, issued, update):
        return
    check.reference = number
    check.issued_on = issued
    check.update_service = update
    # Imported from a list: the certificate details are known but nobody here has verified it.
    check.status = CheckStatus.RECEIVED.value
    check.checked_on = check.checked_on or issued
    check.evidence_note = check.evidence_note or "Details imported from a spreadsheet."
    s.flush()


def _link_managers(
    ctx: _Context, managers: list[tuple[int, int, str]], report: ImportReport
) -> None:
    for row, staff_id, text in managers:
        first, last = split_name(text)
        found = list(
            ctx.s.scalars(
                select(StaffMember).where(
                    func.lower(StaffMember.first_name) == first.lower(),
                    func.lower(StaffMember.last_name) == last.lower(),
                    StaffMember.archived_at.is_(None),
                )
            )
        )
        if len(found) != 1:
            why = "is not on the register" if not found else "matches more than one person"
            report.skipped.append(
                Skipped(
                    ctx.table.place(row, "line_manager"),
                    f"Line manager '{text}' {why}; left blank.",
                )
            )
            continue
        member = ctx.s.get(StaffMember, staff_id)
        if member is not None and found[0].id != staff_id and member.line_manager_id != found[0].id:
            member.line_manager_id = found[0].id
    ctx.s.flush()
