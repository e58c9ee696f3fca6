"""Data migrations for issue 18: new shipped defaults reach a database only where the provider
never changed the old ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, text

from provider_desk.db import migrate
from provider_desk.db.engine import make_engine


@contextmanager
def at_revision(path: Path, revision: str) -> Iterator[Connection]:
    """A database migrated to ``revision``, open for writing rows as that schema had them."""
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with migrate.migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        yield conn
    engine.dispose()


def upgrade_to_head(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, backup=False)
    engine.dispose()


def _kind(conn: Connection, kind: str, months: int, version: int) -> None:
    conn.execute(
        text(
            "INSERT INTO supervision_kind (kind, name, interval_months, milestones_months, "
            "has_outcome, sections, note, created_at, updated_at, created_by, updated_by, "
            "version) VALUES (:kind, :kind, :months, '', 1, 'x', 'old note', "
            "'2026-01-01', '2026-01-01', '', '', :version)"
        ),
        {"kind": kind, "months": months, "version": version},
    )


def test_spot_checks_move_to_3_months_only_where_never_changed(tmp_path: Path) -> None:
    shipped, chosen = tmp_path / "shipped.sqlite3", tmp_path / "chosen.sqlite3"
    with at_revision(shipped, "9d5aeae77f76") as conn:
        _kind(conn, "spot check", 6, version=1)  # seeded, never saved
        _kind(conn, "supervision", 6, version=1)  # not a spot check: untouched
    with at_revision(chosen, "9d5aeae77f76") as conn:
        _kind(conn, "spot check", 6, version=3)  # the provider saved 6 on purpose
    upgrade_to_head(shipped)
    upgrade_to_head(chosen)
    engine = make_engine(f"sqlite:///{shipped}")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT kind, interval_months FROM supervision_kind")).all())
        note = conn.execute(
            text("SELECT note FROM supervision_kind WHERE kind = 'spot check'")
        ).scalar_one()
    engine.dispose()
    assert rows == {"spot check": 3, "supervision": 6}
    assert "QS123" in note
    engine = make_engine(f"sqlite:///{chosen}")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT interval_months FROM supervision_kind")).scalar_one()
    engine.dispose()
    assert kept == 6
