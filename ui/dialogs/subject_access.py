"""'Subject access export…' on a person's and a staff member's page: choose a .zip, then write
everything held about them (ZIP and PDF) on the worker, with progress, and say where it went."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QWidget

from provider_desk.privacy.export import ExportResult, export_subject_access
from provider_desk.progress import Progress
from ui.context import AppContext, show_failure
from ui.widgets.exporting import choose_save_path, show_saved

BUTTON_TEXT = "Subject access export…"
BUTTON_TIP = (
    "Everything held about them in every area, with the history of changes and their "
    "documents: a ZIP of spreadsheets and files, and a PDF. The export is recorded in the "
    "change log."
)


def default_name(name: str, reference: str) -> str:
    """'subject-access-P-0012-mary-jones.zip'."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{reference} {name}").strip("-").lower()
    return f"subject-access-{slug}.zip"


def ask_and_export(
    widget: QWidget, ctx: AppContext, kind: str, subject_id: int, name: str, reference: str
) -> None:
    """Ask where to save, then export (nothing happens if the user cancels)."""
    path = choose_save_path(
        widget, f"Subject access export for {name}", default_name(name, reference), "ZIP (*.zip)"
    )
    if path is not None:
        export_to(widget, ctx, kind, subject_id, name, path)


def export_to(
    widget: QWidget, ctx: AppContext, kind: str, subject_id: int, name: str, path: Path
) -> None:
    """Write the export to ``path`` (.zip, the PDF beside it) in the background. It runs on the
    worker that writes, since the export is recorded in the change log."""
    if path.suffix.lower() != ".zip":
        path = path.with_suffix(".zip")
    db, today, now = ctx.db, ctx.today(), ctx.now()

    def run(progress: Progress) -> ExportResult:
        return export_subject_access(
            db, kind, subject_id, path, today=today, progress=progress, created=now
        )

    def done(result: ExportResult) -> None:
        show_saved(
            widget,
            result.zip_path,
            f"Saved everything held about {name} ({result.records} records, {result.files} "
            f"documents; PDF {result.pdf_path.name}) to {result.zip_path.name}",
        )

    ctx.tasks.run(
        run,
        on_success=done,
        on_failure=lambda e: show_failure(widget, e, "The subject access export"),
        progress_parent=widget,
        progress_label=f"Saving {path.name}…",
    )
