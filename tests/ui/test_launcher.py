"""The real `provider-desk` start-up path: open, migrate, show the window, go idle, quit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.queries import list_staff
from provider_desk.cli import main as core_main
from ui.launcher import main


def test_gui_starts_on_a_new_database_and_creates_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = tmp_path / "office" / "care.sqlite3"
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    # A named file that is not there: the app asks before creating it.
    monkeypatch.setattr(QMessageBox, "question", yes)
    assert main(["--database", str(path), "--exit-after-start"]) == 0
    assert len(asked) == 1 and f"No database at {path}." in asked[0]
    db, result = open_database(str(path), create=True)
    assert not result.upgraded and list_staff(db) == []
    db.dispose()


def test_demo_opens_a_throwaway_database(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert main(["--demo", "--exit-after-start"]) == 0
    (demo,) = tmp_path.glob("provider-desk-demo-*/demo.sqlite3")
    db, _ = open_database(str(demo), create=True)
    assert len(list_staff(db)) == 40
    db.dispose()


def test_core_cli_without_the_gui_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert core_main([]) == 2
    assert "not available" in capsys.readouterr().err


def test_subcommands_work_through_the_launcher(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "--database", str(tmp_path / "x.sqlite3")]) == 0
    assert "latest" in capsys.readouterr().out


def test_the_database_opens_after_the_first_paint_and_a_no_creates_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = tmp_path / "mistyped.sqlite3"
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    assert main(["--database", str(path), "--exit-after-start"]) == 1
    assert not path.exists()


def test_a_newer_database_is_explained_and_nothing_starts(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import text

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = tmp_path / "newer.sqlite3"
    db, _ = open_database(str(path), create=True)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fromthefuture'"))
    db.dispose()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert main(["--database", str(path), "--exit-after-start"]) == 1
    assert len(shown) == 1 and "newer version of Provider Desk" in shown[0]
