"""Cold start of Provider Desk on the large demo database, against a bare PySide6 window with a
table started the same way in the same run.

    python benchmarks/startup.py [--runs 7] [--database large.sqlite3] [--sizes large huge]

Each run starts a fresh process (``provider-desk --exit-after-start``) and times, from the
parent, the moments the process reports on stderr:

1. **window painted**: the frame (navigation, menus, the first page's "Loading…") has been
   painted; nothing but PySide6 and a few small modules of ours are imported by then;
2. **first page's data shown**: after the first paint a worker thread imports SQLAlchemy and
   the home page, opens (and, if need be, migrates) the database; the GUI thread then builds the
   Home page, a worker reads its data (the cards, the to-do list, readiness) in one snapshot, and
   the page is filled and painted. Its icons are still blank then (qtawesome's fonts load next);
3. **charts shown**: the Home page's month-by-month charts, read after the rest of the page.

The database has no user accounts, so no sign-in dialog comes first (one that had them would
stop at the dialog: "sign-in shown"). The change-log check at open waits until the first
page's data is shown, and runs on the export worker.

Each is divided by the bare window's first paint (``_bare_window.py``), measured in alternate
runs so that a noisy machine slows both alike (goals: painted <= 1.3x, data <= 2.5x). For scale it
also times a fresh Python that imports PySide6, SQLAlchemy's ORM and our models and stops
(nothing shown, nothing read): what any first page read through SQLAlchemy has paid before it
starts. The
process then loads the icons (qtawesome is imported on a worker, its fonts on the GUI thread),
goes idle and exits; that total is printed too. Before timing, one ``python -X importtime``
start lists the modules imported before the first paint. The database given is copied first,
so it is never changed. Without one it runs on the large and the huge demo (built once, kept
under the temporary folder) and ends with how each figure grows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARKS = "PROVIDER_DESK_STARTUP_MARKS"
STACK = (
    "import sys, PySide6.QtWidgets, sqlalchemy.orm, provider_desk.areas.opening; "
    "sys.stderr.write('startup: imported\\n'); sys.stderr.flush()"
)


def timed(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from the start of ``cmd`` to each ``startup: <what>`` line, and to its exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    seen: dict[str, float] = {}
    for line in proc.stderr:
        if line.startswith("startup: "):
            seen[line[len("startup: ") :].strip()] = time.perf_counter() - start
    if proc.wait() != 0:
        raise SystemExit(f"{cmd} failed with {proc.returncode}")
    seen["exit"] = time.perf_counter() - start
    return seen


def imported_before_paint(cmd: list[str], env: dict[str, str]) -> list[str]:
    """Top-level packages and our own modules imported before the first paint."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd[1:]],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    ).stderr
    ours, packages = [], set()
    for line in out.splitlines():
        if line.startswith("startup: painted"):
            break
        if not line.startswith("import time:") or "imported package" in line:
            continue
        name = line.rsplit("|", 1)[1].strip()
        if name.startswith(("provider_desk", "ui")):
            ours.append(name)
        elif not name.startswith("_"):
            packages.add(name.split(".")[0])
    third = sorted(p for p in packages if p not in sys.stdlib_module_names)
    return [f"ours: {', '.join(sorted(ours))}", f"third-party: {', '.join(third)}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", help="a demo database to copy (default: the demos)")
    parser.add_argument("--sizes", nargs="+", default=["large", "huge"], choices=["large", "huge"])
    args = parser.parse_args()
    if args.database:
        measure(Path(args.database), "given", args.runs)
        return 0
    sys.path.insert(0, str(ROOT))
    from benchmarks._large_demo import demo_database, print_growth
    from provider_desk import clock

    figures = {}
    for size in args.sizes:
        print(f"\n== {size} demo")
        figures[size] = measure(demo_database(size, clock.today()), size, args.runs)
    print_growth(figures, args.sizes)
    return 0


def measure(source: Path, size: str, runs_wanted: int) -> dict[str, float]:
    """Start the app on a copy of ``source`` and the bare window, alternately."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env[MARKS] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = tmp
        database = Path(tmp) / "demo.sqlite3"
        shutil.copyfile(source, database)
        app = [sys.executable, "-m", "ui.launcher", "--database", str(database)]
        app.append("--exit-after-start")
        bare = [sys.executable, str(HERE / "_bare_window.py")]
        # What a first read through SQLAlchemy pays before it starts: the interpreter, PySide6,
        # SQLAlchemy's ORM and our models imported (nothing shown, nothing read).
        stack = [sys.executable, "-c", STACK]
        timed(app, env)  # warm the OS file cache for both, as a manager's second start would
        timed(bare, env)
        print("imported before the first paint:")
        for line in imported_before_paint(app, env):
            print(f"  {line}")
        runs: list[dict[str, float]] = []
        bare_runs: list[dict[str, float]] = []
        stack_runs: list[dict[str, float]] = []
        for _ in range(runs_wanted):
            runs.append(timed(app, env))
            bare_runs.append(timed(bare, env))
            stack_runs.append(timed(stack, env))

    def median(rs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rs)

    floor = median(bare_runs, "painted")
    painted, data = median(runs, "painted"), median(runs, "first page shown")
    print(f"medians over {runs_wanted} runs ({size} demo), as ratios to the bare window:")
    print(f"  bare PySide6 window + table painted:  1.00x  (the floor: {floor * 1000:.0f} ms)")
    print(f"  Provider Desk window painted:         {painted / floor:.2f}x  (goal <= 1.3x)")
    print(f"  first page's data shown (Home):       {data / floor:.2f}x  (goal <= 2.5x)")
    imported = median(stack_runs, "imported")
    print(
        f"  (for scale: Python, PySide6, SQLAlchemy's ORM and our models imported, nothing "
        f"shown or read: {imported / floor:.2f}x)"
    )
    if all("charts shown" in r for r in runs):
        charts = median(runs, "charts shown")
        print(f"  ... and the Home page's charts:       {charts / floor:.2f}x")
    print(f"  icons loaded, idle and exited:        {median(runs, 'exit') / floor:.2f}x")
    return {
        "stack imported ratio": imported / floor,
        "window painted ratio": painted / floor,
        "first page's data shown ratio": data / floor,
        "first page's data shown ms": data * 1000,
    }


if __name__ == "__main__":
    sys.exit(main())
