"""Import the staff register from a manager's own spreadsheet (CSV or XLSX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.index import FIRST_NAME, FULL_NAME, LAST_NAME, WORKER_ID, split_name
from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.staff.rules import CheckStatus, ContractType, StaffStatus
from provider_desk.areas.staff.services import (
    CheckInput,
    StaffInput,
    add_staff_in,
    update_staff_in,
    validate_check,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.resources import load_json
from provider_desk.rules.dates import format_date
from provider_desk.rules.validators import normalise_dbs_number
from provider_desk.tabular.read import COLUMNS, FieldSpec, normalise, read_table
from provider_desk.tabular.records import (
    Field,
    RecordKind,
    Row,
    SavedRecords,
    import_session,
    merge,
    show,
    skip,
    start_report,
)
from provider_desk.tabular.report import FieldChange, ImportReport, Skipped, Updated

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


_FIELDS_SET = (
    "first_name", "last_name", "preferred_name", "job_role_id", "team", "contract_type",
    "start_date", "leaving_date", "status", "asc_wds_worker_id", "notes",
)  # fmt: skip
# Service field -> file column, so a problem the service finds is reported at its cell.
_ALIASES = {"job_role_id": "job_role", "line_manager_id": "line_manager"}
_DBS_ALIASES = {
    "reference": "dbs_number",
    "issued_on": "dbs_issued_on",
    "checked_on": "dbs_issued_on",
    "update_service": "dbs_update_service",
}


def _roles(s: Session) -> tuple[dict[str, int], dict[int, int], dict[int, str]]:
    """Job roles by normalised name and alias, by ASC-WDS code, and their names by id."""
    roles = list(s.scalars(select(JobRole)))
    by_name = {normalise(r.name): r.id for r in roles}
    for role_name, aliases in load_json("job_roles.json").get("aliases", {}).items():
        role_id = by_name.get(normalise(role_name))
        for alias in aliases:
            if role_id is not None:
                by_name.setdefault(normalise(alias), role_id)
    codes = {r.asc_wds_code: r.id for r in roles if r.asc_wds_code is not None}
    return by_name, codes, {r.id: r.name for r in roles}


def _describe(m: StaffMember) -> str:
    worker = f" (ASC-WDS {m.asc_wds_worker_id})" if m.asc_wds_worker_id else ""
    return f"{m.first_name} {m.last_name}{worker}"


def _describe_row(values: Mapping[str, Any]) -> str:
    name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip() or "(no name)"
    worker = values.get("asc_wds_worker_id")
    return name + (f" (ASC-WDS {worker})" if worker else "")


def staff_kind(s: Session, today: dt.date) -> RecordKind[StaffMember]:
    """Staff: found by ASC-WDS worker id, then by name and start date; the same person only if
    the name (and the worker id, when both have one) agree."""
    role_names = _roles(s)[2]

    def complete(saved: StaffMember | None, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        if "status" not in out and (saved is None or "leaving_date" in out):
            leaving = out.get("leaving_date")
            if leaving is not None and leaving <= today:
                out["status"] = StaffStatus.LEFT.value
            elif saved is None or saved.status == StaffStatus.LEFT:
                out["status"] = StaffStatus.ACTIVE.value
        if saved is None:
            out.setdefault("contract_type", ContractType.PERMANENT.value)
        return out

    def save(s: Session, saved: StaffMember | None, values: dict[str, Any]) -> StaffMember:
        base = {f: getattr(saved, f) for f in _FIELDS_SET} if saved else {}
        merged = base | values
        data = StaffInput(
            first_name=merged.get("first_name") or "",
            last_name=merged.get("last_name") or "",
            job_role_id=merged.get("job_role_id"),
            start_date=merged.get("start_date"),
            preferred_name=merged.get("preferred_name") or "",
            team=merged.get("team") or "",
            contract_type=merged.get("contract_type") or ContractType.PERMANENT.value,
            leaving_date=merged.get("leaving_date"),
            status=merged.get("status") or StaffStatus.ACTIVE.value,
            line_manager_id=saved.line_manager_id if saved else None,
            asc_wds_worker_id=merged.get("asc_wds_worker_id") or "",
            notes=merged.get("notes") or "",
        )
        if saved is None:
            if data.job_role_id is None:
                raise ValidationError.single("job_role_id", "Job role is blank.")
            return add_staff_in(s, data, today=today, allow_duplicate=True)
        # Read in this same transaction: nobody can have changed it in between.
        return update_staff_in(s, saved.id, data, today=today, expected_version=saved.version)

    return RecordKind(
        noun="staff member",
        model=StaffMember,
        fields=(
            Field("first_name", "First name"),
            Field("last_name", "Last name"),
            Field("preferred_name", "Preferred name"),
            Field("job_role_id", "Job role", lambda v: show(role_names.get(v))),
            Field("team", "Team"),
            Field("contract_type", "Contract type"),
            Field("start_date", "Start date"),
            Field("leaving_date", "Leaving date"),
            Field("status", "Status"),
            Field("asc_wds_worker_id", "ASC-WDS worker id"),
            Field("notes", "Notes"),
        ),
        keys=(("asc_wds_worker_id",), ("first_name", "last_name", "start_date")),
        identity=("first_name", "last_name", "asc_wds_worker_id"),
        describe=_describe,
        describe_row=_describe_row,
        save=save,
        complete=complete,
    )


def dbs_kind(s: Session, today: dt.date) -> RecordKind[RecruitmentCheck]:
    """A staff member's DBS check, as a staff list gives it: one per person, updated in place.

    Details imported from a list are "received" (nobody here has seen the certificate); a
    check a manager has verified is never changed by a spreadsheet.
    """

    def describe(check: RecruitmentCheck) -> str:
        member = s.get(StaffMember, check.staff_id)
        return f"{member.first_name} {member.last_name}: DBS check" if member else "DBS check"

    def save(
        s: Session, saved: RecruitmentCheck | None, values: dict[str, Any]
    ) -> RecruitmentCheck:
        check = saved or RecruitmentCheck(staff_id=values["staff_id"], kind="dbs")
        if check.status == CheckStatus.VERIFIED:
            raise ValidationError.single(
                "reference",
                "The DBS check is marked verified, so the spreadsheet does not change it. If "
                "the certificate has changed, record it on the staff member's checks.",
            )
        issued = values.get("issued_on", check.issued_on)
        data = CheckInput(
            status=CheckStatus.RECEIVED.value,
            checked_on=check.checked_on or issued or today,
            reference=values.get("reference", check.reference) or "",
            issued_on=issued,
            update_service=bool(values.get("update_service", check.update_service)),
        )
        problems = validate_check("dbs", data, today)
        if problems:
            raise ValidationError(problems)
        check.reference = normalise_dbs_number(data.reference)
        check.issued_on = data.issued_on
        check.update_service = data.update_service
        check.status = data.status
        check.checked_on = data.checked_on
        check.evidence_note = check.evidence_note or "Details imported from a spreadsheet."
        s.add(check)
        s.flush()
        return check

    return RecordKind(
        noun="DBS check",
        model=RecruitmentCheck,
        fields=(
            Field("reference", "DBS certificate number"),
            Field("issued_on", "DBS issue date"),
            Field("update_service", "DBS update service"),
        ),
        keys=(("staff_id", "kind"),),
        identity=(),
        describe=describe,
        describe_row=lambda values: "DBS check",
        save=save,
    )


def _values(
    row: Row, roles: tuple[dict[str, int], dict[int, int], dict[int, str]]
) -> dict[str, Any]:
    """The staff fields this row sets, read and checked cell by cell."""
    values: dict[str, Any] = {}
    first, last = row.text("first_name"), row.text("last_name")
    if not (first and last) and row.given("full_name"):
        first, last = split_name(row.text("full_name"))
    if not first and not last and not row.given("asc_wds_worker_id"):
        raise ValidationError.single("first_name", "No first and last name in this row.")
    if first or last:
        values["first_name"], values["last_name"] = first, last
    role = row.text("job_role")
    if role:
        by_name, codes, _ = roles
        role_id = codes.get(int(role)) if role.isdigit() else None
        role_id = role_id or by_name.get(normalise(role))
        if role_id is None:
            raise ValidationError.single(
                "job_role",
                f"Job role '{role}' is not in the list. Add it under Settings > Job roles, or "
                "correct it in the file.",
            )
        values["job_role_id"] = role_id
    contract = row.choice("contract_type", _CONTRACTS, "Contract type")
    if contract:
        values["contract_type"] = contract
    status = row.text("status")
    if status:
        found = _STATUSES.get(normalise(status))
        if found is None:
            raise ValidationError.single(
                "status", f"Status '{status}' is not active, on leave or left."
            )
        values["status"] = found
    start = row.date("start_date", "Start date")
    if start is not None:
        values["start_date"] = start
    leaving = row.date("leaving_date", "Leaving date")
    if leaving is not None or (row.clear_empty and row.has("leaving_date")):
        values["leaving_date"] = leaving
    for name in ("preferred_name", "team", "notes"):
        row.put(values, name, row.text(name))
    if row.given("asc_wds_worker_id"):
        values["asc_wds_worker_id"] = row.text("asc_wds_worker_id")
    return values


def _dbs_values(row: Row, today: dt.date) -> dict[str, Any] | None:
    """The DBS details this row sets, or None if it says nothing about the DBS.

    Checked here, before the staff member is saved, so a row with a bad DBS number is skipped
    whole (the same checks as the form's, which saving repeats).
    """
    values: dict[str, Any] = {}
    if row.given("dbs_number"):
        values["reference"] = normalise_dbs_number(row.text("dbs_number"))
    issued = row.date("dbs_issued_on", "DBS issue date")
    if issued is not None:
        values["issued_on"] = issued
    if not values:
        return None
    if row.given("dbs_update_service"):
        values["update_service"] = normalise(row.text("dbs_update_service")) in _YES
    check = CheckInput(
        status=CheckStatus.RECEIVED.value,
        checked_on=values.get("issued_on") or today,
        reference=values.get("reference", ""),
        issued_on=values.get("issued_on"),
    )
    problems = validate_check("dbs", check, today)
    if problems:
        raise ValidationError(problems)
    return values


def import_staff(
    db: Database,
    path: Path,
    *,
    today: dt.date,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    clear_empty: bool = False,
    confirmed: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import staff from ``path``. Rows with problems are skipped and reported; the rest are
    written in one transaction (all or nothing). Importing the same file twice adds no one twice:
    people are matched by ASC-WDS worker id, then by name and start date. A worker id that
    belongs to someone with another name is a conflict and changes nothing; otherwise only the
    columns in the file are updated, each change listed in the report.

    Raises:
        ValidationError: the file cannot be read or has no recognisable header, or the records
            changed since the preview whose plan digest is ``confirmed``.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    table = read_table(path, FIELDS, mapping)
    has_worker = "asc_wds_worker_id" in table.columns
    if not {"first_name", "full_name", "last_name"} & table.columns.keys() and not has_worker:
        raise ValidationError.single(
            COLUMNS,
            "No name column found (e.g. 'First name' and 'Surname', or 'Name'): rename the "
            "column in the file or map a column to it.",
        )
    missing = [f.label for f in FIELDS if f.required and f.name not in table.columns]
    if missing and not has_worker:
        raise ValidationError.single(
            COLUMNS,
            f"No column for {', '.join(missing)}. Rename the column in the file or map a "
            "column to it. (To update staff already saved, an ASC-WDS worker id column is "
            "enough.)",
        )
    report = start_report(table, dry_run=dry_run, clear_empty=clear_empty)
    total = table.data_row_count()
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        roles = _roles(s)
        kind = SavedRecords(s, staff_kind(s, today))
        dbs = SavedRecords(s, dbs_kind(s, today))
        managers: list[tuple[Row, int]] = []
        for n, (index, cells) in enumerate(table.records()):
            if n % 50 == 0 and not progress(n, total, "Importing staff"):
                raise Cancelled()
            row = Row(table, index, cells, clear_empty)
            try:
                values = _values(row, roles)
                dbs_values = _dbs_values(row, today)
            except ValidationError as exc:
                skip(report, row, exc, _DBS_ALIASES)
                continue
            outcome = merge(kind, row, values, report, _ALIASES)
            if outcome.record is None:
                continue
            if outcome.action == "new":
                _namesakes(kind, row, outcome.record, report)
            if dbs_values is not None:
                if outcome.action == "new":  # adding someone adds their checks, unseen
                    dbs.reload(RecruitmentCheck.staff_id == outcome.record.id)
                dbs_values |= {"staff_id": outcome.record.id, "kind": "dbs"}
                _merge_dbs(dbs, row, dbs_values, report, outcome.action)
            if row.sets("line_manager"):
                managers.append((row, outcome.record.id))
        _link_managers(s, managers, report)
        progress(total, total, "Importing staff")
    return report


def _namesakes(
    kind: SavedRecords[StaffMember], row: Row, added: StaffMember, report: ImportReport
) -> None:
    """Say when a row adds someone with the name of someone already there (another start
    date, so not matched): a second Amy Smith is real sometimes, a typo more often."""
    for other in kind.find_by(("first_name", "last_name"), _name_of(added)):
        if other is not added:
            report.notices.append(
                f"{row.where}: there is already {_a_name(other)} (started "
                f"{format_date(other.start_date)}); this row adds another. If it is the same "
                "person, put their ASC-WDS worker id or start date right in the file."
            )
            return


def _name_of(member: StaffMember) -> dict[str, Any]:
    return {"first_name": member.first_name, "last_name": member.last_name}


def _a_name(member: StaffMember) -> str:
    return (
        f"{'an' if member.first_name[:1].lower() in 'aeiou' else 'a'} {member.first_name} "
        f"{member.last_name}"
    )


def _merge_dbs(
    kind: SavedRecords[RecruitmentCheck],
    row: Row,
    values: dict[str, Any],
    report: ImportReport,
    staff_action: str,
) -> None:
    """The DBS details of a row, through the same merge, reported as part of the staff row.

    A row counts once, as a staff member: the DBS check's changes are listed under the row, a
    new person's check is part of adding them, and an unchanged person whose DBS changes is an
    update.
    """
    counts = (report.imported, report.updated, report.unchanged)
    planned, updates = len(report.planned), len(report.updates)
    outcome = merge(kind, row, values, report, _DBS_ALIASES)
    report.imported, report.updated, report.unchanged = counts
    del report.planned[planned:]
    if staff_action == "new":
        del report.updates[updates:]
    elif outcome.action == "update" and staff_action == "unchanged" and planned:
        last = report.planned[planned - 1]
        report.planned[planned - 1] = replace(last, action="update")
        report.unchanged -= 1
        report.updated += 1


def _link_managers(s: Session, managers: list[tuple[Row, int]], report: ImportReport) -> None:
    """Line managers are linked once everyone in the file is on the register."""
    for row, staff_id in managers:
        member = s.get(StaffMember, staff_id)
        if member is None:
            continue
        text = row.text("line_manager")
        manager_id: int | None = None
        if text:
            first, last = split_name(text)
            found = list(
                s.scalars(
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
                    Skipped(row.place("line_manager"), f"Line manager '{text}' {why}; not changed.")
                )
                continue
            manager_id = found[0].id
        if manager_id == staff_id or member.line_manager_id == manager_id:
            continue
        old = s.get(StaffMember, member.line_manager_id) if member.line_manager_id else None
        new = s.get(StaffMember, manager_id) if manager_id else None
        member.line_manager_id = manager_id
        change = FieldChange(
            "line_manager_id",
            "Line manager",
            show(f"{old.first_name} {old.last_name}" if old else None),
            show(f"{new.first_name} {new.last_name}" if new else None),
        )
        _add_change(report, row.where, _describe(member), change)
    s.flush()


def _add_change(report: ImportReport, where: str, record: str, change: FieldChange) -> None:
    """Add one field change to the row's update (turning "unchanged" into "update")."""
    for i, u in enumerate(report.updates):
        if u.where == where:
            report.updates[i] = Updated(u.where, u.record, (*u.changes, change))
            return
    report.updates.append(Updated(where, record, (change,)))
    for i, p in enumerate(report.planned):
        if p.where == where and p.action == "unchanged":
            report.planned[i] = replace(p, action="update")
            report.unchanged -= 1
            report.updated += 1
