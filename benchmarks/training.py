"""Training speed on the large demo database (~250 staff, five years of records).

    python benchmarks/training.py [--runs 7]

Prints, each against a baseline measured in the same run:
1. matrix query + model fill: ``training_matrix()`` plus filling the Qt model, against a raw SQL
   query fetching the same rows (people, requirements, latest completion per person and course)
   with sqlite3 (goal: ratio <= 3x and under 150 ms);
2. importing a 10,000-row XLSX of completions, against just reading the file with the same
   reader (openpyxl) (goal: ratio <= 2x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RAW_SQL = """
SELECT s.id, s.first_name, s.last_name, s.job_role_id, j.name, s.team, s.status
  FROM staff_member s JOIN job_role j ON j.id = s.job_role_id
 WHERE s.archived_at IS NULL ORDER BY lower(s.last_name), lower(s.first_name);
"""
RAW_LATEST = """
SELECT t.staff_id, t.course_id, t.completed_on, t.expires_on
  FROM training_record t
  JOIN (SELECT r.staff_id, r.course_id, max(r.completed_on) AS done
          FROM training_record r JOIN staff_member s ON s.id = r.staff_id
         WHERE r.archived_at IS NULL AND s.archived_at IS NULL
         GROUP BY r.staff_id, r.course_id) m
    ON m.staff_id = t.staff_id AND m.course_id = t.course_id AND m.done = t.completed_on
 WHERE t.archived_at IS NULL;
"""
RAW_REQUIRED = "SELECT course_id, job_role_id FROM role_requirement;"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import openpyxl
    from PySide6.QtWidgets import QApplication

    from provider_desk import clock
    from provider_desk.areas.opening import open_database
    from provider_desk.areas.staff.queries import list_staff
    from provider_desk.areas.training.imports import import_training
    from provider_desk.areas.training.queries import list_courses, training_matrix
    from provider_desk.demo import generate
    from ui.areas.training.matrix_model import MatrixModel

    app = QApplication.instance() or QApplication([])
    today = clock.today()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.sqlite3"
        db, _ = open_database(str(path), create=True)
        t = time.perf_counter()
        counts = generate(db, today=today, size="large", seed=1)
        print(
            f"large demo: {counts['staff']} staff in post, {counts['training']} training "
            f"records, built in {time.perf_counter() - t:.1f} s"
        )
        model = MatrixModel()

        def ours() -> None:
            model.set_matrix(training_matrix(db, today))

        raw = sqlite3.connect(path)

        def baseline() -> None:
            raw.execute(RAW_SQL).fetchall()
            raw.execute(RAW_REQUIRED).fetchall()
            raw.execute(RAW_LATEST).fetchall()

        ours(), baseline()  # warm caches alike
        base_ms, ours_ms = median_ms(baseline, args.runs), median_ms(ours, args.runs)
        print(f"raw SQL, same rows:         median {base_ms:7.1f} ms")
        print(
            f"matrix query + model fill:  median {ours_ms:7.1f} ms "
            f"({len(model.matrix.people)} x {len(model.matrix.courses)} cells)"
        )
        print(
            f"  ratio {ours_ms / base_ms:.2f}x (goal <= 3x); under 150 ms: "
            f"{'yes' if ours_ms < 150 else 'no'}"
        )

        # 10,000 completions, a learning platform's long report, for people already on file.
        people = list_staff(db)
        courses = [c.name for c in list_courses(db)]
        xlsx = Path(tmp) / "completions.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["Learner", "Course", "Status", "Date completed"])
        for i in range(10_000):
            p = people[i % len(people)]
            when = today - dt.timedelta(days=1 + (i * 7919) % 1500)
            ws.append(
                [
                    p.full_name,
                    courses[(i // len(people)) % len(courses)],
                    "Passed",
                    dt.datetime(when.year, when.month, when.day),  # noqa: DTZ001 - an Excel cell
                ]
            )
        wb.save(xlsx)

        def read_only() -> None:
            book = openpyxl.load_workbook(xlsx, data_only=True)
            list(book.worksheets[0].iter_rows(values_only=True))
            book.close()

        read_ms = median_ms(read_only, 3)
        reports = []
        import_ms = median_ms(
            lambda: reports.append(import_training(db, xlsx, today=today, dry_run=True)), 3
        )
        report = reports[-1]
        print(f"reading the 10,000-row XLSX: {read_ms:7.0f} ms")
        print(
            f"importing it (dry run: everything but the commit): {import_ms:7.0f} ms "
            f"({report.imported} new, {report.unchanged} already there, "
            f"{len(report.skipped)} skipped)"
        )
        print(f"  ratio {import_ms / read_ms:.2f}x (goal <= 2x)")
        raw.close()
        db.dispose()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
