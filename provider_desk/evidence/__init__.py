"""The evidence pack for inspection: one read transaction builds a frozen snapshot of everything
it needs (:mod:`~provider_desk.evidence.snapshot`), a renderer lays it out as a PDF
(:mod:`~provider_desk.evidence.pdf`), and an optional ZIP bundles the PDF with each register and
the documents attached in the period (:mod:`~provider_desk.evidence.bundle`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from provider_desk.db.session import Database
from provider_desk.evidence.snapshot import Pack, check_period, pack_in, read_pack
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.reading import Period

__all__ = [
    "Built",
    "Pack",
    "build_evidence_pack",
    "check_period",
    "pack_in",
    "read_pack",
]


@dataclass(frozen=True)
class Built:
    """What was written."""

    pdf: Path
    pages: int
    bundle: Path | None
    bundled_files: int  # files in the bundle (0 without one)
    pack: Pack


def build_evidence_pack(
    db: Database,
    period: Period,
    out: Path,
    *,
    today: dt.date,
    created: dt.datetime | None = None,
    names: bool = False,
    bundle: Path | None = None,
    progress: Progress = no_progress,
) -> Built:
    """Read, render and (if ``bundle``) zip the evidence pack. Each file is written to a
    temporary name and moved into place only when complete; ``progress`` may cancel at any step.

    Raises:
        ValidationError: a period the pack cannot be made for.
        Cancelled: the user cancelled; nothing was written.
        StorageError: a file could not be written.
    """
    from provider_desk.evidence.pdf import PackRenderer

    check_period(period, today)
    if not progress(0, 100, "Reading the records"):
        raise Cancelled("Cancelled: nothing was written.")
    pack = read_pack(db, period, today=today, names=names)

    def rendering(done: int, total: int, what: str) -> bool:
        return progress(10 + (80 * done // total if total else 0), 100, "Laying out the pages")

    renderer = PackRenderer(pack, created=created)
    pdf = renderer.render(out, rendering)
    pages = renderer.pages
    files = 0
    if bundle is not None:
        from provider_desk.evidence.bundle import write_bundle

        if not progress(90, 100, "Bundling registers and documents"):
            pdf.unlink(missing_ok=True)
            raise Cancelled("Cancelled: nothing was written.")
        files = write_bundle(db, pack, pdf, bundle, today=today)
    progress(100, 100, "Done")
    return Built(pdf, pages, bundle, files, pack)
