"""Training in and out: the manager's matrices and learning-platform reports, ASC-WDS, the
matrix as XLSX and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.training.exports import (
    ASC_WDS_TRAINING_HEADER,
    export_asc_wds_training,
    export_matrix_xlsx,
    export_training,
)
from provider_desk.areas.training.imports import import_training
from provider_desk.areas.training.matrix_pdf import export_matrix_pdf
from provider_desk.areas.training.queries import list_courses, training_matrix, training_records
from provider_desk.areas.training.services import (
    CourseInput,
    TrainingInput,
    record_training,
    save_course,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, settings_version, version_of


def wide_matrix(path: Path) -> Path:
    """A real-looking matrix: titles, a merged heading, abbreviations, every kind of bad cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Matrix"
    ws["A1"] = "MEADOWBANK — TRAINING MATRIX 2026"
    ws.merge_cells("A1:I1")
    ws["A2"] = "Key: N/A = not needed"
    ws.append([])
    ws.append(
        ["Staff member", "Role", "M&H", "BLS", "IPC", "MCA & DoLS", "H&S", "Meds", "Shoe size"]
    )
    ws.append(
        [
            "Smith, Amy",
            "Carer",
            dt.datetime(2026, 3, 14),
            "14/03/2026",
            "Booked 14/12",
            "N/A",
            None,
            "Expired",
            5,
        ]
    )
    ws.append(
        [
            "Bob Jones",
            "Carer",
            "31/02/2025",
            "Completed",
            2023,
            dt.datetime(2025, 1, 9),
            "1 Dec 2027",
            "n/a",
            6,
        ]
    )
    ws.append(["Zoë Newperson", "Carer", dt.datetime(2026, 1, 5), None, None, None, None, None, 7])
    wb.save(path)
    return path


def test_wide_matrix_imports_dates_and_reports_every_bad_cell(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith")
    new_staff(db, "Bob", "Jones")
    report = import_training(db, wide_matrix(tmp_path / "m.xlsx"), today=TODAY)
    assert report.imported == 3  # Amy: M&H, BLS; Bob: MCA & DoLS
    where = {s.where: s.reason for s in report.skipped}
    assert "Booked 14/12" in where["Matrix!E5"]
    assert "'Expired' is not a date" in where["Matrix!H5"]
    assert "not a real date" in where["Matrix!C6"]
    assert "'Completed' is not a date" in where["Matrix!D6"]
    assert "2023 is a number, not a date" in where["Matrix!E6"]
    assert "in the future" in where["Matrix!G6"]
    assert "not on the staff register" in where["Matrix!row 7"]
    assert not any(w in where for w in ("Matrix!F5", "Matrix!G5", "Matrix!H6"))  # N/A, blank
    assert report.columns["M&H"] == "Moving and handling people"
    assert report.columns["MCA & DoLS"] == "Mental Capacity Act and DoLS"
    assert "Shoe size" in report.ignored_columns
    records = {(r.staff_name, r.course): r.completed_on for r in training_records(db)}
    assert records == {
        ("Amy Smith", "Moving and handling people"): dt.date(2026, 3, 14),
        ("Amy Smith", "Basic life support"): dt.date(2026, 3, 14),
        ("Bob Jones", "Mental Capacity Act and DoLS"): dt.date(2025, 1, 9),
    }


def test_same_file_twice_and_dry_run(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith")
    new_staff(db, "Bob", "Jones")
    path = wide_matrix(tmp_path / "m.xlsx")
    dry = import_training(db, path, today=TODAY, dry_run=True)
    assert dry.imported == 3 and training_records(db) == []
    import_training(db, path, today=TODAY)
    again = import_training(db, path, today=TODAY)
    assert (again.imported, again.unchanged) == (0, 3)
    assert len(training_records(db)) == 3


def test_create_staff_when_asked(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith")
    new_staff(db, "Bob", "Jones")
    report = import_training(db, wide_matrix(tmp_path / "m.xlsx"), today=TODAY, create_staff=True)
    zoe = next(r for r in list_staff(db) if r.first_name == "Zoë")
    assert (zoe.last_name, zoe.start_date, zoe.job_role) == (
        "Newperson",
        dt.date(2026, 1, 5),
        "Care worker",
    )
    assert "check the job role" in zoe.notes
    assert report.imported == 4


def test_long_report_with_status_column(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    path = tmp_path / "platform.csv"
    path.write_text(
        "Learner,Worker ID,Course Title,Status,Date Completed,Expiry Date,Delivery\n"
        "Amy Smith,W1,Fire Safety Awareness,Passed,02/11/2026,,E-learning\n"
        "A Smith,W1,Infection Control Level 2,In progress,,,E-learning\n"
        "Amy Smith,W1,Basket weaving,Passed,02/11/2026,,\n"
        "Amy Smith,W1,Safeguarding Adults,Passed,02/12/2026,,\n"
        "Amy Smith,W1,Food Hygiene,Passed,02/11/2026,01/11/2026,\n"
        "Amy Smith,W1,GDPR,Completed,2026-10-01,2029-10-01,Classroom\n",
        encoding="utf-8",
    )
    report = import_training(db, path, today=TODAY)
    assert report.imported == 2
    reasons = [s.reason for s in report.skipped]
    assert "Status is 'In progress', not passed or completed." in reasons
    assert any("Basket weaving" in r for r in reasons)
    assert any("in the future" in r for r in reasons)
    # The form's own check, made by the service (the import has no copy of it).
    assert any("must be after the completion date" in r for r in reasons)
    by_course = {r.course: r for r in training_records(db)}
    fire = by_course["Fire safety"]
    assert (fire.delivery, fire.expires_on, fire.expiry_overridden) == (
        "e-learning",
        dt.date(2027, 11, 1),
        False,
    )
    gdpr = by_course["Information governance and data protection"]
    assert (gdpr.expires_on, gdpr.expiry_overridden, gdpr.delivery) == (
        dt.date(2029, 10, 1),
        True,
        "face to face",
    )


def test_map_names_a_course_for_an_odd_column(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith")
    path = tmp_path / "m.csv"
    path.write_text("Name,Lifting stuff,Fire\nAmy Smith,01/06/2026,01/06/2026\n", encoding="utf-8")
    assert import_training(db, path, today=TODAY).imported == 1
    report = import_training(
        db, path, today=TODAY, mapping={"Lifting stuff": "Moving and handling people"}
    )
    assert report.imported == 1
    with pytest.raises(ValidationError) as info:
        import_training(db, path, today=TODAY, mapping={"Lifting stuff": "Juggling"})
    assert "not a course" in info.value.message


def test_no_recognisable_header(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("hello,world\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_training(db, path, today=TODAY)
    assert "No header row found" in info.value.message and "Course" in info.value.message


def test_cancel_leaves_nothing(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith")
    new_staff(db, "Bob", "Jones")
    with pytest.raises(Cancelled):
        import_training(
            db, wide_matrix(tmp_path / "m.xlsx"), today=TODAY, progress=lambda d, t, w: False
        )
    assert training_records(db) == []


def _some_training(db: Database) -> tuple[int, int]:
    amy = new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    bob = new_staff(db, "Bob", "Jones")
    courses = {c.name: c.id for c in list_courses(db)}
    record_training(
        db,
        amy,
        TrainingInput(
            courses["Fire safety"],
            dt.date(2026, 6, 3),
            delivery="face to face",
            accredited="yes",
            notes="Evening\nsession",
        ),
        today=TODAY,
    )
    record_training(
        db, amy, TrainingInput(courses["Care Certificate"], dt.date(2025, 5, 1)), today=TODAY
    )
    record_training(
        db, bob, TrainingInput(courses["Fire safety"], dt.date(2026, 6, 3)), today=TODAY
    )
    return amy, bob


def test_asc_wds_training_file_is_exact_and_lists_problems(db: Database, tmp_path: Path) -> None:
    _some_training(db)
    out = tmp_path / "training.csv"
    with pytest.raises(ValidationError) as info:
        export_asc_wds_training(db, out, TODAY)
    assert "workplace reference" in info.value.message
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    courses = {c.name: c for c in list_courses(db)}
    save_course(
        db,
        CourseInput("Fire safety", None, 6),
        courses["Fire safety"].id,
        expected_version=version_of(db, "Course", courses["Fire safety"].id),
    )
    result = export_asc_wds_training(db, out, TODAY)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert tuple(rows[0]) == ASC_WDS_TRAINING_HEADER and len(rows[0]) == 12
    assert rows[1:] == [
        [
            "MEADOW1",
            "W1",
            "6",
            "Fire safety",
            "1",
            "",
            "",
            "1",
            "none",
            "03/06/2026",
            "",
            "Evening session",
        ]
    ]
    assert result.written == 1
    assert any("Bob Jones has no ASC-WDS worker id" in p for p in result.problems)
    assert any("'Care Certificate' has no ASC-WDS training category" in p for p in result.problems)


def test_training_export_has_status(db: Database, tmp_path: Path) -> None:
    _some_training(db)
    out = tmp_path / "training.csv"
    assert export_training(db, out, TODAY) == 3
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    fire = next(r for r in rows if r["staff_name"] == "Amy Smith" and r["course"] == "Fire safety")
    assert (
        fire["completed_on"],
        fire["expires_on"],
        fire["status"],
        fire["asc_wds_worker_id"],
    ) == ("2026-06-03", "2027-06-02", "in date", "W1")


def test_matrix_xlsx_and_pdf(db: Database, tmp_path: Path) -> None:
    _some_training(db)
    matrix = training_matrix(db, TODAY)
    xlsx = export_matrix_xlsx(matrix, tmp_path / "m.xlsx", "Meadowbank")
    ws = openpyxl.load_workbook(xlsx)["Training matrix"]
    assert ws.freeze_panes == "B2" and ws["A2"].value == "Jones, Bob"
    fire_col = [c.value for c in ws[1]].index("Fire safety") + 1
    cell = ws.cell(3, fire_col)
    assert cell.value == dt.datetime(2027, 6, 2) and cell.fill.fgColor.rgb.endswith("DFF0E0")
    assert ws.cell(3, [c.value for c in ws[1]].index("Basic life support") + 1).value == "Missing"
    assert ws.cell(ws.max_row, 1).value == "% compliant"
    pdf = export_matrix_pdf(matrix, tmp_path / "m.pdf", "Meadowbank Home Care")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Training matrix — Meadowbank Home Care" in text
    assert "Smith, Amy" in text and "Missing" in text and "2 Jun 2027" in text
    assert "Page 1 of" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts


def test_matrix_pdf_headings_break_between_words_and_dates_have_four_digit_years(
    db: Database, tmp_path: Path
) -> None:
    _some_training(db)
    matrix = training_matrix(db, TODAY)
    pdf = export_matrix_pdf(matrix, tmp_path / "m.pdf", "Meadowbank Home Care")
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(text.split())
    for course in matrix.courses:  # every word of every heading whole, however narrow
        assert set(course.name.split()) <= words, course.name
    assert "dministration" not in words
    assert re.findall(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", text)  # 2 Jun 2027
    assert not re.findall(r"\b\d{1,2} [A-Z][a-z]{2} \d{2}\b(?!\d)", text)  # never 2 Jun 27


def test_cancelled_pdf_leaves_no_file(db: Database, tmp_path: Path) -> None:
    _some_training(db)
    with pytest.raises(Cancelled):
        export_matrix_pdf(
            training_matrix(db, TODAY), tmp_path / "m.pdf", "X", progress=lambda d, t, w: False
        )
    assert [p.name for p in tmp_path.iterdir() if "sqlite3" not in p.name] == []


def test_a_long_report_accounts_for_every_row_and_logs_every_completion(
    db: Database, tmp_path: Path
) -> None:
    """The bulk path (texts looked up once, shared values written as literals, the log built
    column by column): every row is imported, unchanged or skipped with its reason, each
    completion has its one change-log entry, and the chain verifies."""
    from sqlalchemy import select

    from provider_desk.areas.training.imports import training_kind
    from provider_desk.areas.training.matching import CourseMatcher
    from provider_desk.areas.training.models import TrainingRecord
    from provider_desk.db.changelog import verify_chain
    from provider_desk.models.changelog import ChangeLogEntry
    from provider_desk.tabular.records import SavedRecords

    amy = new_staff(db, "Amy", "Smith")
    new_staff(db, "Bob", "Jones")
    lines = ["Learner,Course,Status,Date completed,Provider"]
    for n in range(30):  # the same few texts again and again
        lines.append(f"Amy Smith,Fire Safety Awareness,Passed,{n + 1:02d}/01/2026,O'Brien's")
    lines += [
        "Bob Jones,Fire Safety Awareness,passed ,2026-02-03,O'Brien's",
        "Bob Jones,Fire Safety Awareness,Passed,03/02/2026,O'Brien's",  # the row above again
        "Bob Jones,Fire Safety Awareness,Failed,04/02/2026,",
        "Bob Jones,Fire Safety Awareness,Passed,31/02/2026,",
        "Bob Jones,Basket weaving,Passed,05/02/2026,",
        "Carl Nobody,Fire Safety Awareness,Passed,05/02/2026,",
    ]
    path = tmp_path / "report.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_training(db, path, today=TODAY)
    assert (report.imported, report.unchanged, len(report.skipped)) == (31, 1, 4)
    assert report.imported + report.unchanged + len(report.skipped) == len(lines) - 1
    assert "Bob Jones: Fire safety, 3 Feb 2026" in [p.name for p in report.planned]
    assert sorted(s.where for s in report.skipped) == ["line 34", "line 35", "line 36", "line 37"]
    with db.reading() as s:
        records = list(s.scalars(select(TrainingRecord).order_by(TrainingRecord.id)))
        logged = list(
            s.scalars(
                select(ChangeLogEntry.row_id).where(
                    ChangeLogEntry.table_name == "training_record",
                    ChangeLogEntry.action == "insert",
                )
            )
        )
        assert verify_chain(s) is None
    assert len(records) == 31 and {r.provider for r in records} == {"O'Brien's"}
    assert sorted(logged) == [r.id for r in records]
    again = import_training(db, path, today=TODAY)
    assert (again.imported, again.unchanged) == (0, 32)
    with db.session() as s:  # a bulk kind's records, indexed for find_by when it is asked
        kind = training_kind(s, TODAY, {amy: "Amy Smith"}, CourseMatcher(s))
        saved = SavedRecords(s, kind)
        assert len(saved.find_by(("staff_id",), {"staff_id": amy})) == 30
        fire = records[0].course_id
        row = {"staff_id": amy, "course_id": fire, "completed_on": dt.date(2026, 1, 2)}
        other = row | {"completed_on": dt.date(2025, 1, 2)}
        among = SavedRecords(s, kind, among=[row, other, {"staff_id": amy, "course_id": None}])
        key = ("staff_id", "course_id", "completed_on")
        assert [len(i) for i in among._index.values()] == [1]  # only the one the rows match
        assert among.row_key(key, row) in among._index[key]
        assert len(among.find_by(("staff_id",), {"staff_id": amy})) == 30  # then all, asked
        assert len(among._index[key]) == 31
