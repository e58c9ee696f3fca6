"""Migrations: one head, models match them, upgrades keep data and back up first, newer refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from provider_desk.areas.models import Base
from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.queries import list_staff
from provider_desk.db import migrate
from provider_desk.db.backup import backup_sqlite
from provider_desk.db.schema import HEAD_REVISION
from provider_desk.db.session import Database
from provider_desk.errors import SchemaTooNewError
from tests.conftest import new_staff

SECOND_REVISION = '''"""test-only: add a column"""
import sqlalchemy as sa
from alembic import op

revision = "feedbeef0002"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("nickname")
'''


def test_single_head_and_the_program_knows_it() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    assert script.get_current_head() == HEAD_REVISION, (
        "a new migration was added: set HEAD_REVISION in provider_desk/db/schema.py to its id"
    )


def test_models_match_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_empty_database_is_created_at_head(db_path: Path) -> None:
    db, result = open_database(str(db_path), create=True)
    assert (result.from_revision, result.to_revision) == (None, migrate.head_revision())
    assert result.backup is None
    db.dispose()
    db, again = open_database(str(db_path), create=True)
    assert not again.upgraded
    db.dispose()


def test_upgrade_with_data_backs_up_first(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_staff(db)
    db.dispose()
    newer = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, newer)
    (newer / "versions" / "feedbeef0002_add_nickname.py").write_text(
        SECOND_REVISION.format(head=migrate.head_revision())
    )
    old_head = migrate.head_revision()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", newer)
    monkeypatch.setattr("provider_desk.areas.opening.HEAD_REVISION", "feedbeef0002")

    upgraded, result = open_database(str(db_path), create=True)
    assert (result.from_revision, result.to_revision) == (old_head, "feedbeef0002")
    assert result.backup is not None and result.backup.exists()
    with sqlite3.connect(result.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
        assert old.execute("SELECT first_name FROM staff_member").fetchall() == [("Amy",)]
    with upgraded.engine.connect() as conn:
        assert conn.execute(text("SELECT first_name, nickname FROM staff_member")).all() == [
            ("Amy", "")
        ]
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert [r.full_name for r in list_staff(upgraded)] == ["Amy Smith"]
    upgraded.dispose()


def test_newer_schema_is_refused_untouched(db: Database, db_path: Path) -> None:
    new_staff(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fromthefuture'"))
    db.dispose()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError) as info:
        open_database(str(db_path), create=True)
    assert "newer version of Provider Desk" in str(info.value)
    assert "Install the latest" in info.value.advice
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob("*.before-*"))


def test_backup_is_consistent_and_atomic(db: Database, db_path: Path, tmp_path: Path) -> None:
    new_staff(db)
    target = backup_sqlite(db_path, tmp_path / "copy.sqlite3")
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM staff_member").fetchone() == (1,)
    assert not list(tmp_path.glob("*.part"))
