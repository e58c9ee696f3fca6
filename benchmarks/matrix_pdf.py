"""The training matrix PDF on the demo databases, against a bare ReportLab table of the same cells.

    python benchmarks/matrix_pdf.py [--runs 5] [--sizes large huge] [--today 2026-12-03]

Prints the median of ``--runs`` runs of:
1. the floor: a bare ReportLab document (``SimpleDocTemplate``, landscape A4) holding the same
   cells as plain strings, eight courses to a page width with the names repeated, a grid and a
   repeated header row, nothing else (no fonts embedded, colours, totals or page furniture);
2. ``export_matrix_pdf()`` as the Training page runs it (the matrix already read);
and the ratio (goal <= 2x). With two sizes it ends with how each figure grows.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COURSES_PER_PAGE = 8


def bare_pdf(matrix: object, path: Path) -> int:
    """The floor: the same cells in plain ReportLab tables. Returns the page count."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

    from provider_desk.areas.training import matrix_pdf as mp

    m: mp.TrainingMatrix = matrix  # type: ignore[assignment]
    doc = SimpleDocTemplate(
        str(path), pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm
    )
    each = (doc.width / mm - mp.NAME_MM - mp.ROLE_MM - mp.PERCENT_MM) / COURSES_PER_PAGE
    story: list[object] = []
    for start in range(0, len(m.courses), COURSES_PER_PAGE):
        cols = range(start, min(start + COURSES_PER_PAGE, len(m.courses)))
        data = [["Name", "Role / team", "%"] + [m.courses[j].name for j in cols]]
        for i, p in enumerate(m.people):
            data.append(
                [p.sort_name, f"{p.job_role} · {p.team}", "100%"]
                + [
                    re.sub(
                        r"</?b>", "", mp._cell_text(m.cells[i][j].status, m.cells[i][j].expires_on)
                    )
                    for j in cols
                ]
            )
        widths = [mp.NAME_MM * mm, mp.ROLE_MM * mm, mp.PERCENT_MM * mm] + [each * mm] * len(cols)
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(  # the same geometry as ours: font size, leading and padding
            [
                ("GRID", (0, 0), (-1, -1), 0.25, "#c5ccd6"),
                ("FONTSIZE", (0, 0), (-1, -1), 6.8),
                ("LEADING", (0, 0), (-1, -1), 8.5),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
        if story:
            story.append(PageBreak())
        story.append(table)
    doc.build(story)
    return int(doc.page)


def run(path: Path, today: dt.date, runs: int) -> dict[str, float]:
    from provider_desk.areas.training.matrix_pdf import MatrixPdf
    from provider_desk.areas.training.queries import training_matrix
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database

    db = Database(resolve_database_url(str(path)))
    matrix = training_matrix(db, today)
    db.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        bare_pdf(matrix, out / "warm.pdf")  # fonts and modules loaded alike
        MatrixPdf(matrix, "Meadowbank Home Care Ltd (demo)").render(out / "warm-ours.pdf")
        floors, ours, ratios = [], [], []
        pages = bare_pages = 0
        for _ in range(runs):  # interleaved: a busy moment hits both alike
            t = time.perf_counter()
            bare_pages = bare_pdf(matrix, out / "bare.pdf")
            floor = (time.perf_counter() - t) * 1000
            renderer = MatrixPdf(matrix, "Meadowbank Home Care Ltd (demo)")
            t = time.perf_counter()
            renderer.render(out / "ours.pdf")
            mine = (time.perf_counter() - t) * 1000
            pages = renderer.pages
            floors.append(floor)
            ours.append(mine)
            ratios.append(mine / floor)
    floor_ms, ours_ms, ratio = (statistics.median(x) for x in (floors, ours, ratios))
    print(f"bare ReportLab table, same cells: median {floor_ms:7.0f} ms ({bare_pages} pages)")
    print(
        f"training matrix PDF:              median {ours_ms:7.0f} ms ({pages} pages, "
        f"{len(matrix.people)} staff x {len(matrix.courses)} courses)"
    )
    print(f"  ratio {ratio:.2f}x (goal <= 2x)")
    return {"bare ReportLab ms": floor_ms, "matrix PDF ms": ours_ms, "matrix PDF ratio": ratio}


def main() -> int:
    from benchmarks._large_demo import main as demo_main

    return demo_main(__doc__ or "", run, runs=5, sizes=("large", "huge"))


if __name__ == "__main__":
    sys.exit(main())
