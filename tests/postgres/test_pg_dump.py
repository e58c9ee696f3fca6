"""`provider-desk backup` on a PostgreSQL database runs the real pg_dump (custom format)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provider_desk.areas.opening import open_database
from provider_desk.cli import main

pytestmark = pytest.mark.postgres


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_backup_runs_pg_dump_into_the_folder(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(pg_url)[0].dispose()
    code = main(["backup", "--database", pg_url, "--to", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    dumps = list(tmp_path.glob("provider-desk-backup-*.dump"))
    assert len(dumps) == 1 and dumps[0].read_bytes().startswith(b"PGDMP")
    assert "pg_dump wrote" in out and "pg_restore" in out
    assert not list(tmp_path.glob("*.part"))
