"""The evidence pack on the large demo database (~250 staff, five years of records), 12 months.

    python benchmarks/evidence_pack.py [--runs 3] [--database large.sqlite3] [--today 2026-12-03]

Prints, with the median of ``--runs`` runs:
1. the baseline: bare ReportLab (SimpleDocTemplate, plain Tables of strings, no styles, no
   bookmarks, no page count) rendering the same tables from the same snapshot, in the same run;
2. reading the snapshot (one read transaction);
3. the whole pack (read + render), its ratio to 1 + 2 (goal: render within 2x of the bare
   baseline), the page count, and whether it is under 15 s;
4. the peak memory: Python objects of one build (tracemalloc) and the process's peak resident
   size, everything included (goal under 400 MB).

Without ``--database`` it runs on the large and the huge demo (built once and kept under the
temporary folder; ``--sizes large`` for one) and ends with how each figure grows.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bare_tables(pack: Any) -> list[list[list[str]]]:
    """The pack's tables as plain strings: what any PDF of this content must lay out."""
    tables: list[list[list[str]]] = []
    for st in pack.readiness.statements():
        tables.append([[st.name, st.colour.value, r] for r in st.reasons])
        tables.append([[e.title, str(e.count), ", ".join(e.references)] for e in st.evidence])
        tables.append([[i.reference, i.level.value, str(i.due_on)] for i in st.weakening[:12]])
    for m in (pack.training, pack.supervision):
        for start in range(0, len(m.columns), 6):
            tables.append(
                [[n, r, *[w for w, _ in cells[start : start + 6]]] for n, r, cells in m.rows]
            )
    tables.append([[r.name, r.job_role, str(r.missing)] for r in pack.recruitment])
    tables.append([[c.reference, str(c.received_on), c.category] for c in pack.complaints])
    tables.append([[a.reference, a.template, str(a.score)] for a in pack.audits])
    tables.append([[a.description, a.owner, a.status] for a in pack.actions])
    tables.append([[c.reference, c.plan, str(c.review_due)] for c in pack.care_plans])
    return [t for t in tables if t]


def bare_render(pack: Any, path: Path) -> None:
    """Bare ReportLab: the same tables, default font and table style, nothing else."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    style = getSampleStyleSheet()["BodyText"]
    story: list[Any] = []
    width = A4[0] - 144
    for rows in bare_tables(pack):
        cols = len(rows[0])
        story.append(
            Table(
                [
                    [Paragraph(c.replace("&", "&amp;").replace("<", "&lt;"), style) for c in r]
                    for r in rows
                ],
                colWidths=[width / cols] * cols,
                repeatRows=1,
            )
        )
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def run(path: Path, today: dt.date, runs: int) -> dict[str, float]:
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database
    from provider_desk.evidence import build_evidence_pack, read_pack
    from provider_desk.reading import Period

    db = Database(resolve_database_url(str(path)))
    period = Period.year_to(today)
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pack = read_pack(db, period, today=today)
        bare_render(pack, out / "warm.pdf")  # fonts and modules loaded alike
        read_s = median_s(lambda: read_pack(db, period, today=today), runs)
        bare_s = median_s(lambda: bare_render(pack, out / "bare.pdf"), runs)
        built: list[Any] = []

        def whole() -> None:
            built.append(
                build_evidence_pack(db, period, out / "pack.pdf", today=today, created=created)
            )

        pack_s = median_s(whole, runs)
        tracemalloc.start()
        whole()
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    pages = built[-1].pages
    render_s = pack_s - read_s
    print(f"as on {today}, {period.label}: {pages} pages")
    print(f"bare ReportLab, same tables:   median {bare_s:6.2f} s")
    print(f"reading the snapshot:          median {read_s:6.2f} s")
    print(
        f"whole pack (read + render):    median {pack_s:6.2f} s; under 15 s: "
        f"{'yes' if pack_s < 15 else 'no'}"
    )
    print(
        f"rendering alone vs bare:       ratio {render_s / bare_s:5.2f}x (goal 2x or less): "
        f"{'yes' if render_s / bare_s <= 2 else 'no'}"
    )
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(f"peak memory (Python objects, one build): {peak / 2**20:6.0f} MB")
    print(
        f"peak resident memory of this process:    {rss:6.0f} MB; under 400 MB: "
        f"{'yes' if rss < 400 else 'no'}"
    )
    db.dispose()
    return {
        "bare ReportLab ms": bare_s * 1000,
        "snapshot read ms": read_s * 1000,
        "whole pack ms": pack_s * 1000,
        "rendering vs bare ratio": render_s / bare_s,
        "pages": float(pages),
    }


def main() -> int:
    from benchmarks._large_demo import main as large_demo_main

    return large_demo_main(__doc__ or "", run, runs=3, sizes=("large", "huge"))


if __name__ == "__main__":
    raise SystemExit(main())
