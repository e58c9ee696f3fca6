"""The evidence pack for inspection: one read transaction builds a frozen snapshot of everything
it needs (:mod:`~provider_desk.evidence.snapshot`), a renderer lays it out as a PDF
(:mod:`~provider_desk.evidence.pdf`), and an optional ZIP bundles the PDF with each register and
the documents attached in the period (:mod:`~provider_desk.evidence.bundle`)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from provider_desk.auth.roles import Actor
from provider_desk.db.session import Database
from provider_desk.errors import StorageError
from provider_desk.evidence.snapshot import Pack, check_dates, check_period, pack_in, read_pack
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.reading import Period

__all__ = [
    "Built",
    "BuiltFiles",
    "Pack",
    "build_evidence_pack",
    "build_evidence_pack_files",
    "check_dates",
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

    def cancelled() -> Cancelled:
        return Cancelled("Cancelled: nothing was written.")

    check_period(period, today)
    if not progress(0, 100, "Reading the records"):
        raise cancelled()
    pack = read_pack(db, period, today=today, names=names)
    share = 80 if bundle is None else 60  # of the bar, for laying out the pages

    def rendering(done: int, total: int, what: str) -> bool:
        return progress(10 + (share * done // total if total else 0), 100, "Laying out the pages")

    renderer = PackRenderer(pack, created=created)
    if bundle is None:
        renderer.render(out, rendering)
        progress(100, 100, "Done")
        return Built(out, renderer.pages, None, 0, pack)

    from provider_desk.evidence.bundle import write_bundle

    # Both files are made aside and moved into place only when both are complete, so a cancel
    # or a failure while bundling leaves any earlier pack and bundle as they were.
    with tempfile.TemporaryDirectory(prefix="pack-", dir=_existing_parent(out)) as tmp:
        draft = Path(tmp) / out.name
        renderer.render(draft, rendering)

        def bundling(done: int, total: int, what: str) -> bool:
            return progress(70 + (25 * done // total if total else 0), 100, what)

        files = write_bundle(db, pack, draft, bundle, today=today, progress=bundling)
        try:
            os.replace(draft, out)
        except OSError as exc:
            raise StorageError(
                f"{out.name} could not be written ({exc.strerror}).",
                "Check the folder exists, that there is free space and that you may write there.",
            ) from exc
    progress(100, 100, "Done")
    return Built(out, renderer.pages, bundle, files, pack)


@dataclass(frozen=True)
class BuiltFiles:
    """What was written, without the records read: what the window needs back from the
    process that built the pack (the whole snapshot would cross as megabytes)."""

    pdf: Path
    pages: int
    bundle: Path | None
    bundled_files: int
    names: bool  # the pack names the people supported


def build_evidence_pack_files(
    url: str,
    period: Period,
    out: Path,
    progress: Progress = no_progress,
    *,
    actor: Actor | None = None,
    today: dt.date,
    created: dt.datetime | None = None,
    names: bool = False,
    bundle: Path | None = None,
) -> BuiltFiles | None:
    """:func:`build_evidence_pack` from the database at ``url``, read as ``actor``: what the
    Evidence page runs in a process of its own (see :mod:`provider_desk.processes`), so it
    takes plain values and opens, then closes, its own connection. None if cancelled (nothing
    was written).

    Raises:
        ValidationError: a period the pack cannot be made for.
        StorageError: a file could not be written.
    """
    db = Database(url, actor=actor)
    try:
        built = build_evidence_pack(
            db,
            period,
            out,
            today=today,
            created=created,
            names=names,
            bundle=bundle,
            progress=progress,
        )
    except Cancelled:
        return None
    finally:
        db.dispose()
    return BuiltFiles(
        built.pdf, built.pages, built.bundle, built.bundled_files, built.pack.cover.names
    )


def _existing_parent(path: Path) -> Path | None:
    """The folder ``path`` goes in, made if missing (None: let the system choose)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path.parent
