"""Import an existing supervision log: date, worker, supervisor, kind, notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.index import PERSON_FIELDS, PeopleIndex
from provider_desk.areas.supervision.models import SupervisionKind, SupervisionRecord
from provider_desk.areas.supervision.services import (
    OUTCOMES,
    SupervisionInput,
    record_supervision_in,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled, Progress, no_progress
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
from provider_desk.tabular.report import ImportReport

FIELDS = (
    *PERSON_FIELDS,
    FieldSpec(
        "held_on",
        "Date",
        ("date held", "session date", "held on", "date of session", "supervision date", "when"),
        required=True,
    ),
    FieldSpec(
        "supervisor",
        "Supervisor",
        ("supervised by", "led by", "manager", "observer", "assessor", "conducted by"),
        required=True,
    ),
    FieldSpec("kind", "Kind", ("type", "session type", "supervision type", "category")),
    FieldSpec("notes", "Notes", ("comments", "summary", "discussion", "details")),
    FieldSpec("outcome", "Outcome", ("result",)),
    FieldSpec("location", "Location", ("where", "place", "venue")),
)
KIND_WORDS = {
    "supervision": "supervision",
    "onetoone": "supervision",
    "1to1": "supervision",
    "11": "supervision",
    "121": "supervision",
    "formalsupervision": "supervision",
    "spotcheck": "spot check",
    "observation": "spot check",
    "observedpractice": "spot check",
    "fieldobservation": "spot check",
    "spotchecks": "spot check",
    "appraisal": "appraisal",
    "annualappraisal": "appraisal",
    "probation": "probation",
    "probationreview": "probation",
    "competency": "competency",
    "medicationcompetency": "competency",
    "medscompetency": "competency",
    "competencyassessment": "competency",
}


def supervision_kind(
    s: Session, today: dt.date, names: Mapping[int, str], kinds: Mapping[str, SupervisionKind]
) -> RecordKind[SupervisionRecord]:
    """Sessions are only ever added: the same worker, kind and date already recorded is a
    duplicate (a session the worker may have signed is not rewritten from a spreadsheet), unless
    the file names another supervisor, which is a conflict."""

    def describe_values(staff_id: Any, kind: Any, held: Any, boss: Any) -> str:
        what = kinds[kind].name.lower() if kind in kinds else str(kind)
        return f"{names.get(staff_id, '?')}: {what}, {show(held)}, led by {names.get(boss, '?')}"

    def save(
        s: Session, saved: SupervisionRecord | None, values: dict[str, Any]
    ) -> SupervisionRecord:
        record_id = record_supervision_in(s, SupervisionInput(**values), today=today)
        record = s.get(SupervisionRecord, record_id)
        assert record is not None
        return record

    return RecordKind(
        noun="session",
        model=SupervisionRecord,
        fields=(
            Field("staff_id", "Worker", lambda v: show(names.get(v))),
            Field("kind", "Kind"),
            Field("held_on", "Date"),
            Field("supervisor_id", "Supervisor", lambda v: show(names.get(v))),
        ),
        keys=(("staff_id", "kind", "held_on"),),
        identity=("supervisor_id",),
        describe=lambda r: describe_values(r.staff_id, r.kind, r.held_on, r.supervisor_id),
        describe_row=lambda v: describe_values(
            v.get("staff_id"), v.get("kind"), v.get("held_on"), v.get("supervisor_id")
        ),
        save=save,
        append_only=True,
        live_only=True,
    )


def import_supervisions(
    db: Database,
    path: Path,
    *,
    today: dt.date,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    confirmed: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import sessions from a log. Rows with problems are reported; the rest go in together.
    The same worker, kind and date already recorded is never added twice nor changed; if the
    file names another supervisor for it, that row is a conflict.

    Raises:
        ValidationError: unreadable file or no recognisable header, or the records changed since
            the preview whose plan digest is ``confirmed``.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    table = read_table(path, FIELDS, mapping)
    if not {"full_name", "last_name", "asc_wds_worker_id"} & table.columns.keys():
        raise ValidationError.single(
            COLUMNS,
            "No column naming the worker (e.g. 'Worker' or 'Name'): rename it in the file or "
            "map a column to it.",
        )
    report = start_report(table, dry_run=dry_run)
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        people = PeopleIndex(s)
        kinds = {k.kind: k for k in s.scalars(select(SupervisionKind))}
        record_kind = SavedRecords(s, supervision_kind(s, today, people.names, kinds))
        total = table.data_row_count()
        for n, (index, cells) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing supervision"):
                raise Cancelled()
            row = Row(table, index, cells)
            worker = people.find(cells)
            if worker.conflict_with:
                report.conflicts.append(worker.conflict(row.where))
                continue
            try:
                values = _values(row, worker.staff_id, worker.why, people, kinds)
            except ValidationError as exc:
                skip(report, row, exc)
                continue
            merge(record_kind, row, values, report, {"supervisor_id": "supervisor"})
    return report


def _values(
    row: Row,
    worker: int | None,
    why: str,
    people: PeopleIndex,
    kinds: Mapping[str, SupervisionKind],
) -> dict[str, Any]:
    """A session from one row, read and checked cell by cell."""
    if worker is None:
        raise ValidationError.single("full_name", why)
    boss = people.find({"full_name": row.values.get("supervisor")})
    if boss.staff_id is None:
        raise ValidationError.single("supervisor", f"Supervisor: {boss.why}")
    kind = _kind(row.values.get("kind"), kinds)
    if kind is None:
        names = ", ".join(k.name for k in kinds.values())
        raise ValidationError.single(
            "kind", f"'{row.text('kind')}' is not a kind of session ({names})."
        )
    held = row.date("held_on", "Date")
    if held is None:
        raise ValidationError.single("held_on", "No date.")
    outcome = _outcome(row.values.get("outcome"))
    if row.given("outcome") and not outcome:
        raise ValidationError.single(
            "outcome", f"Outcome '{row.text('outcome')}' is not one of: {', '.join(OUTCOMES)}."
        )
    notes = row.text("notes")
    first_section = kinds[kind].sections.splitlines()[0] if kinds[kind].sections else ""
    return {
        "staff_id": worker,
        "supervisor_id": boss.staff_id,
        "kind": kind,
        "held_on": held,
        "location": row.text("location"),
        "sections": ((first_section or "Notes", notes),) if notes else (),
        "outcome": outcome,
    }


def _kind(value: Any, kinds: Mapping[str, SupervisionKind]) -> str | None:
    """The kind a cell names: its key or its name as the app (and our export) writes it
    ("One-to-one supervision"), or one of the words logs use ("1:1", "observation")."""
    if value is None or not str(value).strip():
        return "supervision"
    text = normalise(value)
    for key, kind in kinds.items():
        if text in (normalise(key), normalise(kind.name)):
            return key
    found = KIND_WORDS.get(text)
    return found if found in kinds else None


def _outcome(value: Any) -> str:
    text = normalise(value)
    for o in OUTCOMES:
        if text == normalise(o):
            return o
    return {
        "pass": "satisfactory",
        "passed": "satisfactory",
        "competent": "satisfactory",
        "ok": "satisfactory",
        "fail": "retraining needed",
        "failed": "retraining needed",
        "notyetcompetent": "retraining needed",
    }.get(text, "")
