"""Import an existing supervision log: date, worker, supervisor, kind, notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select

from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.imports.people import PERSON_FIELDS, PeopleIndex
from provider_desk.imports.report import ImportReport, Planned, Skipped
from provider_desk.imports.tabular import FieldSpec, cell_date, find_table, normalise, read_sheet
from provider_desk.models import SupervisionKind, SupervisionRecord
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.dates import DateParseError, format_date
from provider_desk.services.supervision import OUTCOMES, SupervisionInput, record_supervision_in

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


def import_supervisions(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import sessions from a log. Rows with problems are reported; the rest go in together.
    The same worker, kind and date already recorded is never added twice.

    Raises:
        ValidationError: unreadable file or no recognisable header.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    day = today
    table = find_table(read_sheet(path), FIELDS, mapping)
    if not {"full_name", "last_name", "asc_wds_worker_id"} & table.columns.keys():
        raise ValidationError.single(
            "file", "No column naming the worker (e.g. 'Worker' or 'Name')."
        )
    report = ImportReport(dry_run=dry_run)
    report.columns = {
        str(table.sheet.rows[table.header_row][c]): f for f, c in table.columns.items()
    }
    report.ignored_columns = list(table.unmapped)
    with db.session(dry_run=dry_run) as s:
        people = PeopleIndex(s)
        kinds = {k.kind: k for k in s.scalars(select(SupervisionKind))}
        existing = {
            (sid, kind, when)
            for sid, kind, when in s.execute(
                select(
                    SupervisionRecord.staff_id, SupervisionRecord.kind, SupervisionRecord.held_on
                ).where(SupervisionRecord.archived_at.is_(None))
            )
        }
        total = table.data_row_count()
        for n, (row, values) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing supervision"):
                raise Cancelled()
            where = table.place(row)
            worker, written, why = people.find(values)
            if worker is None:
                report.skipped.append(Skipped(where, why))
                continue
            boss, _, boss_why = people.find({"full_name": values.get("supervisor")})
            if boss is None:
                report.skipped.append(
                    Skipped(table.place(row, "supervisor"), f"Supervisor: {boss_why}")
                )
                continue
            kind = _kind(values.get("kind"))
            if kind is None:
                report.skipped.append(
                    Skipped(
                        table.place(row, "kind"),
                        f"'{values.get('kind')}' is not a kind of session "
                        "(supervision, spot check, appraisal, probation, "
                        "competency).",
                    )
                )
                continue
            try:
                held = cell_date(values.get("held_on"))
            except DateParseError as exc:
                report.skipped.append(Skipped(table.place(row, "held_on"), str(exc)))
                continue
            if held is None:
                report.skipped.append(Skipped(table.place(row, "held_on"), "No date."))
                continue
            label = f"{written}: {kinds[kind].name.lower()}, {format_date(held)}"
            if (worker, kind, held) in existing:
                report.unchanged += 1
                continue
            outcome = _outcome(values.get("outcome"))
            if values.get("outcome") and not outcome:
                report.skipped.append(
                    Skipped(
                        table.place(row, "outcome"),
                        f"Outcome '{values.get('outcome')}' is not one of: {', '.join(OUTCOMES)}.",
                    )
                )
                continue
            notes = str(values.get("notes") or "").strip()
            first_section = kinds[kind].sections.splitlines()[0] if kinds[kind].sections else ""
            data = SupervisionInput(
                worker,
                boss,
                kind,
                held,
                location=str(values.get("location") or "")[:200],
                sections=((first_section or "Notes", notes),) if notes else (),
                outcome=outcome,
            )
            try:
                with s.begin_nested():
                    record_supervision_in(s, data, today=day)
            except ValidationError as exc:
                report.skipped.append(Skipped(where, exc.message))
                continue
            existing.add((worker, kind, held))
            report.imported += 1
            report.planned.append(Planned(where, "new", label))
    return report


def _kind(value: Any) -> str | None:
    if value is None or not str(value).strip():
        return "supervision"
    return KIND_WORDS.get(normalise(value))


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
