"""Store a file inside the database, once per distinct content."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.errors import Problem, ValidationError
from provider_desk.models.attachment import Attachment

MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".heic": "image/heic",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
}


CERTIFICATE_TYPES = {k: v for k, v in EVIDENCE_TYPES.items() if not k.startswith(".doc")}


def read_evidence_file(
    path: Path, field: str = "attachment", allowed: dict[str, str] | None = None
) -> tuple[str, str, bytes]:
    """Read a file the user chose as evidence, checking its type and size.

    Returns (file name, content type, bytes).

    Raises:
        ValidationError: not a document or picture we accept, too big, or unreadable.
    """
    types = allowed or EVIDENCE_TYPES
    content_type = types.get(path.suffix.lower())
    if content_type is None:
        names = ", ".join(sorted({s.lstrip(".").upper() for s in types}))
        raise ValidationError(
            Problem(field, f"{path.name} is not a file type we keep here ({names}).")
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError(
                Problem(
                    field,
                    f"{path.name} is {size / 1048576:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1048576} MB. Scan at a lower resolution or save as PDF.",
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            Problem(field, f"{path.name} cannot be read: {exc.strerror}.")
        ) from exc
    if content_type == "application/pdf" and not data.startswith(b"%PDF"):
        raise ValidationError(Problem(field, f"{path.name} is named .pdf but is not a PDF file."))
    return path.name, content_type, data


def store(session: Session, filename: str, content_type: str, data: bytes) -> Attachment:
    """The attachment holding ``data``: an existing one with the same content, or a new one."""
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(select(Attachment).where(Attachment.sha256 == digest))
    if existing is not None:
        return existing
    att = Attachment(
        sha256=digest, filename=filename, content_type=content_type, size=len(data), data=data
    )
    session.add(att)
    session.flush()
    return att


@dataclass(frozen=True)
class DocumentRow:
    """A stored document and what it evidences (a certificate, a DBS check …), for bundles."""

    attachment_id: int
    on: dt.date  # the day it evidences (completed, checked)
    about: str  # whose record: "Amy Smith"
    what: str  # "Fire safety certificate", "DBS check"
    filename: str
    size: int


def document_rows(
    rows: Iterable[tuple[int | None, dt.date | None, str, str, str, str, int]],
) -> list[DocumentRow]:
    """Rows of (attachment id, day, first name, last name, what, file name, size) as documents,
    leaving out those without a day."""
    return [
        DocumentRow(att, day, f"{first} {last}", what, filename, size)
        for att, day, first, last, what, filename, size in rows
        if day is not None and att is not None
    ]
