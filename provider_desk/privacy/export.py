"""Write a subject access export: a PDF of everything held, and a ZIP of the records (one CSV or
XLSX per kind of record, through the shared tabular writer), their stored documents, the PDF and
an index. Each export is written to the change log: who exported whose data, and when."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provider_desk.areas.staff.queries import attachment_bytes_in
from provider_desk.db.changelog import append_entries
from provider_desk.db.session import Database
from provider_desk.errors import Problem, ValidationError
from provider_desk.pdf.render import Renderer, printed_on
from provider_desk.privacy.subject_access import (
    COLLECTORS,
    PERSON,
    STAFF,
    Section,
    SubjectAccess,
    find_person_in,
    find_staff_in,
)
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.tabular.write import atomic_path, write_table

CONFIDENTIAL = (
    "Confidential: a subject access response. Give it only to the person it is about or "
    "their authorised representative."
)


def _cell(value: Any) -> str:
    """A value as the PDF shows it: dates '2 Dec 2026', times '2 Dec 2026 14:05 UTC'."""
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC) if value.tzinfo else value
        return f"{format_date(utc.date())} {utc:%H:%M}"
    if isinstance(value, dt.date):
        return format_date(value)
    if value is None:
        return ""
    # Indented lines (care plan sections) keep their indent: ReportLab folds plain spaces.
    return "\n".join(
        "\u00a0" * 2 * (len(line) - len(line.lstrip(" "))) + line.lstrip(" ")
        for line in str(value).split("\n")
    )


def _naive(row: Sequence[Any]) -> list[Any]:
    """Timestamps in UTC without a zone (Excel has no zones; the column names say UTC)."""
    return [
        v.astimezone(dt.UTC).replace(tzinfo=None)
        if isinstance(v, dt.datetime) and v.tzinfo is not None
        else v
        for v in row
    ]


class SubjectAccessPdf(Renderer):
    """Everything held about one subject: a summary, then one section per area and kind of
    record, each record as a list of its fields; the change log as a table."""

    subject = "Subject access response (UK GDPR Article 15)"
    contents = True

    def __init__(self, data: SubjectAccess, created: dt.datetime | None = None) -> None:
        super().__init__(
            author=data.provider_name or "Provider Desk",
            footer=f"Subject access: {data.label} — printed {printed_on(data.today)}",
            confidential=CONFIDENTIAL,
            created=created,
        )
        self.title = f"Subject access — {data.name}"
        self.data = data

    def story(self) -> list[Any]:
        d = self.data
        who = "person supported" if d.kind == PERSON else "staff member"
        story: list[Any] = [
            self.para(f"Everything held about {d.name}", "title"),
            self.para(
                f"{d.provider_name} · {who} {d.reference} · as on {printed_on(d.today)}",
                "muted",
            ),
            self.space(3),
            self.para(
                "This is every record Provider Desk holds that belongs to or names this "
                f"{who}, in every area, with the history of changes to those records. The "
                "records are also in the ZIP file as spreadsheets, with the stored documents.",
            ),
            self.space(3),
            self.table(
                ["Area", "Records", "Count"],
                [[s.area, s.title, str(len(s.rows))] for s in d.sections]
                + [["Documents", "Stored files (in the ZIP)", str(len(d.files))]],
                [3, 5, 1],
                numeric=(2,),
            ),
            self.space(4),
            self.contents_table(),
        ]
        area = ""
        for sec in d.sections:
            if sec.area != area:
                area = sec.area
                story.append(self.page_break())
                story.append(self.heading(area, 0))
            story.extend(self._section(sec))
        if d.files:
            story.append(self.heading("Documents", 0))
            story.append(
                self.table(
                    ["Document", "File", "Size"],
                    [[f.what, f.filename, f"{max(1, f.size // 1024)} KB"] for f in d.files],
                    [5, 4, 1],
                    numeric=(2,),
                )
            )
        return story

    def _section(self, sec: Section) -> list[Any]:
        out: list[Any] = [self.heading(sec.title, 1)]
        if sec.note:
            out.append(self.para(sec.note, "small"))
            out.append(self.space(1))
        if not sec.rows:
            out.append(self.para("None held.", "muted"))
            return out
        if sec.area == "Change log" or len(sec.columns) <= 4:
            widths = [2.2, 1.6, 1.8, 1.0, 5.0] if sec.area == "Change log" else None
            out.append(
                self.table(list(sec.columns), [[_cell(v) for v in r] for r in sec.rows], widths)
            )
            return out
        for n, row in enumerate(sec.rows, 1):
            facts = [[c, _cell(v)] for c, v in zip(sec.columns, row, strict=True) if _cell(v)]
            out.append(
                self.keep(
                    self.para(f"{sec.title} — {n} of {len(sec.rows)}", "h3"),
                    self.details(facts, [28, 72]),
                )
            )
        return out


@dataclass(frozen=True)
class ExportResult:
    """What a subject access export wrote."""

    zip_path: Path
    pdf_path: Path
    subject: str  # 'Mary Jones (P-0012)'
    records: int
    files: int
    pages: int


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in text)
    return "-".join(p for p in keep.split("-") if p)[:60] or "file"


def write_zip(
    data: SubjectAccess,
    pdf: Path,
    target: Path,
    files: Sequence[tuple[str, bytes]],
    *,
    fmt: str = "csv",
    progress: Progress = no_progress,
) -> Path:
    """The ZIP: ``index.csv``, ``records/NN-area-title.csv`` (or .xlsx), ``documents/…`` and
    the PDF, written beside ``target`` and moved into place only when complete."""
    total = len(data.sections) + len(files) + 2
    index: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as tmp, atomic_path(target) as out:
        folder = Path(tmp)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for n, sec in enumerate(data.sections, 1):
                if not progress(n, total, f"Writing {sec.title.lower()}"):
                    raise Cancelled("Cancelled: nothing was written.")
                name = f"records/{n:02d}-{_slug(sec.area).lower()}-{sec.slug}.{fmt}"
                path = folder / f"{n:02d}.{fmt}"
                write_table(
                    path, sec.columns, [_naive(row) for row in sec.rows], sheet_title=sec.title
                )
                z.write(path, name)
                index.append([name, sec.area, sec.title, len(sec.rows), sec.note])
            for k, ((filename, blob), held) in enumerate(zip(files, data.files, strict=True), 1):
                if not progress(len(data.sections) + k, total, f"Adding {filename}"):
                    raise Cancelled("Cancelled: nothing was written.")
                name = f"documents/{k:02d}-{_slug(Path(filename).stem)}{Path(filename).suffix}"
                z.writestr(name, blob)
                index.append([name, "Documents", held.what, 1, ""])
            pdf_name = f"{pdf.stem}.pdf"
            z.write(pdf, pdf_name)
            index.insert(0, [pdf_name, "All", "Everything held, as a PDF", data.record_count(), ""])
            index_path = folder / "index.csv"
            write_table(
                index_path,
                ["File", "Area", "What", "Records", "Note"],
                index,
                sheet_title="Index",
            )
            z.write(index_path, "index.csv")
    return target


def export_subject_access(
    db: Database,
    kind: str,
    subject_id: int,
    target: Path,
    *,
    today: dt.date,
    fmt: str = "csv",
    progress: Progress = no_progress,
    created: dt.datetime | None = None,
) -> ExportResult:
    """Write everything held about one subject (``PERSON`` or ``STAFF``) to ``target`` (.zip)
    and the same as a PDF beside it (same name, .pdf), then log the export in the change log.

    Raises:
        ValidationError: an unknown subject or a target that is not a .zip.
        Cancelled: ``progress`` said stop; nothing was written or logged.
        StorageError: a file could not be written.
    """
    if kind not in COLLECTORS:
        raise ValidationError(Problem("kind", f"Unknown kind of subject '{kind}'."))
    if target.suffix.lower() != ".zip":
        raise ValidationError(
            Problem("out", f"Save the export as a .zip file, not '{target.name}'.")
        )
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(Problem("format", "Records are written as csv or xlsx."))
    progress(0, 1, "Reading the records")
    with db.reading() as s:
        data = COLLECTORS[kind](s, subject_id, today)
        blobs = [attachment_bytes_in(s, f.attachment_id) for f in data.files]
    pdf_path = target.with_suffix(".pdf")
    renderer = SubjectAccessPdf(data, created)
    renderer.render(pdf_path, progress)
    try:
        write_zip(data, pdf_path, target, blobs, fmt=fmt, progress=progress)
    except BaseException:
        pdf_path.unlink(missing_ok=True)
        raise
    try:
        _log_export(db, data, target, today)
    except BaseException:
        # An export that is not in the change log must not exist.
        pdf_path.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return ExportResult(
        target, pdf_path, data.label, data.record_count(), len(data.files), renderer.pages
    )


def _log_export(db: Database, data: SubjectAccess, target: Path, today: dt.date) -> None:
    with db.session() as s:
        append_entries(
            s,
            [
                (
                    data.table_name,
                    data.subject_id,
                    "subject access",
                    {
                        "exported_by": [None, db.actor.name],
                        "subject": [None, data.label],
                        "on": [None, today.isoformat()],
                        "file": [None, target.name],
                        "records": [None, data.record_count()],
                        "documents": [None, len(data.files)],
                    },
                )
            ],
        )


def resolve_subject(db: Database, *, person: str | None, staff: str | None) -> tuple[str, int]:
    """(kind, id) for the CLI's ``--person REF`` or ``--staff ID-or-name``.

    Raises:
        ValidationError: neither or both given, or nobody matches.
    """
    if (person is None) == (staff is None):
        raise ValidationError.single("subject", "Give either --person REF or --staff ID-or-name.")
    with db.reading() as s:
        if person is not None:
            return PERSON, find_person_in(s, person).id
        assert staff is not None
        return STAFF, find_staff_in(s, staff).id
