"""PostgreSQL databases are backed up with pg_dump: the command, and what happens when it is
missing, fails or succeeds (a stand-in for pg_dump; the real one runs in tests/postgres)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest

from provider_desk.backup.server import dump_server, pg_dump_command
from provider_desk.errors import StorageError

URL = "postgresql+psycopg://care:s3cret@office-server:5433/care?sslmode=require"
NOW = dt.datetime(2026, 12, 3, 14, 5, 12, tzinfo=dt.UTC)


def test_the_password_never_goes_on_the_command_line() -> None:
    args, password = pg_dump_command(URL, Path("/b/x.dump"), "/usr/bin/pg_dump")
    assert password == "s3cret"
    assert not any("s3cret" in a for a in args)
    assert args[:3] == ["/usr/bin/pg_dump", "--format=custom", "--no-password"]
    assert "--file=/b/x.dump" in args
    assert "--dbname=postgresql://care@office-server:5433/care?sslmode=require" in args


def test_no_pg_dump_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as info:
        dump_server(URL, tmp_path, now=NOW, which=lambda _n: None)
    assert "pg_dump is not installed" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_pg_dump_leaves_nothing(tmp_path: Path) -> None:
    def run(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        Path(args[3].removeprefix("--file=")).write_bytes(b"half")
        assert kw["env"]["PGPASSWORD"] == "s3cret"
        return subprocess.CompletedProcess(args, 1, "", "pg_dump: error: connection refused\n")

    with pytest.raises(StorageError) as info:
        dump_server(URL, tmp_path, now=NOW, which=lambda _n: "/x/pg_dump", run=run)
    assert "connection refused" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_successful_pg_dump_appears_under_its_name(tmp_path: Path) -> None:
    def run(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        Path(args[3].removeprefix("--file=")).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(args, 0, "", "")

    made = dump_server(URL, tmp_path, now=NOW, which=lambda _n: "/x/pg_dump", run=run)
    assert made.name == "provider-desk-backup-2026-12-03-140512.dump"
    assert [p.name for p in tmp_path.iterdir()] == [made.name]
