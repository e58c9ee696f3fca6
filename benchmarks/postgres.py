"""The training import and matrix query on PostgreSQL, each against a floor in the same run.

    python benchmarks/postgres.py --url postgresql+psycopg://postgres@127.0.0.1:54329/postgres
        [--runs 5] [--size large]

Builds the demo of ``--size`` in a new database on that server (dropped at the end; the server
is one you started, see ci-environment.md), then prints the median of ``--runs`` runs of:
1. importing 10,000 completions from CSV (each run in a fresh copy of the demo database, made
   with CREATE DATABASE ... TEMPLATE and not timed) against Python's csv read plus a raw psycopg
   executemany of the same rows (goal: <= 2x);
2. ``training_matrix()`` against the same raw SQL as ``training.py`` run with psycopg.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import training as sqlite_bench

ROWS = sqlite_bench.ROWS


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", required=True, help="a server's postgres database URL")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="large", choices=["large", "huge"])
    args = parser.parse_args()

    import psycopg
    from sqlalchemy.engine import make_url

    from provider_desk import clock
    from provider_desk.areas.opening import open_database
    from provider_desk.areas.training.imports import import_training
    from provider_desk.areas.training.queries import training_matrix
    from provider_desk.db.session import Database
    from provider_desk.demo import generate

    today = clock.today()
    admin_url = make_url(args.url)
    conninfo = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = psycopg.connect(conninfo, autocommit=True)
    demo, copy = "bench_demo", "bench_copy"
    for name in (copy, demo):
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {demo}")
    demo_url = admin_url.set(database=demo).render_as_string(hide_password=False)
    copy_url = admin_url.set(database=copy).render_as_string(hide_password=False)
    try:
        db, _ = open_database(demo_url)
        t = time.perf_counter()
        counts = generate(db, today=today, size=args.size, seed=1)
        db.dispose()
        print(
            f"{args.size} demo on PostgreSQL: {counts['staff']} staff in post, "
            f"{counts['training']} training records, built in {time.perf_counter() - t:.0f} s"
        )
        raw_demo = psycopg.connect(
            make_url(demo_url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        completions = _completions(raw_demo, today)
        stamp = dt.datetime.now(dt.UTC)
        params = [(sid, cid, day, stamp, stamp) for sid, _, cid, _, day in completions]
        raw_demo.close()
        with tempfile.TemporaryDirectory() as tmp:
            csv_path, _ = sqlite_bench._write_files(completions, Path(tmp))
            ours, floors = [], []
            for n in range(args.runs + 1):
                admin.execute(f"DROP DATABASE IF EXISTS {copy}")
                admin.execute(f"CREATE DATABASE {copy} TEMPLATE {demo}")
                raw = psycopg.connect(
                    make_url(copy_url)
                    .set(drivername="postgresql")
                    .render_as_string(hide_password=False)
                )
                t = time.perf_counter()
                rows = sqlite_bench._read_csv(csv_path)
                with raw.cursor() as cur:
                    cur.executemany(sqlite_bench.RAW_INSERT.replace("?", "%s"), params)
                raw.commit()
                floor = (time.perf_counter() - t) * 1000
                raw.close()
                assert len(rows) == ROWS + 1
                admin.execute(f"DROP DATABASE IF EXISTS {copy}")
                admin.execute(f"CREATE DATABASE {copy} TEMPLATE {demo}")
                db = Database(copy_url)
                t = time.perf_counter()
                report = import_training(db, csv_path, today=today)
                mine = (time.perf_counter() - t) * 1000
                db.dispose()
                assert report.imported == ROWS, report.skipped[:3]
                if n:
                    ours.append(mine)
                    floors.append(floor)
            ratio = statistics.median(o / f for o, f in zip(ours, floors, strict=True))
            print(
                f"import 10,000 rows, CSV: median {statistics.median(ours):6.0f} ms; floor "
                f"{statistics.median(floors):5.0f} ms (csv read + raw insert); ratio {ratio:.2f}x"
            )
        db = Database(demo_url)
        raw = psycopg.connect(
            make_url(demo_url).set(drivername="postgresql").render_as_string(hide_password=False)
        )

        def baseline() -> None:
            for sql in (
                sqlite_bench.RAW_PEOPLE,
                sqlite_bench.RAW_COURSES,
                sqlite_bench.RAW_REQUIRED,
                sqlite_bench.RAW_LATEST,
            ):
                raw.execute(sql).fetchall()

        baseline(), training_matrix(db, today)
        base, mine_q = [], []
        for _ in range(args.runs):
            base.append(sqlite_bench.median_ms(baseline, 3))
            mine_q.append(sqlite_bench.median_ms(lambda: training_matrix(db, today), 3))
        b, m = statistics.median(base), statistics.median(mine_q)
        print(f"raw SQL, same rows: median {b:6.1f} ms")
        print(f"training_matrix():  median {m:6.1f} ms; ratio {m / b:.2f}x")
        raw.close()
        db.dispose()
    finally:
        for name in (copy, demo):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
    return 0


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as psycopg connects with it."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _completions(raw: object, today: dt.date) -> list[tuple[int, str, int, str, dt.date]]:
    """As training.py's, read with psycopg."""
    import random

    conn: object = raw
    people = conn.execute(  # type: ignore[attr-defined]
        "SELECT id, first_name || ' ' || last_name, archived_at IS NULL FROM staff_member "
        "ORDER BY id"
    ).fetchall()
    courses = conn.execute(sqlite_bench.RAW_COURSES).fetchall()  # type: ignore[attr-defined]
    done = set(
        conn.execute(  # type: ignore[attr-defined]
            "SELECT staff_id, course_id, completed_on FROM training_record"
        ).fetchall()
    )
    names: dict[str, int] = {}
    for _, name, _ in people:
        names[name.lower()] = names.get(name.lower(), 0) + 1
    live = [(sid, name) for sid, name, alive in people if alive and names[name.lower()] == 1]
    rng = random.Random(7)
    out: list[tuple[int, str, int, str, dt.date]] = []
    while len(out) < ROWS:
        sid, name = rng.choice(live)
        cid, course, _ = rng.choice(courses)
        day = today - dt.timedelta(days=rng.randint(1, 1800))
        if (sid, cid, day) not in done:
            done.add((sid, cid, day))
            out.append((sid, name, cid, course, day))
    return out


if __name__ == "__main__":
    sys.exit(main())
