"""The mapping step every import shares: a file's columns, the fields offered, the guessed
mapping (an ambiguous guess left to ask), and a chosen mapping changing what is imported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from provider_desk.areas import importers
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.staff.queries import list_staff
from provider_desk.cli import main
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.tabular.columns import ASK, IGNORE, column_plan
from provider_desk.tabular.read import COLUMNS, FieldSpec
from tests.conftest import TODAY


def _staff_csv(path: Path, header: str = "Given names,Surname,Job title,Date started,Team") -> Path:
    path.write_text(
        f"{header}\nNgozi,Okafor,Care worker,01/03/2023,North\nEwa,Nowak,Care worker,14/07/2022,"
        "South\n",
        encoding="utf-8",
    )
    return path


def test_every_importer_but_training_offers_its_fields_for_a_mapping_step(tmp_path: Path) -> None:
    path = _staff_csv(tmp_path / "staff.csv")
    for name, importer in importers().items():
        plan = importer.columns(path)
        if name == "training":  # not a report of completions: a matrix, mapped course by course
            assert plan is None
            continue
        assert plan is not None
        assert [c.header for c in plan.columns] == [
            "Given names",
            "Surname",
            "Job title",
            "Date started",
            "Team",
        ]
        assert plan.fields and all(f.label for f in plan.fields)


def test_the_guess_is_the_header_matching_and_an_unknown_heading_is_ignored(
    tmp_path: Path,
) -> None:
    plan = importers()["staff"].columns(_staff_csv(tmp_path / "staff.csv"))
    assert plan is not None
    assert plan.guessed() == {
        "Given names": IGNORE,
        "Surname": "last_name",
        "Job title": "job_role",
        "Date started": "start_date",
        "Team": "team",
    }
    assert plan.header_row == 1 and [c.letter for c in plan.columns] == ["1", "2", "3", "4", "5"]
    assert plan.columns[0].samples == ("Ngozi", "Ewa")
    assert plan.label("start_date") == "Start date"
    assert {f.name for f in plan.fields if f.required} == {"job_role", "start_date"}
    assert plan.problems(plan.guessed()) == []
    # The same headings give the same layout; other headings another.
    again = importers()["staff"].columns(_staff_csv(tmp_path / "again.csv"))
    other = importers()["staff"].columns(
        _staff_csv(tmp_path / "other.csv", "Forename,Surname,Job title,Date started,Team")
    )
    assert again is not None and other is not None
    assert again.layout == plan.layout != other.layout


def test_an_ambiguous_guess_is_asked_not_chosen(tmp_path: Path) -> None:
    # Two columns naming the same field: neither is chosen.
    path = _staff_csv(tmp_path / "staff.csv", "Name,Staff name,Job title,Date started,Team")
    plan = importers()["staff"].columns(path)
    assert plan is not None
    guessed = plan.guessed()
    assert guessed["Name"] == ASK and guessed["Staff name"] == ASK
    assert plan.columns[0].candidates == ("full_name",) and plan.columns[0].ambiguous
    assert len(plan.problems(guessed)) == 2
    # Ignored for the preview until the manager chooses; both mapped to one field is refused.
    assert plan.for_import(guessed)["Name"] == IGNORE
    both = guessed | {"Name": "full_name", "Staff name": "full_name"}
    assert "both mapped to Name" in plan.problems(both)[0]
    assert plan.problems(guessed | {"Name": "full_name", "Staff name": IGNORE}) == []

    # A heading that could be two fields: both offered, neither chosen.
    specs = (
        FieldSpec("manager", "Manager", ("boss",)),
        FieldSpec("supervisor", "Supervisor", ("boss",)),
        FieldSpec("name", "Name"),
        FieldSpec("date", "Date"),
    )
    path.write_text("Title of the list\nName,Date,Boss\nAmy,01/01/2026,Dawn\n", encoding="utf-8")
    plan = column_plan(path, specs)
    assert plan.header_row == 2
    boss = plan.columns[2]
    assert boss.guess == ASK and boss.candidates == ("manager", "supervisor")
    assert "Manager or Supervisor" in plan.problems(plan.guessed())[0]


def test_a_file_with_no_heading_recognised_still_lists_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Our people"])
    ws.append(["Christian name", "Family", "Post held", "Began"])
    ws.append(["Amy", "Smith", "Care worker", "01/02/2024"])
    wb.save(path)
    plan = importers()["staff"].columns(path)
    assert plan is not None
    assert plan.header_row == 2 and [c.letter for c in plan.columns] == ["A", "B", "C", "D"]
    assert set(plan.guessed().values()) == {IGNORE}


def test_a_mapping_changes_what_is_imported(db: Database, tmp_path: Path) -> None:
    path = _staff_csv(tmp_path / "staff.csv")
    unmapped = import_staff(db, path, today=TODAY, dry_run=True)
    assert unmapped.imported == 0 and unmapped.skipped  # no first names: nobody can be added
    plan = importers()["staff"].columns(path)
    assert plan is not None
    mapping = plan.for_import(plan.guessed() | {"Given names": "first_name", "Team": IGNORE})
    report = import_staff(db, path, today=TODAY, mapping=mapping)
    assert report.imported == 2 and not report.skipped
    staff = {(m.first_name, m.last_name): m for m in list_staff(db)}
    assert set(staff) == {("Ngozi", "Okafor"), ("Ewa", "Nowak")}
    assert staff["Ngozi", "Okafor"].team == ""  # the Team column was ignored on purpose
    assert report.columns == {
        "Given names": "first_name",
        "Surname": "last_name",
        "Job title": "job_role",
        "Date started": "start_date",
    }
    # The preview shows every mapped field of each row, not only the name.
    first = report.planned[0]
    assert dict(first.cells) == {
        "first_name": "Ngozi",
        "last_name": "Okafor",
        "job_role": "Care worker",
        "start_date": "01/03/2023",
    }


def test_missing_columns_ask_for_a_mapping_and_the_command_line_names_map(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _staff_csv(tmp_path / "staff.csv", "Given names,Surname,Job title,Began,Team")
    with pytest.raises(ValidationError) as caught:
        import_staff(db, path, today=TODAY)
    assert caught.value.field == COLUMNS
    assert "--map" not in caught.value.message and "map a column to it" in caught.value.message
    args = ["import", "staff", str(path), "--database", str(db_path), "--dry-run"]
    assert main(args) != 0
    assert '--map "Your column=field"' in capsys.readouterr().err
    mapped = [*args, "--map", "Began=start_date", "--map", "Given names=first_name"]
    assert main([*mapped, "--map", "Team=ignore"]) == 0


def test_a_report_of_completions_has_the_mapping_step_and_a_matrix_its_own(
    db: Database, tmp_path: Path
) -> None:
    from provider_desk.areas.training.queries import training_records
    from tests.conftest import new_staff

    new_staff(db, "Amy", "Smith")
    training = importers()["training"]
    report = tmp_path / "completions.csv"
    report.write_text(
        "Name,Course,Date,Completed,Qualification level\n"
        "Amy Smith,Fire safety,01/02/2026,01/03/2026,2\n",
        encoding="utf-8",
    )
    plan = training.columns(report)
    assert plan is not None
    assert plan.guessed() == {
        "Name": "full_name",
        "Course": "course",
        "Date": ASK,  # Date and Completed both name the completion date: asked
        "Completed": ASK,
        "Qualification level": IGNORE,
    }
    mapping = plan.for_import(plan.guessed() | {"Date": IGNORE, "Completed": "completed_on"})
    done = training.run(db, report, today=TODAY, mapping=mapping)
    assert done.imported == 1
    (record,) = training_records(db)
    assert record.completed_on.isoformat() == "2026-03-01"  # from Completed, as mapped

    matrix = tmp_path / "matrix.csv"
    matrix.write_text("Name,Fire,Lifting stuff\nAmy Smith,01/02/2026,\n", encoding="utf-8")
    assert training.columns(matrix) is None
