"""The provider-desk command: same validation and messages as the GUI, JSON for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.queries import list_staff
from provider_desk.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_current_export_import_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.sqlite3")
    code, out, _ = run(capsys, "demo", "--database", db, "--seed", "4")
    assert code == 0 and "40 staff in post" in out
    code, out, _ = run(capsys, "db", "current", "--database", db)
    assert code == 0
    lines = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    assert lines["schema"].strip() == lines["program"].strip()
    out_file = tmp_path / "staff.xlsx"
    code, out, _ = run(capsys, "export", "staff", "--out", str(out_file), "--database", db)
    assert code == 0 and out_file.exists()
    code, out, _ = run(capsys, "import", "staff", str(out_file), "--database", db, "--json")
    result = json.loads(out)
    assert code == 0 and result["imported"] == 0 and result["skipped"] == []
    assert result["unchanged"] > 40
    backup = tmp_path / "backup.sqlite3"
    code, out, _ = run(capsys, "db", "backup", "--out", str(backup), "--database", db)
    assert code == 0 and backup.exists()


def test_demo_refuses_a_database_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.sqlite3")
    run(capsys, "demo", "--database", db)
    code, _, err = run(capsys, "demo", "--database", db)
    assert code == 2 and "already has staff" in err


def test_import_dry_run_map_and_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "t.sqlite3")
    open_database(db, create=True)[0].dispose()
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(
        "Name,Grade,Start date\nAmy Smith,Care worker,01/02/2024\n"
        "Bob Jones,Care worker,31/02/2024\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", "staff", str(csv_file), "--database", db)
    assert code == 2 and "Job role" in err
    code, out, _ = run(
        capsys,
        "import",
        "staff",
        str(csv_file),
        "--database",
        db,
        "--map",
        "Grade=job_role",
        "--dry-run",
    )
    assert code == 0 and "Would import 1 new" in out and "line 3" in out
    opened, _ = open_database(db, create=True)
    assert list_staff(opened) == []
    opened.dispose()
    code, out, _ = run(
        capsys,
        "import",
        "staff",
        str(csv_file),
        "--database",
        db,
        "--map",
        "Grade=job_role",
        "--json",
    )
    assert json.loads(out)["skipped"] == [
        {
            "where": "line 3",
            "reason": "Start date: '31/02/2024' is not a real date (check the day and month).",
        }
    ]


def test_environment_variable_chooses_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("PROVIDER_DESK_DATABASE_URL", str(db))
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and str(db) in out and db.exists()


def test_newer_database_is_refused_with_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.sqlite3"
    opened, _ = open_database(str(db), create=True)
    with opened.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fromthefuture'"))
    opened.dispose()
    code, _, err = run(capsys, "db", "upgrade", "--database", str(db))
    assert code == 2 and "newer version" in err and "Install the latest" in err


def test_export_to_an_unknown_type_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(str(tmp_path / "t.sqlite3"), create=True)[0].dispose()
    code, _, err = run(
        capsys,
        "export",
        "staff",
        "--out",
        str(tmp_path / "staff.pdf"),
        "--database",
        str(tmp_path / "t.sqlite3"),
    )
    assert code == 2 and ".csv or .xlsx" in err
    assert not list(tmp_path.glob("*staff*"))


def test_commands_work_out_what_is_due_as_on_the_day_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    db = str(tmp_path / "demo.sqlite3")
    code, _, _ = run(capsys, "demo", "--database", db, "--today", "23/11/2026")
    assert code == 0

    def statuses(day: str) -> list[str]:
        out_file = tmp_path / f"actions-{day.replace('/', '-')}.csv"
        code, _, _ = run(
            capsys, "export", "actions", "--out", str(out_file), "--database", db, "--today", day
        )
        assert code == 0
        with out_file.open(encoding="utf-8-sig", newline="") as f:
            return [row["status"] for row in csv.DictReader(f)]

    on_the_day, years_later = statuses("23/11/2026"), statuses("2030-11-23")
    assert len(on_the_day) == len(years_later) > 0
    assert years_later.count("overdue") > on_the_day.count("overdue") > 0
    with pytest.raises(SystemExit) as exit_code:
        main(["export", "actions", "--out", "x.csv", "--today", "31/02/2026"])
    assert exit_code.value.code == 2
    assert "--today: '31/02/2026' is not a real date" in capsys.readouterr().err


def test_the_summary_counts_rows_once_and_problems_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row saved with one detail refused (an unknown line manager, a bad date in one cell of
    a matrix) is not a row not imported; a row with two problems is one row; words agree with
    their numbers."""
    db = str(tmp_path / "t.sqlite3")
    open_database(db, create=True)[0].dispose()
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "Name,Job role,Start date,Line manager\n"
        "Amy Smith,Astronaut,01/02/2024,\n"
        "Bob Jones,Care worker,01/02/2024,Nobody Here\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", "staff", str(staff), "--database", db)
    assert code == 0
    assert out.splitlines()[0] == (
        "Imported 1 new, 0 updated, 0 unchanged; 0 conflicts, 1 row not imported (2 problems)."
    )
    matrix = tmp_path / "training.csv"
    matrix.write_text(
        "Name,Fire safety,Basic life support,Infection control\n"
        "Bob Jones,01/02/2024,31/02/2024,32/01/2024\n"
        "Zed Qu,01/02/2024,31/02/2024,\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", "training", str(matrix), "--database", db, "--dry-run")
    assert out.splitlines()[0] == (
        "Would import 1 new, 0 updated, 0 unchanged; 0 conflicts, 1 row not imported (3 problems)."
    )


@pytest.mark.parametrize("dry_run", [True, False])
def test_import_into_a_database_that_does_not_exist_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    db = tmp_path / "typo" / "t.sqlite3"
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("Name,Job role,Start date\nAmy Smith,Care worker,01/02/2024\n")
    args = ["import", "staff", str(csv_file), "--database", str(db)]
    code, out, err = run(capsys, *args, *(["--dry-run"] if dry_run else []))
    assert code == 2 and out == ""
    assert f"There is no database at {db}" in err and "provider-desk db upgrade" in err
    assert not db.exists() and not db.parent.exists()
