"""Cold start of Provider Desk on the large demo database, against a bare PySide6 window with a
table started the same way in the same run. Prints both medians and the ratio (goal <= 1.3x).

    python benchmarks/startup.py [--runs 7]

Runs alternate between the two so that a noisy machine slows both alike. "Started" means: the
process has opened and migrated the database, shown the main window, loaded every page in the
background and gone idle, then exited.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = tmp
        database = Path(tmp) / "large.sqlite3"
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ui.launcher",
                "demo",
                "--database",
                str(database),
                "--size",
                "large",
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        print(f"large demo database built in {time.perf_counter() - t:.1f} s")
        app = [
            sys.executable,
            "-m",
            "ui.launcher",
            "--database",
            str(database),
            "--exit-after-start",
        ]
        bare = [sys.executable, str(HERE / "_bare_window.py")]
        timed(app, env)  # warm the OS file cache for both, as a manager's second start would
        timed(bare, env)
        app_times, bare_times = [], []
        for _ in range(args.runs):
            app_times.append(timed(app, env))
            bare_times.append(timed(bare, env))
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    print(f"bare PySide6 window + table: median {bare_median * 1000:.0f} ms over {args.runs} runs")
    print(f"Provider Desk (large demo):  median {app_median * 1000:.0f} ms over {args.runs} runs")
    print(f"ratio: {app_median / bare_median:.2f}x (goal <= 1.3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
