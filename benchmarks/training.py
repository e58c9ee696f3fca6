"""Training speed on the demo databases: importing completions, and the training matrix.

    python benchmarks/training.py [--runs 5] [--sizes large huge] [--today 2026-12-03]

Prints, each as the median of ``--runs`` runs against a floor measured in the same runs:
1. importing 10,000 completions (people on file, none recorded yet) from a CSV and from an XLSX
   file, committed, against the fastest reader of that file (Python's csv module; python-calamine
   for XLSX) plus a raw bulk insert of the same 10,000 rows with sqlite3 (goal: <= 2x each).
   Beside it, a second floor: the same read plus a raw bulk insert of everything an import has
   to write, the records as stored (expiry, delivery and the rest filled in) and one change-log
   entry for each (DESIGN §2: every write is logged, each entry chained to the one before); the
   rows are taken from an import made before timing, so this floor does no hashing or checking;
2. the matrix query, ``training_matrix()``, against raw SQL fetching the same rows (people,
   requirements, latest completion per person and course) with sqlite3 (goal: <= 2x), and the
   query plus filling the Qt model as the Training page does.

Each writing run works on a fresh copy of the cached demo (copying is not timed). With two sizes
it ends with how each figure grows from large to huge.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._large_demo import copy_database, median_ms

RAW_PEOPLE = """
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
RAW_COURSES = "SELECT id, name, refresher_months FROM course WHERE archived_at IS NULL;"
RAW_REQUIRED = "SELECT course_id, job_role_id FROM role_requirement;"
RAW_INSERT = """
INSERT INTO training_record (staff_id, course_id, completed_on, expires_on, provider, delivery,
    accredited, notes, attachment_id, archived_at, created_at, updated_at, created_by,
    updated_by, version)
VALUES (?, ?, ?, NULL, '', '', '', '', NULL, NULL, ?, ?, 'bench', 'bench', 1)
"""
RAW_RECORD_COLUMNS = (
    "staff_id, course_id, completed_on, expires_on, provider, delivery, accredited, notes, "
    "attachment_id, archived_at, created_at, updated_at, created_by, updated_by, version"
)
RAW_LOG_COLUMNS = "at, who, table_name, row_id, action, changes, prev_hash, hash, user_id"
ROWS = 10_000


def _completions(path: Path, today: dt.date) -> list[tuple[int, str, int, str, dt.date]]:
    """10,000 completions not yet recorded: (staff id, full name, course id, course, date),
    for people in post whose names are unique (so each row finds its person)."""
    with sqlite3.connect(path) as raw:
        people = raw.execute(
            "SELECT id, first_name || ' ' || last_name, archived_at IS NULL FROM staff_member "
            "ORDER BY id"
        ).fetchall()
        courses = raw.execute(RAW_COURSES).fetchall()
        done = {
            (sid, cid, dt.date.fromisoformat(day))
            for sid, cid, day in raw.execute(
                "SELECT staff_id, course_id, completed_on FROM training_record"
            )
        }
    names: dict[str, int] = {}
    for _, name, _ in people:  # leavers too: a name shared with a leaver is ambiguous
        names[name.lower()] = names.get(name.lower(), 0) + 1
    people = [(sid, name) for sid, name, live in people if live and names[name.lower()] == 1]
    rng = random.Random(7)
    out: list[tuple[int, str, int, str, dt.date]] = []
    while len(out) < ROWS:
        sid, name = rng.choice(people)
        cid, course, _ = rng.choice(courses)
        day = today - dt.timedelta(days=rng.randint(1, 1800))
        if (sid, cid, day) not in done:
            done.add((sid, cid, day))
            out.append((sid, name, cid, course, day))
    return out


def _write_files(rows: list[tuple[int, str, int, str, dt.date]], folder: Path) -> tuple[Path, Path]:
    import openpyxl

    header = ["Learner", "Course", "Status", "Date completed"]
    csv_path, xlsx_path = folder / "completions.csv", folder / "completions.xlsx"
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(
            [name, course, "Passed", day.strftime("%d/%m/%Y")] for _, name, _, course, day in rows
        )
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for _, name, _, course, day in rows:
        ws.append([name, course, "Passed", dt.datetime(day.year, day.month, day.day)])  # noqa: DTZ001
    wb.save(xlsx_path)
    return csv_path, xlsx_path


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _read_xlsx(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def _written(
    path: Path, imported: Path
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The training records and change-log entries an import added to ``imported`` (a copy of
    ``path``), as stored: what the second floor inserts raw."""
    with sqlite3.connect(path) as before:
        last_record, last_entry = before.execute(
            "SELECT (SELECT max(id) FROM training_record), (SELECT max(id) FROM change_log)"
        ).fetchone()
    with sqlite3.connect(imported) as after:
        records = after.execute(
            f"SELECT {RAW_RECORD_COLUMNS} FROM training_record WHERE id > ? ORDER BY id",
            (last_record or 0,),
        ).fetchall()
        entries = after.execute(
            f"SELECT {RAW_LOG_COLUMNS} FROM change_log WHERE id > ? ORDER BY id",
            (last_entry or 0,),
        ).fetchall()
    return records, entries


def _raw_write(
    copy: Path, records: list[tuple[object, ...]], entries: list[tuple[object, ...]]
) -> float:
    """Milliseconds to insert ``records`` and ``entries`` into ``copy`` raw, in one transaction."""
    raw = sqlite3.connect(copy, isolation_level=None)
    raw.execute("PRAGMA synchronous=NORMAL")
    t = time.perf_counter()
    raw.execute("BEGIN")
    raw.executemany(
        f"INSERT INTO training_record ({RAW_RECORD_COLUMNS}) VALUES ({', '.join('?' * 15)})",
        records,
    )
    raw.executemany(
        f"INSERT INTO change_log ({RAW_LOG_COLUMNS}) VALUES ({', '.join('?' * 9)})", entries
    )
    raw.execute("COMMIT")
    ms = (time.perf_counter() - t) * 1000
    raw.close()
    return ms


def imports(path: Path, today: dt.date, runs: int) -> dict[str, float]:
    """Import 10,000 completions from CSV and XLSX; the floors beside them."""
    from provider_desk.areas.training.imports import import_training
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database

    figures: dict[str, float] = {}
    completions = _completions(path, today)
    stamp = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    params = [(sid, cid, day.isoformat(), stamp, stamp) for sid, _, cid, _, day in completions]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path, xlsx_path = _write_files(completions, folder)
        first = copy_database(path, folder)
        db = Database(resolve_database_url(str(first)))
        import_training(db, csv_path, today=today)
        db.dispose()
        records, entries = _written(path, first)
        assert len(records) == len(entries) == ROWS
        for kind, file, reader in (("CSV", csv_path, _read_csv), ("XLSX", xlsx_path, _read_xlsx)):
            ours: list[float] = []
            floors: list[float] = []
            reads: list[float] = []
            logged: list[float] = []  # read + raw insert of the records and their log entries
            for n in range(runs + 1):  # the first run warms caches and imports; not counted
                copy = copy_database(path, folder)
                raw = sqlite3.connect(copy, isolation_level=None)
                raw.execute("PRAGMA synchronous=NORMAL")  # as the app's connections
                t = time.perf_counter()
                rows = reader(file)
                read_ms = (time.perf_counter() - t) * 1000
                assert len(rows) == ROWS + 1
                t = time.perf_counter()
                raw.execute("BEGIN")
                raw.executemany(RAW_INSERT, params)
                raw.execute("COMMIT")
                insert_ms = (time.perf_counter() - t) * 1000
                raw.close()
                logged_ms = read_ms + _raw_write(copy_database(path, folder), records, entries)
                copy = copy_database(path, folder)
                db = Database(resolve_database_url(str(copy)))
                t = time.perf_counter()
                report = import_training(db, file, today=today)
                ours_ms = (time.perf_counter() - t) * 1000
                db.dispose()
                assert report.imported == ROWS, (report.imported, report.skipped[:3])
                if n:
                    ours.append(ours_ms)
                    floors.append(read_ms + insert_ms)
                    reads.append(read_ms)
                    logged.append(logged_ms)
            ratio = statistics.median(o / f for o, f in zip(ours, floors, strict=True))
            logged_ratio = statistics.median(o / f for o, f in zip(ours, logged, strict=True))
            print(
                f"import 10,000 rows, {kind:<4}: median {statistics.median(ours):7.0f} ms; floor "
                f"{statistics.median(floors):5.0f} ms (read {statistics.median(reads):4.0f} ms "
                f"+ raw insert); ratio {ratio:.2f}x (goal <= 2x)"
            )
            print(
                f"  against read + raw insert of the records and their change-log entries: "
                f"floor {statistics.median(logged):5.0f} ms; ratio {logged_ratio:.2f}x"
            )
            figures[f"import {kind} ms"] = statistics.median(ours)
            figures[f"import {kind} ratio"] = ratio
            figures[f"import {kind} ratio, logged floor"] = logged_ratio
    return figures


def matrix(path: Path, today: dt.date, runs: int) -> dict[str, float]:
    """The matrix query and the page's model fill; raw SQL beside them."""
    from PySide6.QtWidgets import QApplication

    from provider_desk.areas.training.queries import training_matrix
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database
    from ui.areas.training.matrix_model import MatrixModel

    _app = QApplication.instance() or QApplication([])
    db = Database(resolve_database_url(str(path)))
    raw = sqlite3.connect(path)
    model = MatrixModel()

    def baseline() -> None:
        raw.execute(RAW_PEOPLE).fetchall()
        raw.execute(RAW_COURSES).fetchall()
        raw.execute(RAW_REQUIRED).fetchall()
        raw.execute(RAW_LATEST).fetchall()

    def query() -> None:
        training_matrix(db, today)

    def page() -> None:
        model.set_matrix(training_matrix(db, today))

    baseline(), query(), page()  # warm caches alike
    base, ours, filled = [], [], []
    for _ in range(runs):  # interleaved, so a busy moment hits all three alike
        base.append(median_ms(baseline, 3))
        ours.append(median_ms(query, 3))
        filled.append(median_ms(page, 3))
    base_ms, ours_ms, page_ms = (statistics.median(x) for x in (base, ours, filled))
    m = model.matrix
    print(f"raw SQL, same rows:            median {base_ms:7.1f} ms")
    print(
        f"training_matrix():             median {ours_ms:7.1f} ms "
        f"({len(m.people)} x {len(m.courses)} cells); ratio {ours_ms / base_ms:.2f}x (goal <= 2x)"
    )
    print(
        f"  plus the Qt model fill:      median {page_ms:7.1f} ms; ratio {page_ms / base_ms:.2f}x"
    )
    raw.close()
    db.dispose()
    return {
        "matrix raw SQL ms": base_ms,
        "matrix query ms": ours_ms,
        "matrix query ratio": ours_ms / base_ms,
    }


def run(path: Path, today: dt.date, runs: int) -> dict[str, float]:
    return {**imports(path, today, runs), **matrix(path, today, runs)}


def main() -> int:
    from benchmarks._large_demo import main as demo_main

    return demo_main(__doc__ or "", run, runs=5, sizes=("large", "huge"))


if __name__ == "__main__":
    sys.exit(main())
