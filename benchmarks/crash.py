"""Crash test: a process writing records through the services is killed (SIGKILL) at random
moments; after each kill the database must be whole.

    python benchmarks/crash.py [--kills 50] [--seed 1] [--database FILE]

A child process adds staff (each with their recruitment checks), records training, logs
complaints and imports a small staff file, printing what it saved after each commit (flushed).
The parent kills it at a random moment (mostly while it writes, sometimes while it opens the
database) and then checks, every time:

- ``PRAGMA integrity_check`` says ``ok``;
- the change log's hash chain verifies (``verify_chain``);
- every write the child reported committed is there;
- nothing is half there: every staff member has all their recruitment checks, and every imported
  batch is whole.

It prints the kills, the writes checked and the failures; the exit status is 1 if anything
failed. The suite runs it under the ``slow`` marker (tests/core/test_crash.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 23)
"""The child's "today": services take it; the calendar is not read."""
BATCH = 4
"""Staff in each imported file."""


# --------------------------------------------------------------------------- the child


def child(database: Path, round_no: int) -> None:
    """Write records until killed, printing ``<kind> <id>`` after each commit."""
    from provider_desk.areas.complaints.services import ComplaintInput, save_complaint
    from provider_desk.areas.opening import open_database
    from provider_desk.areas.staff.imports import import_staff
    from provider_desk.areas.staff.queries import job_role_choices
    from provider_desk.areas.staff.services import StaffInput, add_staff
    from provider_desk.areas.training.queries import list_courses
    from provider_desk.areas.training.services import TrainingInput, record_training

    db, _ = open_database(str(database), user="crash.test")
    role = next(c.id for c in job_role_choices(db) if c.label == "Care worker")
    course = next(c.id for c in list_courses(db) if c.name == "Fire safety")
    sheet = database.with_name(f"import-{os.getpid()}.csv")

    def said(kind: str, value: object) -> None:
        print(f"{kind} {value}", flush=True)

    said("ready", round_no)
    n = 0
    staff_id = None
    while True:
        n += 1
        step = n % 4
        if step == 1 or staff_id is None:
            data = StaffInput(f"Crash{round_no}", f"Worker{n}", role, dt.date(2025, 1, 6))
            staff_id = add_staff(db, data, today=TODAY, allow_duplicate=True).ids[0]
            said("staff_member", staff_id)
        elif step == 2:
            done = dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)
            for record in record_training(
                db, staff_id, TrainingInput(course, done), today=TODAY
            ).ids:
                said("training_record", record)
        elif step == 3:
            data_c = ComplaintInput(TODAY, f"Complainant {round_no}-{n}", "Late visit")
            said("complaint", save_complaint(db, data_c, today=TODAY, expected_version=None).ids[0])
        else:
            team = f"batch-{round_no}-{n}"
            rows = [
                f"Imported{round_no}-{n}-{i} Person,Care worker,06/01/2025,{team}"
                for i in range(BATCH)
            ]
            sheet.write_text("Name,Job role,Start date,Team\n" + "\n".join(rows) + "\n")
            report = import_staff(db, sheet, today=TODAY)
            if report.imported == BATCH:
                said("batch", team)
            else:  # pragma: no cover - a bug: say it so the parent counts it
                said("import-problem", report.as_json())


# --------------------------------------------------------------------------- the parent


@dataclass
class Result:
    """What the crash test did and found."""

    kills: int = 0
    writes_checked: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The result in words."""
        out = [
            f"kills: {self.kills}",
            f"writes reported committed and found: {self.writes_checked}",
            f"failures: {len(self.failures)}",
            f"time: {self.seconds:.1f} s",
        ]
        return out + [f"  {f}" for f in self.failures]


def _reader(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        if line.endswith("\n"):  # a line cut off by the kill was not reported whole
            lines.append(line.rstrip("\n"))


def check(database: Path, reported: list[str]) -> tuple[int, list[str]]:
    """How many reported writes were found, and what is wrong with the database."""
    import sqlite3

    from provider_desk.db.changelog import verify_chain
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database

    problems: list[str] = []
    found = 0
    conn = sqlite3.connect(database)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:5]}")
        for line in reported:
            kind, _, value = line.partition(" ")
            if kind in ("staff_member", "training_record", "complaint"):
                row = conn.execute(f"SELECT 1 FROM {kind} WHERE id = ?", (int(value),)).fetchone()
            elif kind == "batch":
                row = conn.execute(
                    "SELECT 1 FROM staff_member WHERE team = ? GROUP BY team HAVING count(*) = ?",
                    (value, BATCH),
                ).fetchone()
            elif kind == "ready":
                continue
            else:
                problems.append(f"the child said: {line[:300]}")
                continue
            if row is None:
                problems.append(f"reported committed but missing: {line}")
            else:
                found += 1
        # Nothing half written: each person has their recruitment checks; each batch is whole.
        checks = {
            n
            for (n,) in conn.execute(
                "SELECT count(c.id) FROM staff_member s LEFT JOIN recruitment_check c "
                "ON c.staff_id = s.id GROUP BY s.id"
            )
        }
        if len(checks) > 1:
            problems.append(f"staff with different numbers of recruitment checks: {checks}")
        partial = conn.execute(
            "SELECT team, count(*) FROM staff_member WHERE team LIKE 'batch-%' "
            "GROUP BY team HAVING count(*) != ?",
            (BATCH,),
        ).fetchall()
        if partial:
            problems.append(f"imports half written: {partial}")
    finally:
        conn.close()
    db = Database(resolve_database_url(str(database)))
    try:
        with db.reading() as s:
            tampered = verify_chain(s)
        if tampered is not None:
            problems.append(f"the change log does not verify from entry {tampered}")
    finally:
        db.dispose()
    return found, problems


def run(database: Path, kills: int, seed: int = 1, *, quiet: bool = False) -> Result:
    """Kill a writing child ``kills`` times, checking the database after each kill."""
    from provider_desk.areas.opening import open_database

    db, _ = open_database(str(database), user="crash.test", create=True)  # created once
    db.dispose()
    rng = random.Random(seed)
    result = Result()
    started = time.perf_counter()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    for round_no in range(1, kills + 1):
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(database), "--round", str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        lines: list[str] = []
        reader = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
        reader.start()
        if rng.random() < 0.1:
            time.sleep(rng.uniform(0.0, 1.0))  # while it starts and opens the database
        else:
            deadline = time.monotonic() + 60
            while not lines and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.6))  # while it writes
        if proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            result.failures.append(f"round {round_no}: the child stopped by itself: {err[-500:]}")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        result.kills += 1
        found, problems = check(database, lines)
        result.writes_checked += found
        result.failures += [f"round {round_no}: {p}" for p in problems]
        if not quiet:
            print(
                f"kill {round_no}: {len(lines) - 1 if lines else 0} writes reported, "
                f"{len(problems)} problems",
                flush=True,
            )
    result.seconds = time.perf_counter() - started
    return result


def main() -> int:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", type=Path, help="default: a new file in a temporary folder")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.round)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or Path(tmp) / "crash.sqlite3"
        result = run(database, args.kills, args.seed)
    print("\n".join(result.lines()))
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
