"""The evidence pack's optional ZIP: the PDF, a spreadsheet of each register, and the documents
attached to records of the period (training certificates, recruitment check documents), with an
index saying what each file is.

Registers that name people we support, complainants or what a compliment said go in only when the
pack was made with names (the provider's own copy), as in the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy.orm import Session

from provider_desk.areas import AREAS
from provider_desk.areas.staff.queries import attachment_bytes_in, check_documents_in
from provider_desk.areas.training.queries import certificates_in
from provider_desk.attachments import DocumentRow
from provider_desk.db.session import Database
from provider_desk.evidence.snapshot import Pack
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.tabular.write import atomic_path, csv_writer

REGISTERS: tuple[tuple[str, str, str, bool], ...] = (
    # (area, exporter, file name, names people we support or complainants)
    ("staff", "staff", "registers/staff.xlsx", False),
    ("training", "training", "registers/training records.xlsx", False),
    ("training", "training-matrix", "registers/training matrix.xlsx", False),
    ("supervision", "supervisions", "registers/supervision sessions.xlsx", False),
    ("audits", "audits", "registers/audits.xlsx", False),
    ("actions", "actions", "registers/action plan.xlsx", False),
    ("people", "people", "registers/people supported.xlsx", True),
    ("people", "care-plans", "registers/care plans.xlsx", True),
    ("complaints", "complaints", "registers/complaints.xlsx", True),
    ("complaints", "compliments", "registers/compliments.xlsx", True),
)
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str, limit: int = 80) -> str:
    """A file name part that is safe on Windows and in a ZIP: no path separators or reserved
    characters, no leading dots, not too long."""
    cleaned = UNSAFE.sub("_", text).strip(" ._") or "file"
    return cleaned[:limit].rstrip(" ._") or "file"


def _document_path(doc: DocumentRow, folder: str, taken: set[str]) -> str:
    stem, dot, ext = doc.filename.rpartition(".")
    ext = safe_name(ext, 10).lower() if dot and stem else "bin"
    base = safe_name(f"{doc.on.isoformat()} {doc.about} - {doc.what}")
    path = f"{folder}/{base}.{ext}"
    n = 2
    while path.lower() in taken:
        path = f"{folder}/{base} ({n}).{ext}"
        n += 1
    taken.add(path.lower())
    return path


def _add_documents(
    s: Session, z: zipfile.ZipFile, start: dt.date, end: dt.date, progress: Progress
) -> list[tuple[str, str, str, str]]:
    """Put the period's documents in ``z``; returns their index lines.

    Raises:
        Cancelled: ``progress`` said to stop.
    """
    taken: set[str] = set()
    lines = []
    found = [
        (folder, doc)
        for folder, rows in (
            ("certificates", certificates_in(s, start, end)),
            ("recruitment checks", check_documents_in(s, start, end)),
        )
        for doc in rows
    ]
    for n, (folder, doc) in enumerate(found):
        if not progress(n, len(found), "Adding certificates and documents"):
            raise Cancelled("Cancelled: nothing was written.")
        _name, data = attachment_bytes_in(s, doc.attachment_id)
        path = _document_path(doc, folder, taken)
        z.writestr(path, data)
        lines.append((path, doc.what, doc.about, format_date(doc.on)))
    return lines


def write_bundle(
    db: Database,
    pack: Pack,
    pdf: Path,
    out: Path,
    *,
    today: dt.date,
    progress: Progress = no_progress,
) -> int:
    """Write the ZIP to ``out`` (atomically); returns how many files it holds, index included.
    ``progress`` hears each register and document and may cancel (nothing is written then).

    Raises:
        Cancelled: ``progress`` said to stop.
        StorageError: the ZIP could not be written.
    """
    period = pack.cover.period
    index: list[tuple[str, str, str, str]] = [
        (pdf.name, "The evidence pack", "", format_date(pack.cover.prepared_on))
    ]
    left_out: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="pack-") as tmp,
        atomic_path(out) as target,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        z.write(pdf, pdf.name)
        exporters = {(a.key, name): e for a in AREAS for name, e in a.exports.items()}
        for n, (area, name, path, personal) in enumerate(REGISTERS):
            if not progress(n, 2 * len(REGISTERS), "Writing the registers"):
                raise Cancelled("Cancelled: nothing was written.")
            if personal and not pack.cover.names:
                left_out.append(path)
                continue
            file = Path(tmp) / Path(path).name
            exporters[(area, name)].run(db, file, today)
            z.write(file, path)
            index.append((path, f"Register: {Path(path).stem}", "", format_date(today)))

        # One document at a time, straight into the ZIP (never all of them in memory).
        def documents(done: int, total: int, what: str) -> bool:
            half = len(REGISTERS)
            return progress(half + (half * done // total if total else 0), 2 * half, what)

        index += db.read(lambda s: _add_documents(s, z, period.start, period.end, documents))
        text = io.StringIO()
        w = csv_writer(text)
        w.writerow(["File", "What it is", "Whose record", "Date"])
        w.writerows(index)
        for path in left_out:
            w.writerow(
                [
                    path,
                    "Left out: it names people we support or complainants. Make the pack "
                    "with names (the provider's own copy) to include it.",
                    "",
                    "",
                ]
            )
        z.writestr("index.csv", text.getvalue().encode("utf-8-sig"))
        count = len(z.namelist())
    return count
