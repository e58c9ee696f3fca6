"""The evidence pack's optional ZIP: the PDF, a spreadsheet of each register, and the documents
attached to records of the period (training certificates, recruitment check documents), with an
index saying what each file is.

Registers that name people we support, complainants or what a compliment said go in only when the
pack was made with names (the provider's own copy), as in the PDF.
"""

from __future__ import annotations

import csv
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
from provider_desk.rules.dates import format_date
from provider_desk.tabular.write import atomic_path

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
    s: Session, z: zipfile.ZipFile, start: dt.date, end: dt.date
) -> list[tuple[str, str, str, str]]:
    """Put the period's documents in ``z``; returns their index lines."""
    taken: set[str] = set()
    lines = []
    for folder, rows in (
        ("certificates", certificates_in(s, start, end)),
        ("recruitment checks", check_documents_in(s, start, end)),
    ):
        for doc in rows:
            _name, data = attachment_bytes_in(s, doc.attachment_id)
            path = _document_path(doc, folder, taken)
            z.writestr(path, data)
            lines.append((path, doc.what, doc.about, format_date(doc.on)))
    return lines


def write_bundle(db: Database, pack: Pack, pdf: Path, out: Path, *, today: dt.date) -> int:
    """Write the ZIP to ``out`` (atomically); returns how many files it holds, index included.

    Raises:
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
        for area, name, path, personal in REGISTERS:
            if personal and not pack.cover.names:
                left_out.append(path)
                continue
            file = Path(tmp) / Path(path).name
            exporters[(area, name)].run(db, file, today)
            z.write(file, path)
            index.append((path, f"Register: {Path(path).stem}", "", format_date(today)))
        # One document at a time, straight into the ZIP (never all of them in memory).
        index += db.read(lambda s: _add_documents(s, z, period.start, period.end))
        text = io.StringIO()
        w = csv.writer(text)
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
