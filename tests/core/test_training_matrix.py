"""Training matrices as managers really keep them: every column accounted for (matched to a course
and by what rule, ignored on purpose, or not recognised), and every cell of the course columns
imported, unchanged, skipped with its place and reason, or empty."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from provider_desk.areas.training.imports import import_training
from provider_desk.areas.training.matching import CourseMatcher
from provider_desk.areas.training.queries import list_courses, training_records
from provider_desk.areas.training.services import (
    TrainingInput,
    archive_record,
    record_training,
)
from provider_desk.cli import describe_report, main
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.tabular.report import ImportReport
from tests.conftest import TODAY, new_staff, version_of
from tests.core.test_import_safety import db_file

# ----------------------------------------------------------------------------- course names


@pytest.mark.parametrize(
    ("header", "course", "rule"),
    [
        ("Moving and handling people", "Moving and handling people", "course name"),
        ("M&H", "Moving and handling people", "alias 'M&H'"),
        ("Med. Admin", "Medication administration", "abbreviations and word order"),
        ("Medication Admin", "Medication administration", "abbreviations and word order"),
        ("Administration of Medicines", "Medication administration", "abbreviations"),
        ("Handling & Moving People", "Moving and handling people", "abbreviations"),
        ("Safeguarding Adults L2", "Safeguarding adults", "abbreviations"),
        ("Safeguarding Adults (Level 2)", "Safeguarding adults", ""),
        ("Food Hygiene Lvl 2", "Food hygiene", "abbreviations"),
        ("Fire Safety Training", "Fire safety", "left out"),
        ("Fire Safety (annual)", "Fire safety", ""),
        ("Infection Control (IPC)", "Infection prevention and control", "alias"),
        ("Health & Safety", "Health and safety awareness", "alias"),
        ("MCA/DoLS", "Mental Capacity Act and DoLS", "alias"),
        ("Dementia care", "Dementia awareness", ""),
    ],
)
def test_headers_are_recognised_with_their_rule(
    db: Database, header: str, course: str, rule: str
) -> None:
    with db.reading() as s:
        matcher = CourseMatcher(s)
        found = matcher.find(header)
    assert found.course_id is not None, header
    assert matcher.names[found.course_id] == course
    assert rule in found.rule


@pytest.mark.parametrize(
    ("header", "could_be"),
    [
        ("First Aid / BLS", {"First aid", "Basic life support"}),
        ("First aid or BLS", {"First aid", "Basic life support"}),
        ("Medication", {"Medication administration"}),  # an alias of one course: not ambiguous
    ],
)
def test_a_header_naming_two_courses_is_never_guessed(
    db: Database, header: str, could_be: set[str]
) -> None:
    with db.reading() as s:
        matcher = CourseMatcher(s)
        found = matcher.find(header)
    assert {matcher.names[i] for i in found.candidates} == could_be
    if len(could_be) > 1:
        assert found.ambiguous and found.course_id is None


def test_two_courses_sharing_a_name_but_for_the_level_are_asked_about(db: Database) -> None:
    from provider_desk.areas.training.services import CourseInput, save_course

    save_course(db, CourseInput("Safeguarding adults level 3", 36), expected_version=None)
    with db.reading() as s:
        matcher = CourseMatcher(s)
        assert matcher.names[matcher.match("Safeguarding adults level 3") or 0] == (
            "Safeguarding adults level 3"
        )
        assert matcher.names[matcher.match("Safeguarding adults") or 0] == "Safeguarding adults"
        vague = matcher.find("Safeguarding adults refresher")  # level left out: either
        assert vague.ambiguous and vague.course_id is None


# ----------------------------------------------------------------------------- the fixtures


def usual_matrix(path: Path) -> Path:
    """The usual kind: a title on rows 1-2, the header on row 4, abbreviations, a heading that
    could be two courses, a hidden column, dates typed every way, N/A, booked, ticks, a
    person not on the register, and a key under the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Matrix"
    ws["A1"] = "MEADOWBANK HOMECARE - TRAINING MATRIX"
    ws.merge_cells("A1:J1")
    ws["A2"] = "Updated by the office, November 2026"
    ws.append([])
    ws.append(
        [
            "Name",
            "Role",
            "Start date",
            "M&H",
            "Med. Admin",
            "First Aid / BLS",
            "Fire Safety (annual)",
            "Infection Control",
            "Shoe size",
            "Notes",
        ]
    )
    ws.append(  # row 5
        [
            "Smith, Amy",
            "Carer",
            dt.datetime(2024, 1, 8),
            dt.datetime(2026, 3, 14),
            "14/03/2026",
            "01/02/2026",
            "14th March 2026",
            "2026-03-14",
            5,
            "Nights only",
        ]
    )
    ws.append(  # row 6
        [
            "Bob Jones",
            "Senior carer",
            None,
            "14-Mar-26",
            "✓",
            "booked 12/01",
            "N/A",
            "Expired",
            6,
            None,
        ]
    )
    ws.append(  # row 7
        [
            "Cat Lee",
            "Carer",
            None,
            "31/02/2026",
            "14.03.2026",
            None,
            "1 Dec 2027",
            "Done",
            None,
            None,
        ]
    )
    ws.append(  # row 8: not on the register
        ["Zed Nobody", "Carer", None, "01/01/2026", None, None, None, None, None, None]
    )
    ws.append([])
    ws.append(["Key:", "✓ = done, date not known"])  # row 10
    ws.append(["N/A = not required"])
    ws.column_dimensions["H"].hidden = True
    wb.save(path)
    return path


def merged_matrix(path: Path) -> Path:
    """Each course a merged heading over "Completed | Expiry" columns, the name merged down over
    both header rows, a title above, notes below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Training"
    ws["A1"] = "Training record 2026"
    ws.append([])
    ws.append(["Staff name", "Moving & Handling", None, "Fire safety", None, "Safeguarding", None])
    ws.append([None, "Completed", "Expiry", "Completed", "Expires", "Completed", "Expiry"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.merge_cells("F3:G3")
    ws.append(  # row 5: expiries as the interval gives, one set by hand
        [
            "Amy Smith",
            dt.datetime(2026, 3, 14),
            dt.datetime(2027, 3, 14),
            "10/10/2026",
            "10/04/2027",
            "02/02/2026",
            None,
        ]
    )
    ws.append(  # row 6: a tick with an expiry, an expiry that is not a date, N/A
        ["Bob Jones", "✓", "14/03/2027", "01/06/2026", "ask Jo", "N/A", "N/A"]
    )
    ws.append(  # row 7: an expiry with no completion date; an expiry before completion
        ["Cat Lee", None, "01/01/2027", "01/06/2026", "01/01/2026", None, None]
    )
    ws.append([])
    ws.append(["Notes: refresher dates are set by the training provider"])
    wb.save(path)
    return path


def _staff(db: Database) -> dict[str, int]:
    return {
        "Amy": new_staff(db, "Amy", "Smith"),
        "Bob": new_staff(db, "Bob", "Jones"),
        "Cat": new_staff(db, "Cat", "Lee"),
    }


def _assert_every_cell_accounted(report: ImportReport) -> None:
    fates = report.cell_fates
    counts = report.cells
    assert counts["in_course_columns"] == len(fates)
    assert (
        counts["imported"] + counts["unchanged"] + counts["skipped"] + counts["empty"]
        == counts["in_course_columns"]
    )
    for fate in ("imported", "unchanged", "skipped", "empty"):
        assert counts[fate] == sum(1 for f in fates.values() if f == fate)
    skipped_at = {s.where for s in report.skipped}
    planned_at = {p.where for p in report.planned}
    for where, fate in fates.items():
        if fate == "skipped":  # with its place (the cell, or its row) and the reason
            row = where.split("!")[0] + "!row " + "".join(ch for ch in where if ch.isdigit())
            assert where in skipped_at or row in skipped_at, where
        if fate in ("imported", "unchanged"):
            assert where in planned_at or fates.get(where) == fate, where


# ----------------------------------------------------------------------------- the usual matrix


def test_usual_matrix_every_column_and_every_cell(db: Database, tmp_path: Path) -> None:
    _staff(db)
    report = import_training(db, usual_matrix(tmp_path / "m.xlsx"), today=TODAY)
    columns = {c.header: c for c in report.column_fates}
    assert [c.column for c in report.column_fates] == list("ABCDEFGHIJ")
    assert {h: (c.fate, c.target) for h, c in columns.items() if c.fate == "matched"} == {
        "M&H": ("matched", "Moving and handling people"),
        "Med. Admin": ("matched", "Medication administration"),
        "Fire Safety (annual)": ("matched", "Fire safety"),
        "Infection Control": ("matched", "Infection prevention and control"),
    }
    assert columns["M&H"].rule == "alias 'M&H'"
    assert columns["Med. Admin"].rule == "abbreviations and word order"
    assert columns["Infection Control"].hidden
    assert {h for h, c in columns.items() if c.fate == "ignored"} == {
        "Name",
        "Role",
        "Start date",
        "Notes",
    }
    assert "job role" in columns["Role"].rule and "the person" in columns["Name"].rule
    ambiguous = columns["First Aid / BLS"]
    assert ambiguous.fate == "unmatched"
    assert set(ambiguous.candidates) == {"First aid", "Basic life support"}
    assert ambiguous.cells == 2  # Amy's date and Bob's "booked 12/01"
    assert (columns["Shoe size"].fate, columns["Shoe size"].cells) == ("unmatched", 2)
    assert report.cells["in_columns_not_recognised"] == 4

    skipped = {s.where: s.reason for s in report.skipped}
    assert report.cell_fates == {
        # Amy: every date format read
        "Matrix!D5": "imported",
        "Matrix!E5": "imported",
        "Matrix!G5": "imported",
        "Matrix!H5": "imported",
        # Bob
        "Matrix!D6": "imported",
        "Matrix!E6": "skipped",  # a tick
        "Matrix!G6": "empty",  # N/A
        "Matrix!H6": "skipped",  # Expired
        # Cat
        "Matrix!D7": "skipped",  # 31/02
        "Matrix!E7": "imported",
        "Matrix!G7": "skipped",  # in the future
        "Matrix!H7": "skipped",  # "Done"
        # Zed: not on the register (the row is reported)
        "Matrix!D8": "skipped",
        "Matrix!E8": "empty",
        "Matrix!G8": "empty",
        "Matrix!H8": "empty",
    }
    assert report.cells == {
        "in_course_columns": 16,
        "imported": 6,
        "unchanged": 0,
        "skipped": 6,
        "empty": 4,
        "in_columns_not_recognised": 4,
    }
    _assert_every_cell_accounted(report)
    assert skipped["Matrix!E6"].startswith("Done, date unknown (a tick)")
    assert skipped["Matrix!H7"].startswith("Done, date unknown")
    assert "'Expired' is not a date" in skipped["Matrix!H6"]
    assert "not a real date" in skipped["Matrix!D7"]
    assert "in the future" in skipped["Matrix!G7"]
    assert "not on the staff register" in skipped["Matrix!row 8"]
    # The key under the table is not read as people, and says so.
    assert not any("row 10" in w or "row 11" in w for w in skipped)
    assert any("Matrix!row 10" in n and "key or notes" in n for n in report.notices)
    assert any("First Aid / BLS" in n and "4 cells" in n for n in report.notices)
    records = {(r.staff_name, r.course): r.completed_on for r in training_records(db)}
    assert records == {
        ("Amy Smith", "Moving and handling people"): dt.date(2026, 3, 14),
        ("Amy Smith", "Medication administration"): dt.date(2026, 3, 14),
        ("Amy Smith", "Fire safety"): dt.date(2026, 3, 14),
        ("Amy Smith", "Infection prevention and control"): dt.date(2026, 3, 14),
        ("Bob Jones", "Moving and handling people"): dt.date(2026, 3, 14),
        ("Cat Lee", "Medication administration"): dt.date(2026, 3, 14),
    }

    again = import_training(db, usual_matrix(tmp_path / "m.xlsx"), today=TODAY)
    assert (again.imported, again.unchanged) == (0, 6)
    _assert_every_cell_accounted(again)


def test_map_imports_an_unrecognised_column(db: Database, tmp_path: Path) -> None:
    _staff(db)
    path = usual_matrix(tmp_path / "m.xlsx")
    report = import_training(
        db, path, today=TODAY, mapping={"First Aid / BLS": "First aid", "Shoe size": "ignore"}
    )
    columns = {c.header: c for c in report.column_fates}
    assert (columns["First Aid / BLS"].fate, columns["First Aid / BLS"].target) == (
        "matched",
        "First aid",
    )
    assert columns["First Aid / BLS"].rule == "mapped by hand"
    assert columns["Shoe size"].fate == "ignored"
    assert report.cell_fates["Matrix!F5"] == "imported"
    assert report.cell_fates["Matrix!F6"] == "skipped"
    assert (
        "Booked, not done yet ('booked 12/01')"
        in {s.where: s.reason for s in report.skipped}["Matrix!F6"]
    )
    assert report.cells["in_columns_not_recognised"] == 0
    _assert_every_cell_accounted(report)
    with pytest.raises(ValidationError) as info:
        import_training(db, path, today=TODAY, mapping={"First Aid / BLS": "First aid or BLS"})
    assert "could be" in info.value.message


def test_cli_report_and_json_list_every_column(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _staff(db)
    path = usual_matrix(tmp_path / "m.xlsx")
    args = ["import", "training", str(path), "--database", db_file(db), "--today", "23/11/2026"]
    assert main([*args, "--dry-run", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    columns = result["columns"]
    assert {c["header"] for c in columns["matched"]} == {
        "M&H",
        "Med. Admin",
        "Fire Safety (annual)",
        "Infection Control",
    }
    assert {c["header"] for c in columns["ignored"]} == {"Name", "Role", "Start date", "Notes"}
    unmatched = {c["header"]: c for c in columns["unmatched"]}
    assert set(unmatched) == {"First Aid / BLS", "Shoe size"}
    assert unmatched["First Aid / BLS"]["cells"] == 2
    assert set(unmatched["First Aid / BLS"]["could_be"]) == {"First aid", "Basic life support"}
    assert result["cells"]["in_course_columns"] == 16

    assert main([*args, "--dry-run", "--map", "First Aid / BLS=Basic life support"]) == 0
    text = capsys.readouterr().out
    assert "Columns matched to a course:" in text
    assert "F 'First Aid / BLS' -> Basic life support (mapped by hand)" in text
    assert "Columns not recognised" in text and "I 'Shoe size': not recognised; 2 cells" in text
    assert "H 'Infection Control' (hidden in the sheet)" in text


# ----------------------------------------------------------------------------- merged headers


def test_merged_headers_over_completed_and_expiry(db: Database, tmp_path: Path) -> None:
    _staff(db)
    report = import_training(db, merged_matrix(tmp_path / "m.xlsx"), today=TODAY)
    columns = [(c.column, c.header, c.fate, c.target) for c in report.column_fates]
    assert columns == [
        ("A", "Staff name", "ignored", ""),
        ("B", "Moving & Handling / Completed", "matched", "Moving and handling people"),
        ("C", "Moving & Handling / Expiry", "matched", "Moving and handling people (expiry date)"),
        ("D", "Fire safety / Completed", "matched", "Fire safety"),
        ("E", "Fire safety / Expires", "matched", "Fire safety (expiry date)"),
        ("F", "Safeguarding / Completed", "matched", "Safeguarding adults"),
        ("G", "Safeguarding / Expiry", "matched", "Safeguarding adults (expiry date)"),
    ]
    skipped = {s.where: s.reason for s in report.skipped}
    assert not any(w.endswith("4") for w in skipped)  # the sub-header row is not data
    assert any("two rows" in n for n in report.notices)
    assert any("key or notes" in n for n in report.notices)
    assert report.cell_fates == {
        "Training!B5": "imported",
        "Training!C5": "imported",
        "Training!D5": "imported",
        "Training!E5": "imported",
        "Training!F5": "imported",
        "Training!G5": "empty",
        "Training!B6": "skipped",  # a tick
        "Training!C6": "skipped",  # its expiry: no completion date to import
        "Training!D6": "imported",
        "Training!E6": "skipped",  # "ask Jo": the interval gives the expiry
        "Training!F6": "empty",
        "Training!G6": "empty",
        "Training!B7": "empty",
        "Training!C7": "skipped",  # an expiry with no completion
        "Training!D7": "skipped",  # expiry before completion: the form's check
        "Training!E7": "skipped",
        "Training!F7": "empty",
        "Training!G7": "empty",
    }
    _assert_every_cell_accounted(report)
    assert skipped["Training!B6"].startswith("Done, date unknown (a tick)")
    assert "without a completion date in Training!B6" in skipped["Training!C6"]
    assert "interval gives" in skipped["Training!E6"]
    assert "must be after the completion date" in skipped["Training!D7"]
    assert "Training!D7" in skipped["Training!E7"]
    # The expiries: as the interval gives (kept derived), or set by hand (kept, and noted).
    noted = {n.where: n.reason for n in report.noted}
    assert list(noted) == ["Training!E5"]
    assert "10 Apr 2027" in noted["Training!E5"] and "9 Oct 2027" in noted["Training!E5"]
    by = {(r.staff_name, r.course): r for r in training_records(db)}
    amy_mh = by[("Amy Smith", "Moving and handling people")]
    # "Same day next year" is the interval's expiry (the day before, as ASC-WDS derives it).
    assert (amy_mh.expires_on, amy_mh.expiry_overridden) == (dt.date(2027, 3, 13), False)
    amy_fire = by[("Amy Smith", "Fire safety")]
    assert (amy_fire.expires_on, amy_fire.expiry_overridden) == (dt.date(2027, 4, 10), True)
    bob_fire = by[("Bob Jones", "Fire safety")]
    assert (bob_fire.expires_on, bob_fire.expiry_overridden) == (dt.date(2027, 5, 31), False)
    assert len(by) == 4


# ----------------------------------------------------------------------------- the service


def test_a_removed_completion_imported_again_is_restored(db: Database, tmp_path: Path) -> None:
    staff = _staff(db)
    courses = {c.name: c.id for c in list_courses(db)}
    record_training(
        db,
        staff["Amy"],
        TrainingInput(courses["Moving and handling people"], dt.date(2026, 3, 14)),
        today=TODAY,
    )
    (saved,) = training_records(db)
    archive_record(db, saved.id, expected_version=version_of(db, "TrainingRecord", saved.id))
    assert training_records(db) == []
    path = tmp_path / "m.csv"
    path.write_text("Name,M&H\nAmy Smith,14/03/2026\n", encoding="utf-8")
    dry = import_training(db, path, today=TODAY, dry_run=True)
    assert (dry.imported, dry.unchanged) == (1, 0)
    assert "restored" in dry.planned[0].name
    report = import_training(db, path, today=TODAY)
    assert (report.imported, report.unchanged) == (1, 0)
    (back,) = training_records(db)
    assert back.id == saved.id  # the same record, brought back by the service
    again = import_training(db, path, today=TODAY)
    assert (again.imported, again.unchanged) == (0, 1)


def test_describe_report_of_a_long_import_keeps_columns_not_used(
    db: Database, tmp_path: Path
) -> None:
    new_staff(db, "Amy", "Smith")
    path = tmp_path / "p.csv"
    path.write_text("Learner,Course,Completed,Shoe size\nAmy Smith,Fire,01/06/2026,5\n")
    report = import_training(db, path, today=TODAY)
    assert "Columns not used: Shoe size" in describe_report(report)
    assert report.as_json()["columns"]["unmatched"] == [
        {"header": "Shoe size", "reason": "not used"}
    ]
