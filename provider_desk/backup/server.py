"""Backing up a PostgreSQL database: with ``pg_dump``, which belongs to the server's tools."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from provider_desk.errors import StorageError

PG_DUMP_EXPLAINED = (
    "This database is on a PostgreSQL server. Its backups are made with pg_dump, PostgreSQL's "
    "own backup program: it writes a consistent copy of the whole database while people keep "
    "working. The server's administrator should run it every night (and keep copies away from "
    "the server); from this PC, `provider-desk backup` runs it for you when pg_dump is "
    "installed here, and `pg_restore` puts such a file back."
)

Run = Callable[..., "subprocess.CompletedProcess[str]"]


def dump_name(now: dt.datetime) -> str:
    """``provider-desk-backup-2026-12-03-140512.dump``."""
    return f"provider-desk-backup-{now:%Y-%m-%d-%H%M%S}.dump"


def pg_dump_command(url: str, target: Path, pg_dump: str = "pg_dump") -> tuple[list[str], str]:
    """The pg_dump command line (custom format) for a SQLAlchemy URL, and the password to pass
    in ``PGPASSWORD`` (never on the command line, where other users of the PC could see it)."""
    u = make_url(url)
    password = u.password or ""
    # URL.set(password=None) keeps the password; the named tuple's _replace clears it.
    plain = u._replace(drivername="postgresql", password=None)
    return (
        [
            pg_dump,
            "--format=custom",
            "--no-password",
            f"--file={target}",
            f"--dbname={plain.render_as_string(hide_password=False)}",
        ],
        str(password),
    )


def dump_server(
    url: str,
    folder: Path,
    *,
    now: dt.datetime,
    which: Callable[[str], str | None] | None = None,
    run: Run | None = None,
) -> Path:
    """Run pg_dump into ``folder``; the file appears only when pg_dump succeeded.

    Raises:
        StorageError: pg_dump is not installed here, or it failed (with its own words).
    """
    program = (which or shutil.which)("pg_dump")
    if program is None:
        raise StorageError(
            "pg_dump is not installed on this PC, so no backup was made from here.",
            "Install the PostgreSQL client tools (the same major version as the server), or ask "
            "whoever runs the server to check its nightly pg_dump backups.",
        )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / dump_name(now)
    part = target.with_name(target.name + ".part")
    args, password = pg_dump_command(url, part, program)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password
    try:
        result = (run or subprocess.run)(
            args, env=env, capture_output=True, text=True, timeout=3600
        )
    except (OSError, subprocess.SubprocessError) as exc:
        part.unlink(missing_ok=True)
        raise StorageError(f"pg_dump could not be run: {exc}.", "") from exc
    if result.returncode != 0 or not part.exists():
        part.unlink(missing_ok=True)
        said = (result.stderr or "").strip().splitlines()
        raise StorageError(
            "pg_dump failed, so no backup was made"
            + (f": {said[-1]}." if said else f" (exit {result.returncode})."),
            "Check the server is reachable and that this login may read every table; a "
            "pg_dump older than the server refuses to run (install a matching one).",
        )
    os.replace(part, target)
    return target
