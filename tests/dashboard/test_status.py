"""`provider-desk status`: the home page's figures as text or JSON, read in one transaction, from a
database that must already exist."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from provider_desk.cli import main
from provider_desk.dashboard import status
from provider_desk.db.session import Database
from provider_desk.resources import quality_statements
from tests.conftest import TODAY
from tests.dashboard.test_figures import build_service

CARDS = {
    "training": {"expired", "due_soon", "missing"},
    "recruitment": {"missing"},
    "supervision": {"overdue", "due_soon"},
    "care_plans": {"review_overdue", "no_current_plan"},
    "risk_assessments": {"review_overdue"},
    "complaints": {"acknowledgement_overdue", "response_overdue", "open"},
    "audits": {"overdue", "due_soon"},
    "actions": {"overdue", "open"},
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json_has_the_names_scripts_rely_on(db: Database) -> None:
    build_service(db)
    data = status(db, TODAY)
    assert data["as_of"] == "2026-11-23"
    for card, names in CARDS.items():
        assert names <= set(data[card]), card
        assert all(type(data[card][n]) is int for n in names), card
    kq = {q.key_question for q in quality_statements()}
    assert set(data["readiness"]) == kq == {"safe", "effective", "caring", "responsive", "well-led"}
    for question, statements in data["readiness"].items():
        assert set(statements) == {q.id for q in quality_statements() if q.key_question == question}
        assert set(statements.values()) <= {"green", "amber", "red"}
    assert data["actions"] == {"overdue": 1, "open": 3, "due_soon": 1}
    json.dumps(data)  # plain JSON


def test_status_reads_in_one_transaction(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    build_service(db)
    opened = []
    reading = Database.reading

    @contextmanager
    def counted(self: Database) -> Iterator[Session]:
        opened.append(1)
        with reading(self) as s:
            yield s

    monkeypatch.setattr(Database, "reading", counted)
    status(db, TODAY)
    assert len(opened) == 1


def test_cli_status_today_moves_due_soon_to_overdue(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_service(db)
    db.dispose()
    where = ("--database", str(db_path))
    code, out, err = run(capsys, "status", "--json", *where, "--today", "2026-11-23")
    assert code == 0, err
    now = json.loads(out)
    assert now["as_of"] == "2026-11-23"
    assert (now["actions"]["overdue"], now["actions"]["due_soon"]) == (1, 1)
    assert (now["training"]["expired"], now["training"]["due_soon"]) == (1, 1)
    assert (now["audits"]["overdue"], now["audits"]["due_soon"]) == (8, 1)
    # Three weeks on: the fire drill (10 Dec), moving and handling (expired 14 Dec) and the
    # medication audit (2 Dec) are late.
    code, out, _ = run(capsys, "status", "--json", *where, "--today", "16/12/2026")
    later = json.loads(out)
    assert code == 0 and later["as_of"] == "2026-12-16"
    assert (later["actions"]["overdue"], later["actions"]["due_soon"]) == (2, 0)
    assert (later["training"]["expired"], later["training"]["due_soon"]) == (2, 0)
    assert (later["audits"]["overdue"], later["audits"]["due_soon"]) == (9, 0)
    assert set(CARDS) | {"as_of", "readiness"} <= set(later)


def test_cli_status_text_is_a_short_summary(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_service(db)
    db.dispose()
    code, out, _ = run(capsys, "status", "--database", str(db_path), "--today", "2026-11-23")
    assert code == 0
    assert "as on 23 Nov 2026" in out
    assert "Training:          1 expired" in out
    assert "Action plan:       1 overdue, 3 not done" in out
    assert "Complaints:        1 acknowledgement overdue, 1 response overdue, 4 open" in out
    assert "Inspection readiness (24 Nov 2025 to 23 Nov 2026):" in out
    assert "Most urgent:" in out


def test_cli_status_never_creates_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "care.sqlite3"
    code, out, err = run(capsys, "status", "--database", str(missing))
    assert code == 2 and out == ""
    assert f"There is no database at {missing}" in err
    assert not missing.exists() and not missing.parent.exists()


def test_cli_status_refuses_what_is_not_a_provider_desk_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("shopping list: milk, eggs\n" * 100)
    code, _, err = run(capsys, "status", "--json", "--database", str(junk))
    assert code == 2 and "cannot be read as a Provider Desk database" in err
    other = tmp_path / "other.sqlite3"
    with Database(f"sqlite:///{other}").engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (body TEXT)"))
    code, _, err = run(capsys, "status", "--database", str(other))
    assert code == 2 and "is not a Provider Desk database" in err


def test_cli_status_asks_for_an_upgrade_first(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000older'"))
    db.dispose()
    code, _, err = run(capsys, "status", "--database", str(db_path))
    assert code == 2 and "provider-desk db upgrade" in err
