"""Training out: every completion (CSV/XLSX), the ASC-WDS training bulk-upload file, and the
training matrix as a coloured spreadsheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.training import asc_wds as asc
from provider_desk.areas.training.queries import (
    TrainingMatrix,
    TrainingRecordRow,
    asc_wds_categories,
    training_records,
)
from provider_desk.areas.training.rules import training_status
from provider_desk.auth.roles import Actor
from provider_desk.db.session import Database
from provider_desk.errors import Problem, ValidationError
from provider_desk.progress import Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level, mark, word
from provider_desk.rules.validators import EARLIEST_DATE, utf16_length
from provider_desk.settings.queries import get_settings
from provider_desk.tabular.write import (
    FORMULA_STARTS,
    append_row,
    atomic_path,
    csv_writer,
    defuse,
    new_workbook,
    write_table,
)

ASC_WDS_TRAINING_HEADER = asc.HEADER
ASC_WDS_EXACT_COLUMNS = frozenset(asc.HEADER.index(c) for c in ("LOCALESTID", "UNIQUEWORKERID"))
"""Identifiers that must match the upload's workplace and staff files character for character:
written exactly, never with an apostrophe in front (see ``csv_writer``)."""

AREA = "training"  # whose words the levels take: overdue reads "expired"


def _fill(level: Level) -> str:
    """The level's background as openpyxl writes it: 'DFF0E0'."""
    return LEVEL_STYLE[level].fill.lstrip("#").upper()


def export_training(db: Database, path: Path, today: dt.date) -> int:
    """One row per completion: name, ASC-WDS worker id, course, dates and status."""
    window = get_settings(db).due_soon_days
    rows = [
        (
            r.staff_name,
            r.asc_wds_worker_id,
            r.course,
            r.completed_on,
            r.expires_on,
            word(
                training_status(
                    required=True,
                    completed_on=r.completed_on,
                    expires_on=r.expires_on,
                    today=today,
                    due_soon_days=window,
                ),
                AREA,
            ),
            r.provider,
            r.delivery,
            r.notes,
        )
        for r in training_records(db)
    ]
    write_table(
        path,
        (
            "staff_name",
            "asc_wds_worker_id",
            "course",
            "completed_on",
            "expires_on",
            "status",
            "provider",
            "delivery",
            "notes",
        ),
        rows,
        sheet_title="Training",
    )
    return len(rows)


ASC_WDS_UPLOAD_NOTE = (
    "ASC-WDS takes this file only together with your workplace file and your staff file, in "
    "the same bulk upload: each training row must match a worker in that staff file. An upload "
    "replaces the training ASC-WDS holds for the workers in it, so training recorded in ASC-WDS "
    "but not here is removed for those workers: download your current files from ASC-WDS first."
)
"""Said before the file is saved (the GUI) and after it is written (the CLI)."""


@dataclass
class AscWdsExport:
    """What went into the ASC-WDS file; what could not (``problems``) and what went in changed
    or incomplete (``warnings``), each with why."""

    written: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _name_for(r: TrainingRecordRow) -> str:
    return f"{r.staff_name}, {r.course} completed {format_date(r.completed_on)}"


def export_asc_wds_training(db: Database, path: Path, today: dt.date) -> AscWdsExport:
    """Write the ASC-WDS training bulk-upload file for staff in post, by ASC-WDS's own rules
    (:mod:`provider_desk.areas.training.asc_wds`; every row is checked with them before it is
    written).

    Records that cannot go in (no ASC-WDS worker id, no category, an impossible date, a row ASC-WDS
    would refuse) are listed in ``problems``; what goes in changed (notes on one line or shortened
    to ASC-WDS's limit, a name shortened, a delivery method or provider ASC-WDS has no code for)
    in ``warnings``. ``today`` is ASC-WDS's "now" for completion dates.

    Raises:
        ValidationError: before anything is written, every problem at once (one Problem each)
            when the file cannot be written (not a .csv name; the workplace reference not set or
            too long) or nothing could go in it. No file is written then.
    """
    blocking: list[Problem] = []
    if path.suffix.lower() != ".csv":
        blocking.append(Problem("out", "The ASC-WDS training file must be a .csv file."))
    settings = get_settings(db)
    workplace = settings.asc_wds_workplace_id.strip()
    result = AscWdsExport()
    if not workplace:
        blocking.append(
            Problem(
                "asc_wds_workplace_id",
                "Set your ASC-WDS workplace reference (LOCALESTID: the reference in the "
                "workplace file of an ASC-WDS bulk upload, not the 8-character Workplace ID on "
                "the ASC-WDS home page) in Settings > Organisation settings.",
            )
        )
    elif utf16_length(workplace) > asc.LOCALESTID_MAX:
        blocking.append(
            Problem(
                "asc_wds_workplace_id",
                f"Your ASC-WDS workplace reference is longer than {asc.LOCALESTID_MAX} "
                "characters as ASC-WDS counts them: check it in Settings > Organisation settings.",
            )
        )
    elif asc.looks_like_workplace_id(workplace):
        result.warnings.append(
            f"The workplace reference '{workplace}' looks like the 8-character Workplace ID on "
            "the ASC-WDS home page. Bulk upload needs the workplace reference (LOCALESTID, in "
            "the workplace file you download from ASC-WDS); with the wrong one every row fails."
        )
    categories = set(asc_wds_categories())
    in_post = {s.id for s in list_staff(db)}
    records = [r for r in training_records(db) if r.staff_id in in_post]
    no_worker: dict[str, int] = {}
    long_worker: dict[str, int] = {}
    no_category: dict[str, int] = {}
    bad_category: dict[str, tuple[int, int]] = {}
    unlisted: dict[str, int] = {}
    blended: dict[str, int] = {}
    left_out: list[Problem] = []
    rows: list[tuple[str, ...]] = []
    defused: list[str] = []
    formula_ids: set[str] = set()
    if workplace.startswith(FORMULA_STARTS):
        formula_ids.add(f"the workplace reference '{workplace}'")
    for r in records:
        if not r.asc_wds_worker_id:
            no_worker[r.staff_name] = no_worker.get(r.staff_name, 0) + 1
            continue
        if utf16_length(r.asc_wds_worker_id) > asc.UNIQUEWORKERID_MAX:
            long_worker[r.staff_name] = long_worker.get(r.staff_name, 0) + 1
            continue
        if r.asc_wds_worker_id.startswith(FORMULA_STARTS):
            formula_ids.add(f"{r.staff_name}'s worker id '{r.asc_wds_worker_id}'")
        if r.category_code is None:
            no_category[r.course] = no_category.get(r.course, 0) + 1
            continue
        if r.category_code not in categories:
            n = bad_category.get(r.course, (r.category_code, 0))[1]
            bad_category[r.course] = (r.category_code, n + 1)
            continue
        if r.completed_on < EARLIEST_DATE:
            left_out.append(
                Problem(
                    "completed_on",
                    f"{_name_for(r)}: the completion date is before {EARLIEST_DATE.year}, so it "
                    "was left out. Correct the date on the training record.",
                )
            )
            continue
        name = defuse(r.course)
        if name != r.course:
            defused.append(f"{_name_for(r)}: the course name")
        if utf16_length(name) > asc.TRAININGNAME_MAX:
            name = asc.fit(name, asc.TRAININGNAME_MAX)
            result.warnings.append(
                f"{_name_for(r)}: the course name is {utf16_length(r.course):,} characters as "
                f"ASC-WDS counts them (emoji count as two); TRAININGNAME takes "
                f"{asc.TRAININGNAME_MAX}, so only '{name}' went in."
            )
        notes = " ".join(r.notes.split())
        if notes != defuse(notes):
            notes = defuse(notes)
            defused.append(f"{_name_for(r)}: the notes")
        if any(ch in r.notes for ch in "\r\n\u2028\u2029"):
            result.warnings.append(
                f"{_name_for(r)}: the notes' line breaks were written as spaces (a bulk-upload "
                "row is one line)."
            )
        if utf16_length(notes) > asc.NOTES_MAX:
            kept = asc.fit(notes, asc.NOTES_MAX)
            result.warnings.append(
                f"{_name_for(r)}: the notes are {utf16_length(notes):,} characters as ASC-WDS "
                f"counts them (emoji count as two); NOTES takes {asc.NOTES_MAX:,}, so the last "
                f"{len(notes) - len(kept):,} character(s) are not in the file (from "
                f"'{notes[len(kept) :][:30]}')."
            )
            notes = kept
        provider = r.provider.strip()
        who = provider_code = ""
        if provider:
            if asc.is_in_house(provider, settings.provider_name):
                who = asc.IN_HOUSE
            else:
                who = asc.EXTERNAL
                code = asc.provider_code(provider)
                if code is None:
                    unlisted[provider] = unlisted.get(provider, 0) + 1
                    provider_code = asc.OTHER_PROVIDER
                else:
                    provider_code = str(code)
        how = asc.HOW_DELIVERED.get(r.delivery, "")
        if r.delivery and not how:
            blended[r.delivery] = blended.get(r.delivery, 0) + 1
        row = (
            workplace,
            r.asc_wds_worker_id,
            str(r.category_code),
            name,
            asc.ACCREDITED.get(r.accredited, ""),
            who,
            provider_code,
            how,
            asc.validity_for(r.completed_on, r.expires_on, r.refresher_months),
            asc.format_date(r.completed_on),
            asc.format_date(r.expires_on) if r.expires_on else "",
            notes,
        )
        findings = asc.check_row(row, categories=categories, today=today)
        errors = [f.message for f in findings if f.error and f.column != "LOCALESTID"]
        if errors:
            left_out.append(
                Problem(
                    "records",
                    f"{_name_for(r)}: ASC-WDS would refuse it ({'; '.join(errors)}), so it was "
                    "left out.",
                )
            )
            continue
        result.warnings.extend(
            f"{_name_for(r)}: ASC-WDS will warn: {f.message}." for f in findings if not f.error
        )
        rows.append(row)
    for who_name, n in sorted(no_worker.items()):
        left_out.append(
            Problem(
                "asc_wds_worker_id",
                f"{who_name} has no ASC-WDS worker id: {_count(n, 'training record')} left out. "
                "Add the id on their staff record (the UNIQUEWORKERID of your ASC-WDS staff file).",
            )
        )
    for who_name, n in sorted(long_worker.items()):
        left_out.append(
            Problem(
                "asc_wds_worker_id",
                f"{who_name}'s ASC-WDS worker id is longer than {asc.UNIQUEWORKERID_MAX} "
                f"characters as ASC-WDS counts them: {_count(n, 'training record')} left out.",
            )
        )
    for course, n in sorted(no_category.items()):
        left_out.append(
            Problem(
                "category_code",
                f"'{course}' has no ASC-WDS training category: {_count(n, 'record')} left out. "
                "Set a category in Courses (Care Certificate is recorded on the worker in "
                "ASC-WDS, not as training).",
            )
        )
    for course, (code, n) in sorted(bad_category.items()):
        left_out.append(
            Problem(
                "category_code",
                f"'{course}' has ASC-WDS category {code}, which ASC-WDS does not have: "
                f"{_count(n, 'record')} left out. Choose its category again in Courses.",
            )
        )
    for provider, n in sorted(unlisted.items()):
        result.warnings.append(
            f"'{provider}' ({_count(n, 'record')}) is not in ASC-WDS's list of training "
            f"providers: written as an external provider, PROVIDERNAME {asc.OTHER_PROVIDER} "
            "(other). A bulk-upload file has no place for the provider's name."
        )
    for delivery, n in sorted(blended.items()):
        result.warnings.append(
            f"{_count(n, 'record')} delivered '{delivery}': ASC-WDS has codes only for face "
            "to face and e-learning, so HOWDELIVERED is blank for them."
        )
    result.warnings += [
        f"{what} begins with a character Excel would run as a formula (=, +, -, @ or a tab): it "
        "was written with an apostrophe in front, which ASC-WDS keeps as part of the text."
        for what in defused
    ]
    result.warnings += [
        f"{what} begins with =, +, -, @ or a tab: it is written exactly (it must match your "
        "ASC-WDS files), so do not open this file in Excel, which could run it as a formula; "
        "upload it as it is."
        for what in sorted(formula_ids)
    ]
    if not rows and not blocking:
        blocking.append(
            Problem(
                "records",
                "No training record of staff in post can go into the ASC-WDS file, so none was "
                "written."
                if records
                else "No training is recorded for staff in post: there is nothing to send to "
                "ASC-WDS, so no file was written.",
            )
        )
    if blocking:
        raise ValidationError(blocking + left_out)
    result.problems = [p.message for p in left_out]
    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as f:
        # No byte-order mark: ASC-WDS compares the header text exactly. The workplace and worker
        # ids must match the other files of the upload character for character, so they are
        # written exactly (and warned about above); the text columns are defused like any export.
        writer = csv_writer(f, exact_columns=ASC_WDS_EXACT_COLUMNS, lineterminator="\r\n")
        writer.writerow(asc.HEADER)
        writer.writerows(rows)
    result.written = len(rows)
    return result


def export_matrix_xlsx(matrix: TrainingMatrix, path: Path, provider_name: str) -> Path:
    """The matrix as a workbook: one row per person, expiry dates in cells coloured by status,
    with the status also written so it reads without colour; frozen header and name column."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise ValidationError.single("out", "Choose an .xlsx file name for the matrix.")
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Training matrix"
    fixed = ["Name", "Job role", "Team", "% compliant"]
    append_row(ws, fixed + [c.name for c in matrix.courses])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", text_rotation=0)
    fills = {lv: PatternFill("solid", fgColor=_fill(lv)) for lv in Level}
    for i, person in enumerate(matrix.people):
        score = matrix.person_compliance(i).percent
        values: list[object] = [
            person.sort_name,
            person.job_role,
            person.team,
            None if score is None else round(score / 100, 3),
        ]
        for c in matrix.cells[i]:
            if c.status in (Level.MISSING, Level.NOT_REQUIRED):
                values.append(mark(c.status, AREA))
            elif c.expires_on is None:
                values.append("No expiry")
            else:
                values.append(c.expires_on)
        append_row(ws, values)
        row = i + 2
        ws.cell(row, 4).number_format = "0%"
        for j, c in enumerate(matrix.cells[i]):
            cell = ws.cell(row, len(fixed) + 1 + j)
            cell.fill = fills[c.status]
            cell.alignment = Alignment(horizontal="center")
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
                cell.comment = Comment(
                    f"{c.status.value.capitalize()}: completed {c.completed_on:%d/%m/%Y}",
                    "Provider Desk",
                )
    total_row = len(matrix.people) + 2
    ws.cell(total_row, 1, "% compliant").font = bold
    overall = matrix.overall().percent
    ws.cell(total_row, 4, None if overall is None else round(overall / 100, 3)).number_format = "0%"
    for j in range(len(matrix.courses)):
        pct = matrix.course_compliance(j).percent
        cell = ws.cell(total_row, len(fixed) + 1 + j, None if pct is None else round(pct / 100, 3))
        cell.number_format = "0%"
        cell.font = bold
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 11
    for j in range(len(matrix.courses)):
        ws.column_dimensions[get_column_letter(len(fixed) + 1 + j)].width = 13
    ws.row_dimensions[1].height = 48
    legend = wb.create_sheet("Key")
    append_row(legend, [f"{provider_name} — training matrix on {matrix.today:%d/%m/%Y}"])
    append_row(legend, [f"Due soon means expiring within {matrix.due_soon_days} days."])
    for level in Level:
        append_row(legend, [word(level, AREA).capitalize(), mark(level, AREA)])
        legend.cell(legend.max_row, 1).fill = PatternFill("solid", fgColor=_fill(level))
    legend.column_dimensions["A"].width = 18
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def training_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export training`."""
    return [f"Wrote {export_training(db, out, today)} training records to {out}."]


def asc_wds_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export asc-wds-training`: what went in, and what could not and why."""
    result = export_asc_wds_training(db, out, today)
    return (
        [f"Wrote {result.written} training records to {out}."]
        + [f"  not in the file: {problem}" for problem in result.problems]
        + [f"  warning: {warning}" for warning in result.warnings]
        + [ASC_WDS_UPLOAD_NOTE]
    )


def matrix_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export training-matrix` (.xlsx, or .pdf for the office wall)."""
    from provider_desk.areas.training.queries import training_matrix

    matrix = training_matrix(db, today)
    name = get_settings(db).provider_name or "Provider Desk"
    if out.suffix.lower() == ".pdf":
        from provider_desk.areas.training.matrix_pdf import export_matrix_pdf

        export_matrix_pdf(matrix, out, name)
    else:
        export_matrix_xlsx(matrix, out, name)
    return [
        f"Wrote the training matrix ({len(matrix.people)} staff, {len(matrix.courses)} "
        f"courses) to {out}."
    ]


def export_matrix_file(
    url: str,
    today: dt.date,
    path: Path,
    provider_name: str,
    progress: Progress = no_progress,
    *,
    actor: Actor | None = None,
) -> Path:
    """Read the matrix from the database at ``url`` (as ``actor``, the signed-in user) and write
    it to ``path`` (.pdf, else .xlsx): what the Training page runs in a process of its own (see
    :mod:`provider_desk.processes`), so it takes plain values and opens its own connection,
    which it closes.

    Raises:
        Cancelled: ``progress`` asked to stop; no file is left behind.
    """
    from provider_desk.areas.training.queries import training_matrix
    from provider_desk.progress import Cancelled

    if not progress(0, 1, "Reading the training matrix…"):
        raise Cancelled("Cancelled: nothing was written.")
    db = Database(url, actor=actor)
    try:
        matrix = training_matrix(db, today)
    finally:
        db.dispose()
    if path.suffix.lower() == ".pdf":
        from provider_desk.areas.training.matrix_pdf import export_matrix_pdf

        return export_matrix_pdf(matrix, path, provider_name, progress)
    return export_matrix_xlsx(matrix, path, provider_name)
