"""Demo data is realistic enough to show every state; exports never leave half a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.areas.staff.exports import export_staff
from provider_desk.areas.staff.queries import list_staff
from provider_desk.db.session import Database
from provider_desk.demo import generate
from provider_desk.errors import StorageError
from provider_desk.settings.queries import get_settings
from provider_desk.tabular.write import atomic_path
from tests.conftest import TODAY


def test_small_demo_shows_every_state(db: Database) -> None:
    counts = generate(db, size="small", seed=2, today=TODAY)
    staff = list_staff(db, include_left=True)
    current = [r for r in staff if r.status != "left"]
    assert counts["staff"] == len(current) == 40
    assert any(r.needs_attention for r in current)
    assert any(not r.needs_attention for r in current)
    assert any(r.status == "left" for r in staff)
    statuses = {a.status for a in list_actions(db, TODAY)}
    assert {ActionStatus.OVERDUE, ActionStatus.DONE} <= statuses
    assert get_settings(db).provider_name.endswith("(demo)")
    assert all(r.start_date <= TODAY for r in staff)
    assert all(r.leaving_date is None or r.start_date <= r.leaving_date <= TODAY for r in staff)


def test_same_seed_same_demo(db: Database, tmp_path: Path) -> None:
    from provider_desk.areas.opening import open_database

    other, _ = open_database(str(tmp_path / "other.sqlite3"), create=True)
    generate(db, seed=9, today=TODAY)
    generate(other, seed=9, today=TODAY)
    assert [r.sort_name for r in list_staff(db)] == [r.sort_name for r in list_staff(other)]
    other.dispose()


def test_xlsx_export_has_real_dates_and_a_frozen_header(db: Database, tmp_path: Path) -> None:
    generate(db, seed=2, today=TODAY)
    out = tmp_path / "staff.xlsx"
    n = export_staff(db, out, include_left=False)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws.max_row == n + 1 and ws.freeze_panes == "A2"
    assert ws["A1"].value == "first_name" and ws["A1"].font.bold
    assert isinstance(ws["G2"].value, dt.datetime) and ws["G2"].number_format == "DD/MM/YYYY"


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "staff.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk went away")
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_missing_drive_is_a_storage_error(db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        export_staff(db, blocker / "staff.csv")
