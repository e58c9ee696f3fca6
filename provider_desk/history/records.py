"""What each table of the change log is in a manager's words: the kind of record, its fields'
names, its area, its own parts, and how one record is described ("Complaint C-2026-014",
"Jane Smith — Fire safety")."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

import provider_desk.areas.models  # noqa: F401  (every table known to Base.metadata)
from provider_desk.models.base import Base
from provider_desk.resources import check_title
from provider_desk.rules.dates import format_date

Describer = Callable[[Session, Sequence[int]], dict[int, str]]
"""Describes rows of one table by id, in one or a few queries (ids no longer held are left out)."""

_CHUNK = 500
"""Ids per ``IN (...)`` list: well inside every database's limit on bound parameters."""


@dataclass(frozen=True)
class RecordKind:
    """One table as the change log's reader sees it."""

    table: str
    title: str  # "Training record"
    area: str  # the key of the area it belongs to ("" for what belongs to none)
    describe: Describer
    labels: Mapping[str, str] = field(default_factory=dict)
    parts: tuple[tuple[str, str], ...] = ()  # (table, column naming this record): its own parts
    short: Describer | None = None  # the name alone, where another record names this one

    def name(self, s: Session, ids: Sequence[int]) -> dict[int, str]:
        """How a field of another record names these ("Care worker", not "Job role Care
        worker")."""
        return (self.short or self.describe)(s, ids)

    def label(self, column: str) -> str:
        """The field's name in words (the column made readable when no label is given)."""
        return self.labels.get(column) or readable(column)


def readable(column: str) -> str:
    """``line_manager_id`` -> ``Line manager``; ``completed_on`` -> ``Completed on``."""
    words = column.removesuffix("_id").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else column


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    unique = sorted(set(ids))
    for i in range(0, len(unique), _CHUNK):
        yield unique[i : i + _CHUNK]


def _rows(s: Session, table: str, ids: Sequence[int], *columns: str) -> dict[int, tuple]:  # type: ignore[type-arg]
    t = _table(table)
    out: dict[int, tuple] = {}  # type: ignore[type-arg]
    for chunk in _chunks(ids):
        query = select(t.c.id, *(t.c[c] for c in columns)).where(t.c.id.in_(chunk))
        for row in s.execute(query):
            out[int(row[0])] = tuple(row[1:])
    return out


def _date(value: object) -> str:
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    return format_date(value) if isinstance(value, dt.date) else ""


def _short(text: object, limit: int = 60) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def staff_names(s: Session, ids: Sequence[int]) -> dict[int, str]:
    """Staff members' names: "Jane Smith"."""
    rows = _rows(s, "staff_member", ids, "first_name", "last_name")
    return {i: f"{first} {last}".strip() for i, (first, last) in rows.items()}


def person_names(s: Session, ids: Sequence[int]) -> dict[int, str]:
    """People supported: "Mary Jones (P-0012)"."""
    rows = _rows(s, "person", ids, "first_name", "last_name", "reference")
    return {
        i: f"{first} {last}".strip() + (f" ({ref})" if ref else "")
        for i, (first, last, ref) in rows.items()
    }


def _named(table: str, column: str, title: str = "") -> Describer:
    def describe(s: Session, ids: Sequence[int]) -> dict[int, str]:
        rows = _rows(s, table, ids, column)
        return {i: f"{title} {value}".strip() for i, (value,) in rows.items()}

    return describe


def _owned(
    table: str,
    owner_column: str,
    owner_names: Describer,
    part: Callable[[tuple], str],  # type: ignore[type-arg]
    *columns: str,
) -> Describer:
    """Parts of a staff file or a person's record: "<owner> — <what the part is>"."""

    def describe(s: Session, ids: Sequence[int]) -> dict[int, str]:
        rows = _rows(s, table, ids, owner_column, *columns)
        owners = owner_names(s, [r[0] for r in rows.values() if r[0] is not None])
        return {
            i: f"{owners.get(r[0], '(removed record)')} — {part(r[1:])}" for i, r in rows.items()
        }

    return describe


def _course_names(s: Session, ids: Sequence[int]) -> dict[int, str]:
    return {i: str(v[0]) for i, v in _rows(s, "course", ids, "name").items()}


def _role_names(s: Session, ids: Sequence[int]) -> dict[int, str]:
    return {i: str(v[0]) for i, v in _rows(s, "job_role", ids, "name").items()}


def _training(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "training_record", ids, "staff_id", "course_id", "completed_on")
    staff = staff_names(s, [r[0] for r in rows.values()])
    courses = _course_names(s, [r[1] for r in rows.values()])
    return {
        i: f"{staff.get(r[0], '(removed)')} — {courses.get(r[1], 'a course')}"
        + (f", {_date(r[2])}" if r[2] else "")
        for i, r in rows.items()
    }


def _requirement(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "role_requirement", ids, "job_role_id", "course_id")
    roles = _role_names(s, [r[0] for r in rows.values()])
    courses = _course_names(s, [r[1] for r in rows.values()])
    return {
        i: f"{roles.get(r[0], 'A job role')} requires {courses.get(r[1], 'a course')}"
        for i, r in rows.items()
    }


def _supervision_kinds(s: Session) -> dict[str, str]:
    t = _table("supervision_kind")
    return {str(k): str(n) for k, n in s.execute(select(t.c.kind, t.c.name))}


def _supervision(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "supervision_record", ids, "staff_id", "kind", "held_on")
    staff = staff_names(s, [r[0] for r in rows.values()])
    kinds = _supervision_kinds(s) if rows else {}
    return {
        i: f"{staff.get(r[0], '(removed)')} — {kinds.get(r[1], readable(str(r[1])))}"
        + (f" {_date(r[2])}" if r[2] else "")
        for i, r in rows.items()
    }


def _role_interval(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "supervision_role_interval", ids, "kind", "job_role_id")
    roles = _role_names(s, [r[1] for r in rows.values() if r[1] is not None])
    kinds = _supervision_kinds(s) if rows else {}
    return {
        i: f"{kinds.get(r[0], readable(str(r[0])))} interval for {roles.get(r[1], 'a job role')}"
        for i, r in rows.items()
    }


def _complaint_event(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "complaint_event", ids, "complaint_id", "what")
    refs = _rows(s, "complaint", [r[0] for r in rows.values()], "reference")
    return {
        i: f"Complaint {refs.get(r[0], ('?',))[0]} — timeline: {_short(r[1], 40)}"
        for i, r in rows.items()
    }


def _compliment(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "compliment", ids, "from_name", "received_on")
    return {i: f"Compliment from {r[0] or 'someone'}, {_date(r[1])}" for i, r in rows.items()}


def _audit_run(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "audit_run", ids, "reference", "revision")
    return {
        i: f"Audit {r[0]}" + (f" (revision {r[1]})" if r[1] and r[1] > 1 else "")
        for i, r in rows.items()
    }


def _template_version(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "audit_template_version", ids, "template_id", "number")
    names = _rows(s, "audit_template", [r[0] for r in rows.values()], "name")
    return {
        i: f"Audit template {names.get(r[0], ('?',))[0]} version {r[1]}" for i, r in rows.items()
    }


def _action(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "action", ids, "description")
    return {i: f"Action: {_short(r[0], 50)}" for i, r in rows.items()}


def _settings(s: Session, ids: Sequence[int]) -> dict[int, str]:
    return {i: "Organisation settings" for i in _rows(s, "organisation_settings", ids)}


def _user(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "user_account", ids, "full_name", "username")
    return {i: f"User {name} ({username})" for i, (name, username) in rows.items()}


def _retention(s: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = _rows(s, "retention_setting", ids, "record_type")
    return {i: f"Retention period: {readable(str(kind))}" for i, (kind,) in rows.items()}


KINDS: dict[str, RecordKind] = {
    k.table: k
    for k in (
        RecordKind(
            "staff_member",
            "Staff member",
            "staff",
            staff_names,
            {
                "job_role_id": "Job role",
                "line_manager_id": "Line manager",
                "asc_wds_worker_id": "ASC-WDS worker id",
                "leaving_date": "Leaving date",
                "archived_at": "Archived",
            },
            (
                ("recruitment_check", "staff_id"),
                ("training_record", "staff_id"),
                ("care_certificate_standard", "staff_id"),
                ("supervision_record", "staff_id"),
            ),
        ),
        RecordKind(
            "recruitment_check",
            "Recruitment check",
            "staff",
            _owned(
                "recruitment_check", "staff_id", staff_names, lambda r: check_title(r[0]), "kind"
            ),
            {
                "kind": "Check",
                "checked_on": "Checked on",
                "reference": "Reference / certificate number",
                "issued_on": "Issued on",
                "barred_list_checked": "Barred list checked",
                "update_service": "On the DBS Update Service",
                "attachment_id": "Attached file",
            },
        ),
        RecordKind(
            "job_role",
            "Job role",
            "staff",
            _named("job_role", "name", "Job role"),
            {"asc_wds_code": "ASC-WDS code", "regulated_activity": "Does regulated activity"},
            (("role_requirement", "job_role_id"), ("supervision_role_interval", "job_role_id")),
            _role_names,
        ),
        RecordKind(
            "course",
            "Course",
            "training",
            _named("course", "name", "Course"),
            {
                "category_code": "ASC-WDS category",
                "refresher_months": "Refresher every (months)",
                "competency": "Competency assessed",
            },
            (("role_requirement", "course_id"),),
            _course_names,
        ),
        RecordKind(
            "role_requirement",
            "Required training",
            "training",
            _requirement,
            {"job_role_id": "Job role", "course_id": "Course"},
        ),
        RecordKind(
            "training_record",
            "Training record",
            "training",
            _training,
            {
                "staff_id": "Staff member",
                "course_id": "Course",
                "expires_on": "Expires on",
                "accredited": "Accredited",
                "attachment_id": "Certificate",
                "archived_at": "Archived",
            },
        ),
        RecordKind(
            "care_certificate_standard",
            "Care Certificate standard",
            "training",
            _owned(
                "care_certificate_standard",
                "staff_id",
                staff_names,
                lambda r: f"Care Certificate standard {r[0]}",
                "standard",
            ),
        ),
        RecordKind(
            "supervision_record",
            "Supervision",
            "supervision",
            _supervision,
            {
                "staff_id": "Staff member",
                "supervisor_id": "Supervisor",
                "held_on": "Held on",
                "worker_ack_name": "Acknowledged by",
                "worker_ack_on": "Acknowledged on",
                "supervisor_signed_on": "Supervisor signed on",
                "next_due": "Next due",
                "archived_at": "Archived",
            },
        ),
        RecordKind(
            "supervision_kind",
            "Kind of supervision",
            "supervision",
            _named("supervision_kind", "name", "Kind of supervision:"),
            {"interval_months": "Every (months)", "milestones_months": "Milestones (months)"},
        ),
        RecordKind(
            "supervision_role_interval",
            "Supervision interval for a role",
            "supervision",
            _role_interval,
            {"job_role_id": "Job role", "interval_months": "Every (months)"},
        ),
        RecordKind(
            "person",
            "Person supported",
            "people",
            person_names,
            {
                "nhs_number": "NHS number",
                "key_worker_id": "Key worker",
                "date_of_birth": "Date of birth",
                "archived_at": "Archived",
            },
            (
                ("care_plan", "person_id"),
                ("risk_assessment", "person_id"),
                ("goal", "person_id"),
                ("care_review", "person_id"),
            ),
        ),
        RecordKind(
            "care_plan",
            "Care plan",
            "people",
            _owned(
                "care_plan", "person_id", person_names, lambda r: f"Care plan v{r[0]}", "number"
            ),
            {"mca_needed": "Mental capacity assessment needed", "mca_outcome": "MCA outcome"},
        ),
        RecordKind(
            "risk_assessment",
            "Risk assessment",
            "people",
            _owned(
                "risk_assessment",
                "person_id",
                person_names,
                lambda r: f"Risk assessment: {readable(str(r[0]))}",
                "kind",
            ),
            {"assessed_by_id": "Assessed by"},
        ),
        RecordKind(
            "goal",
            "Goal",
            "people",
            _owned(
                "goal", "person_id", person_names, lambda r: f"Goal: {_short(r[0], 40)}", "goal"
            ),
        ),
        RecordKind(
            "care_review",
            "Care review",
            "people",
            _owned(
                "care_review",
                "person_id",
                person_names,
                lambda r: f"Care review {_date(r[0])}",
                "reviewed_on",
            ),
            {"care_plan_id": "Care plan"},
        ),
        RecordKind(
            "complaint",
            "Complaint",
            "complaints",
            _named("complaint", "reference", "Complaint"),
            {
                "staff_concerned_id": "Staff concerned",
                "investigator_id": "Investigator",
                "response_due_extended_to": "Response due (extended to)",
                "ombudsman_referred_on": "Referred to the Ombudsman on",
                "council_referred_on": "Referred to the council on",
                "archived_at": "Archived",
            },
            (("complaint_event", "complaint_id"),),
        ),
        RecordKind(
            "complaint_event",
            "Complaint timeline entry",
            "complaints",
            _complaint_event,
            {"complaint_id": "Complaint"},
        ),
        RecordKind("compliment", "Compliment", "complaints", _compliment, {"staff_id": "Staff"}),
        RecordKind(
            "letter_template",
            "Letter template",
            "complaints",
            _named("letter_template", "title", "Letter template:"),
        ),
        RecordKind(
            "audit_template",
            "Audit template",
            "audits",
            _named("audit_template", "name", "Audit template:"),
            {"current_version": "Current version"},
            (("audit_template_version", "template_id"),),
            _named("audit_template", "name"),
        ),
        RecordKind(
            "audit_template_version",
            "Audit template version",
            "audits",
            _template_version,
            {"template_id": "Audit template"},
        ),
        RecordKind(
            "audit_run",
            "Audit",
            "audits",
            _audit_run,
            {
                "template_id": "Audit template",
                "template_version_id": "Template version",
                "auditor_id": "Auditor",
                "revision_of_id": "Revision of",
                "follow_up_of_id": "Follow-up of",
                "manager_signed_by": "Signed off by",
                "manager_signed_on": "Signed off on",
                "archived_at": "Archived",
            },
            (("audit_run", "revision_of_id"),),
        ),
        RecordKind(
            "action",
            "Action",
            "actions",
            _action,
            {
                "owner_id": "Owner",
                "due_on": "Due",
                "completed_on": "Done on",
                "completion_evidence": "Evidence of completion",
                "source_ref": "Source reference",
                "audit_run_id": "Audit",
                "archived_at": "Archived",
            },
        ),
        RecordKind(
            "organisation_settings",
            "Organisation settings",
            "settings",
            _settings,
            {
                "cqc_provider_id": "CQC provider ID",
                "cqc_location_id": "CQC location ID",
                "asc_wds_workplace_id": "ASC-WDS workplace ID",
            },
        ),
        RecordKind("attachment", "Attached file", "", _named("attachment", "filename")),
        RecordKind(
            "user_account",
            "User",
            "settings",
            _user,
            {
                "username": "User name",
                "password_hash": "Password",
                "failed_attempts": "Wrong passwords in a row",
                "locked_until": "Locked until",
                "last_sign_in_at": "Last signed in",
            },
        ),
        RecordKind(
            "retention_setting",
            "Retention period",
            "settings",
            _retention,
            {"record_type": "Kind of record", "months": "Kept for (months)"},
        ),
        RecordKind(
            "retention_purge",
            "Retention purge",
            "settings",
            lambda _s, ids: {i: "Records past their retention period" for i in ids},
            {"rows_deleted": "Rows deleted"},
        ),
    )
}

AREA_TITLES: dict[str, str] = {
    "staff": "Staff",
    "training": "Training",
    "supervision": "Supervision",
    "people": "People supported",
    "complaints": "Complaints",
    "audits": "Audits",
    "actions": "Actions",
    "settings": "Settings",
}
"""The areas the change log can be filtered by, in the order the app lists them."""

CHANGE_AREAS: dict[str, frozenset[str]] = {
    "staff_member": frozenset({"staff"}),
    "recruitment_check": frozenset({"staff", "checks"}),
    "job_role": frozenset({"job_roles", "staff"}),
    "role_requirement": frozenset({"training", "job_roles"}),
    "organisation_settings": frozenset({"settings"}),
    "action": frozenset({"actions"}),
}
"""For a change seen in the log, which pages' areas (``provider_desk.changes``) it touches; tables
not listed touch their kind's area."""


def kind_of(table: str) -> RecordKind:
    """The kind of record a table holds (an unknown table gets a readable fallback)."""
    found = KINDS.get(table)
    if found is None:
        return RecordKind(table, readable(table), "", lambda _s, _ids: {})
    return found


def change_areas(tables: Iterable[str]) -> frozenset[str]:
    """The areas (``provider_desk.changes`` keys) changes to ``tables`` touch."""
    out: set[str] = set()
    for table in tables:
        out |= CHANGE_AREAS.get(table) or {kind_of(table).area} - {""}
    return frozenset(out)


def tables_of_area(area: str) -> tuple[str, ...]:
    """The tables whose records belong to ``area``."""
    return tuple(k.table for k in KINDS.values() if k.area == area)


def describe(
    s: Session, refs: Iterable[tuple[str, int]], *, short: bool = False
) -> dict[tuple[str, int], str]:
    """Each (table, row id) described in words; a record no longer held is named by its kind
    and number ("Training record 123 (no longer held)"). With ``short``, as another record's
    field names it."""
    wanted: dict[str, set[int]] = {}
    for table, row_id in refs:
        wanted.setdefault(table, set()).add(row_id)
    out: dict[tuple[str, int], str] = {}
    for table, ids in wanted.items():
        kind = kind_of(table)
        found = (kind.name if short else kind.describe)(s, sorted(ids))
        gone = " (no longer held)" if table in KINDS else ""  # else: a table we cannot read
        for row_id in ids:
            out[(table, row_id)] = found.get(row_id) or f"{kind.title} {row_id}{gone}"
    return out


def part_ids(s: Session, table: str, row_id: int) -> dict[str, set[int]]:
    """The record itself and its own parts, {table: ids} (see ``RecordKind.parts``): the parts
    held now, and parts since deleted (found in their deletion's entry in the change log)."""
    log = _table("change_log")
    out: dict[str, set[int]] = {table: {row_id}}
    for part_table, column in kind_of(table).parts:
        t = _table(part_table)
        ids = {int(i) for i in s.scalars(select(t.c.id).where(t.c[column] == row_id))}
        deleted = s.execute(
            select(log.c.row_id, log.c.changes).where(
                log.c.table_name == part_table, log.c.action == "delete"
            )
        )
        for part_id, changes in deleted:
            try:
                owner = json.loads(changes).get(column, [None])[0]
            except (ValueError, AttributeError, IndexError):
                continue
            if owner == row_id:
                ids.add(int(part_id))
        out.setdefault(part_table, set()).update(ids)
    return out


def foreign_keys() -> dict[tuple[str, str], str]:
    """(table, column) -> the table that column names a row of (``staff_id`` -> staff_member)."""
    out: dict[tuple[str, str], str] = {}
    for t in Base.metadata.tables.values():
        for column in t.columns:
            for fk in column.foreign_keys:
                out[(t.name, column.name)] = fk.column.table.name
    return out
