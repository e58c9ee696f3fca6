"""A short form of benchmarks/crash.py (slow): a child writing through the services is killed
with SIGKILL at random moments; the database stays whole and keeps every reported commit."""

from __future__ import annotations

import importlib.util
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from provider_desk.db.session import Database
from tests.conftest import new_staff

ROOT = Path(__file__).resolve().parents[2]


def _crash_module() -> Any:
    spec = importlib.util.spec_from_file_location("crash", ROOT / "benchmarks" / "crash.py")
    assert spec is not None and spec.loader is not None
    crash = importlib.util.module_from_spec(spec)
    sys.modules["crash"] = crash
    spec.loader.exec_module(crash)
    return crash


def test_the_check_finds_a_lost_write_a_half_import_and_an_altered_log(
    db: Database, db_path: Path
) -> None:
    crash = _crash_module()
    staff = new_staff(db)
    assert crash.check(db_path, ["ready 1", f"staff_member {staff}"]) == (1, [])
    found, problems = crash.check(db_path, [f"staff_member {staff + 100}", "batch batch-1-4"])
    assert found == 0
    assert problems == [
        f"reported committed but missing: staff_member {staff + 100}",
        "reported committed but missing: batch batch-1-4",
    ]
    new_staff(db, "Half", "Batch", team="batch-9-9")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE change_log SET who = 'someone else' WHERE id = 1"))
    _, problems = crash.check(db_path, [])
    assert problems == [
        "imports half written: [('batch-9-9', 1)]",
        "the change log does not verify from entry 1",
    ]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_killed_writers_leave_a_whole_database(tmp_path: Path) -> None:
    crash = _crash_module()
    result = crash.run(tmp_path / "crash.sqlite3", kills=15, seed=7, quiet=True)
    assert result.kills == 15
    assert result.failures == []
    assert result.writes_checked >= 5  # the kills came while it was writing
