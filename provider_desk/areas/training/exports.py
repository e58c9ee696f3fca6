"""Training out: every completion (CSV/XLSX), the ASC-WDS training bulk-upload file, and the
training matrix as a coloured spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.training.queries import TrainingMatrix, training_records
from provider_desk.areas.training.rules import training_status
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.rules.due import LEVEL_STYLE, Level, mark, word
from provider_desk.settings.queries import get_settings
from provider_desk.tabular.write import atomic_path, write_table

ASC_WDS_TRAINING_HEADER = (
    "LOCALESTID",
    "UNIQUEWORKERID",
    "CATEGORY",
    "TRAININGNAME",
    "ACCREDITED",
    "WHODELIVERED",
    "PROVIDERNAME",
    "HOWDELIVERED",
    "VALIDITY",
    "DATECOMPLETED",
    "EXPIRYDATE",
    "NOTES",
)
_ACCREDITED = {"yes": "1", "no": "0", "don't know": "999"}
_HOW = {"face to face": "1", "e-learning": "2"}

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


@dataclass
class AscWdsExport:
    """What went into the ASC-WDS file, and what could not, with why."""

    written: int = 0
    problems: list[str] = field(default_factory=list)


def _validity(months: int | None) -> str:
    return "none" if months is None else str(months)


def export_asc_wds_training(db: Database, path: Path) -> AscWdsExport:
    """Write the ASC-WDS training bulk-upload file (shared/reference 3.5.1) for staff in post.

    Staff without an ASC-WDS worker id and courses without a category are listed in
    ``problems``, never silently dropped.

    Raises:
        ValidationError: no ASC-WDS workplace id in the settings, or not a .csv file name.
    """
    if path.suffix.lower() != ".csv":
        raise ValidationError.single("out", "The ASC-WDS training file must be a .csv file.")
    workplace = get_settings(db).asc_wds_workplace_id
    if not workplace:
        raise ValidationError.single(
            "asc_wds_workplace_id",
            "Set your ASC-WDS workplace id (LOCALESTID) in Settings > Organisation settings first.",
        )
    in_post = {s.id for s in list_staff(db)}
    result = AscWdsExport()
    no_worker: dict[str, int] = {}
    no_category: dict[str, int] = {}
    rows = []
    for r in training_records(db):
        if r.staff_id not in in_post:
            continue
        if not r.asc_wds_worker_id:
            no_worker[r.staff_name] = no_worker.get(r.staff_name, 0) + 1
            continue
        if r.category_code is None:
            no_category[r.course] = no_category.get(r.course, 0) + 1
            continue
        rows.append(
            (
                workplace,
                r.asc_wds_worker_id,
                str(r.category_code),
                r.course[:120],
                _ACCREDITED.get(r.accredited, ""),
                "",
                "",
                _HOW.get(r.delivery, ""),
                _validity(r.refresher_months),
                r.completed_on.strftime("%d/%m/%Y"),
                r.expires_on.strftime("%d/%m/%Y") if r.expires_on else "",
                " ".join(r.notes.split())[:1000],
            )
        )
    for name, n in sorted(no_worker.items()):
        result.problems.append(
            f"{name} has no ASC-WDS worker id: {n} training record(s) left "
            "out. Add the id on their staff record."
        )
    for course, n in sorted(no_category.items()):
        result.problems.append(
            f"'{course}' has no ASC-WDS training category: {n} record(s) left "
            "out. Set a category in Courses (Care Certificate is recorded on "
            "the worker in ASC-WDS, not as training)."
        )
    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as f:
        # No byte-order mark: ASC-WDS compares the header text exactly.
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(ASC_WDS_TRAINING_HEADER)
        writer.writerows(rows)
    result.written = len(rows)
    return result


def export_matrix_xlsx(matrix: TrainingMatrix, path: Path, provider_name: str) -> Path:
    """The matrix as a workbook: one row per person, expiry dates in cells coloured by status,
    with the status also written so it reads without colour; frozen header and name column."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise ValidationError.single("out", "Choose an .xlsx file name for the matrix.")
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Training matrix"
    fixed = ["Name", "Job role", "Team", "% compliant"]
    ws.append(fixed + [c.name for c in matrix.courses])
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
        ws.append(values)
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
    legend.append([f"{provider_name} — training matrix on {matrix.today:%d/%m/%Y}"])
    legend.append([f"Due soon means expiring within {matrix.due_soon_days} days."])
    for level in Level:
        legend.append([word(level, AREA).capitalize(), mark(level, AREA)])
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
    result = export_asc_wds_training(db, out)
    return [f"Wrote {result.written} training records to {out}."] + [
        f"  not in the file: {problem}" for problem in result.problems
    ]


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
