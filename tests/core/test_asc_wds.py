"""The ASC-WDS training bulk-upload file, checked by ASC-WDS's own rules (issue 18, section 2),
and the date rule that keeps a slip like the year 0202 out of it."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import update

from provider_desk import demo
from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.training import asc_wds as asc
from provider_desk.areas.training.exports import export_asc_wds_training
from provider_desk.areas.training.imports import import_training
from provider_desk.areas.training.models import TrainingRecord
from provider_desk.areas.training.queries import (
    asc_wds_categories,
    list_courses,
    training_records,
)
from provider_desk.areas.training.services import (
    CourseInput,
    TrainingInput,
    record_training,
    save_course,
)
from provider_desk.cli import main
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.rules.validators import utf16_length
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, settings_version


def course_id(db: Database, name: str) -> int:
    return next(c.id for c in list_courses(db) if c.name == name)


# --- Dates: refused at entry, by the validation the form, importers and CLI share -----------


@pytest.mark.parametrize(
    ("completed", "expires", "field", "words"),
    [
        (dt.date(202, 5, 1), None, "completed_on", "has the year 0202: type all four digits"),
        (dt.date(1949, 12, 31), None, "completed_on", "is before 1950"),
        (dt.date(2026, 5, 1), dt.date(202, 5, 1), "expires_on", "has the year 0202"),
    ],
)
def test_a_short_or_implausible_year_is_refused_at_entry(
    db: Database, completed: dt.date, expires: dt.date | None, field: str, words: str
) -> None:
    amy = new_staff(db, "Amy", "Smith")
    data = TrainingInput(course_id(db, "Fire safety"), completed, expires_on=expires)
    with pytest.raises(ValidationError) as info:
        record_training(db, amy, data, today=TODAY)
    assert field in {p.field for p in info.value.problems}
    assert words in info.value.message
    assert training_records(db) == []


def test_1950_is_the_earliest_completion(db: Database) -> None:
    amy = new_staff(db, "Amy", "Smith")
    data = TrainingInput(course_id(db, "Fire safety"), dt.date(1950, 1, 1))
    record_training(db, amy, data, today=TODAY)
    assert [r.completed_on for r in training_records(db)] == [dt.date(1950, 1, 1)]


def test_an_imported_year_0202_is_reported_with_its_cell(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith")
    sheet = tmp_path / "matrix.csv"
    sheet.write_text("Name,Fire safety\nAmy Smith,01/05/0202\n", encoding="utf-8")
    report = import_training(db, sheet, today=TODAY)
    assert report.imported == 0
    assert any("year 0202" in s.reason for s in report.skipped)
    assert training_records(db) == []


# --- ASC-WDS's rules, as its code states them ------------------------------------------------

CATEGORIES = set(asc_wds_categories())
ASC_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _row(**cells: str) -> list[str]:
    base = dict.fromkeys(asc.HEADER, "")
    base.update(LOCALESTID="MEADOW1", UNIQUEWORKERID="W1", CATEGORY="6", DATECOMPLETED="03/06/2026")
    base.update(cells)
    return [base[c] for c in asc.HEADER]


def _messages(row: list[str]) -> list[tuple[str, bool]]:
    return [(f.message, f.error) for f in asc.check_row(row, categories=CATEGORIES, today=TODAY)]


def test_the_rules_stated_by_asc_wds() -> None:
    # trainingHeaders.js: 12 columns in this order; headers/training.js compares with ===
    assert asc.HEADER == (
        "LOCALESTID",
        "UNIQUEWORKERID",
        "CATEGORY",
        "TRAININGNAME",
        "ACCREDITED",
        "WHODELIVERED",
        "PROVIDERNAME",
        "HOWDELIVERED",
        "VALIDITY",
        "DATECOMPLETED",
        "EXPIRYDATE",
        "NOTES",
    )
    assert asc.check_header(asc.HEADER) is None
    assert asc.check_header(("\ufeffLOCALESTID", *asc.HEADER[1:])) is not None
    assert _messages(_row()) == []
    # lengths are JavaScript's: UTF-16 code units, an emoji counts two
    assert utf16_length("a😀é") == 4
    assert _messages(_row(NOTES="a" * 999 + "😀")) == [
        ("NOTES is longer than 1000 characters", True)
    ]
    assert _messages(_row(NOTES="a" * 998 + "😀")) == []
    assert _messages(_row(TRAININGNAME="x" * 121))[0][0].startswith("TRAININGNAME is longer")
    assert _messages(_row(UNIQUEWORKERID="W" * 51))[0][0].startswith("UNIQUEWORKERID is longer")
    assert _messages(_row(LOCALESTID="")) == [("LOCALESTID has not been supplied", True)]
    # dates: strict DD/MM/YYYY, completion not in the future, expiry after completion
    for typed in ("01/05/202", "1/5/2026", "2026-05-01", "31/02/2026"):
        assert _messages(_row(DATECOMPLETED=typed)) == [
            ("DATECOMPLETED is incorrectly formatted", True)
        ]
    assert _messages(_row(DATECOMPLETED="24/11/2026")) == [("DATECOMPLETED is in the future", True)]
    assert _messages(_row(EXPIRYDATE="03/06/2026")) == [
        ("EXPIRYDATE must be after DATECOMPLETED", True)
    ]
    # codes
    assert _messages(_row(CATEGORY="24")) == [("CATEGORY has not been supplied", True)]
    assert _messages(_row(ACCREDITED="2")) == [("ACCREDITED is invalid", True)]
    assert _messages(_row(HOWDELIVERED="3"))[0][0].endswith("HOWDELIVERED is invalid")
    assert _messages(_row(WHODELIVERED="2", PROVIDERNAME="88")) == []
    assert _messages(_row(WHODELIVERED="2", PROVIDERNAME="89"))[0][0].endswith("is invalid")
    assert _messages(_row(WHODELIVERED="1", PROVIDERNAME="88")) == [
        ("PROVIDERNAME will be ignored as WHODELIVERED is not 2 (External provider)", False)
    ]
    # VALIDITY: months give completed + months - 1 day; "none" means no expiry
    assert _messages(_row(VALIDITY="12", EXPIRYDATE="02/06/2027")) == []
    assert _messages(_row(VALIDITY="12", EXPIRYDATE="03/06/2027")) == [
        ("The EXPIRYDATE you have entered does not match the VALIDITY", False)
    ]
    assert _messages(_row(VALIDITY="none", EXPIRYDATE="02/06/2027")) == [
        ("The VALIDITY you have entered does not match the EXPIRYDATE", False)
    ]
    assert _messages(_row(VALIDITY="1000"))[0][1] is True
    assert asc.expiry_from_validity(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 27)


def test_providers_by_asc_wds_code() -> None:
    assert asc.provider_code("Skills for Care") == 88
    assert asc.provider_code("skills for care") == 88
    assert asc.provider_code("Howe2 Training and Consultancy Limited") == 30
    assert asc.provider_code("Impact Futures Training Limited") == 31  # renamed Tend Training
    assert asc.provider_code("United Care Network") == 58  # not 59, "(BrightPath Academy)"
    assert asc.provider_code("Acme Care Training Ltd") is None
    assert asc.is_in_house("In-house (Joanna Whitfield)", "Meadowbank")
    assert asc.is_in_house("Meadowbank Care", "Meadowbank Care")
    assert not asc.is_in_house("International Care Training", "Meadowbank")
    assert asc.looks_like_workplace_id("G1001114")
    assert not asc.looks_like_workplace_id("MEADOWBANK01")


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    rows = list(csv.reader(lines))  # one row a line: no line break inside a cell
    assert len(rows) == len(lines)
    return rows


def _asc_wds_says(rows: list[list[str]]) -> list[tuple[int, str]]:
    """Every error and warning ASC-WDS's rules give on the file, with its line number."""
    header = asc.check_header(rows[0])
    found = [(1, header.message)] if header else []
    for n, row in enumerate(rows[1:], start=2):
        found += [(n, f.message) for f in asc.check_row(row, categories=CATEGORIES, today=TODAY)]
    return found


def test_the_demo_file_passes_asc_wds_rules(db: Database, tmp_path: Path) -> None:
    demo.generate(db, today=TODAY)
    out = tmp_path / "asc.csv"
    result = export_asc_wds_training(db, out, TODAY)
    rows = _read(out)
    assert tuple(rows[0]) == asc.HEADER
    assert _asc_wds_says(rows) == []  # 0 errors, 0 warnings
    assert result.written == len(rows) - 1 > 500
    cell = [dict(zip(asc.HEADER, r, strict=True)) for r in rows[1:]]
    assert {c["LOCALESTID"] for c in cell} == {"MEADOWBANK01"}
    assert all(ASC_DATE.match(c["DATECOMPLETED"]) for c in cell)
    assert all(ASC_DATE.match(c["EXPIRYDATE"]) or not c["EXPIRYDATE"] for c in cell)
    assert {c["WHODELIVERED"] for c in cell} == {"1", "2"}  # every demo record names a provider
    assert {c["HOWDELIVERED"] for c in cell} == {"1", "2", ""}
    assert {c["ACCREDITED"] for c in cell} <= {"0", "1"}
    assert all(int(c["CATEGORY"]) in CATEGORIES for c in cell)
    for c in cell:  # VALIDITY agrees with the expiry
        if c["VALIDITY"] == "none":
            assert c["EXPIRYDATE"] == ""
        else:
            day, month, year = (int(n) for n in c["DATECOMPLETED"].split("/"))
            done = dt.date(year, month, day)
            expiry = asc.expiry_from_validity(done, int(c["VALIDITY"]))
            assert asc.format_date(expiry) == c["EXPIRYDATE"]
    # left out: only the Care Certificate, which ASC-WDS records on the worker, not as training
    assert len(result.problems) == 1 and "'Care Certificate' has no ASC-WDS" in result.problems[0]
    # what went in other than as recorded is said, once per provider or delivery method
    assert len(result.warnings) == 4
    for provider in (
        "Acme Care Training Ltd",
        "County council workforce team",
        "Skills Academy e-learning",
    ):
        assert any(
            w.startswith(f"'{provider}' (") and "PROVIDERNAME 999 (other)" in w
            for w in result.warnings
        )
    assert any("delivered 'blended'" in w and "HOWDELIVERED is blank" in w for w in result.warnings)


# --- Records typed the way managers type them --------------------------------------------------

_NOTE_START = "Great trainer 😀\nPractical on the hoist 👍\n" + "😀" * 10
LONG_NOTE = _NOTE_START + "a" * (1000 - len(_NOTE_START))
"""1,000 characters as we count them, 1,012 as ASC-WDS does (12 emoji)."""


def test_records_as_managers_type_them(db: Database, tmp_path: Path) -> None:
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    amy = new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    bob = new_staff(db, "Bob", "Jones", asc_wds_worker_id="W2")
    new_staff(db, "Cara", "New")  # no worker id yet
    assert len(LONG_NOTE) <= 1000 < utf16_length(" ".join(LONG_NOTE.split()))

    def record(who: int, course: str, done: dt.date, **kw: object) -> None:
        data = TrainingInput(course_id(db, course), done, **kw)  # type: ignore[arg-type]
        record_training(db, who, data, today=TODAY)

    # a long note with emoji and line breaks, from a provider on ASC-WDS's list; the form now
    # refuses it (notes are limited as ASC-WDS counts them), so it stands for a record saved
    # before that: the export must still cope
    with pytest.raises(ValidationError, match="1,012 characters long as ASC-WDS counts them"):
        record(amy, "Fire safety", dt.date(2026, 6, 3), notes=LONG_NOTE)
    record(
        amy,
        "Fire safety",
        dt.date(2026, 6, 3),
        provider="Skills for Care",
        delivery="face to face",
        accredited="yes",
        notes="short for now",
    )
    with db.session() as s:
        s.execute(update(TrainingRecord).values(notes=LONG_NOTE).where(TrainingRecord.notes != ""))
    # an expiry set by hand that is no whole number of months: VALIDITY left blank
    record(amy, "Basic life support", dt.date(2026, 1, 10), expires_on=dt.date(2026, 12, 31))
    # an expiry set by hand at two years: VALIDITY 24, not the course's 12
    record(
        amy,
        "Safeguarding adults",
        dt.date(2025, 3, 1),
        expires_on=dt.date(2027, 2, 28),
        provider="Acme Training",
        delivery="e-learning",
    )
    # in-house, blended: no HOWDELIVERED code
    record(
        bob,
        "Fire safety",
        dt.date(2026, 2, 2),
        provider="In-house (J Whitfield)",
        delivery="blended",
    )
    record(new_staff_id(db, "Cara"), "Fire safety", dt.date(2026, 2, 2))

    out = tmp_path / "asc.csv"
    result = export_asc_wds_training(db, out, TODAY)
    rows = _read(out)
    assert _asc_wds_says(rows) == []
    by = {(r[1], r[3]): r for r in rows[1:]}
    assert result.written == len(by) == 4
    fire = by[("W1", "Fire safety")]
    assert fire[:11] == [
        "MEADOW1", "W1", "6", "Fire safety", "1", "2", "88", "1", "12", "03/06/2026", "02/06/2027",
    ]  # fmt: skip
    assert "\n" not in fire[11] and utf16_length(fire[11]) <= 1000
    assert fire[11].startswith("Great trainer 😀 Practical on the hoist 👍 😀😀")
    assert by[("W1", "Basic life support")][4:] == [
        "", "", "", "", "", "10/01/2026", "31/12/2026", "",
    ]  # fmt: skip
    assert by[("W1", "Safeguarding adults")][4:] == [
        "", "2", "999", "2", "24", "01/03/2025", "28/02/2027", "",
    ]  # fmt: skip
    assert by[("W2", "Fire safety")][4:11] == ["", "1", "", "", "12", "02/02/2026", "01/02/2027"]
    warned = "\n".join(result.warnings)
    assert "Amy Smith, Fire safety completed 3 Jun 2026: the notes' line breaks" in warned
    assert "the notes are 1,012 characters as ASC-WDS counts them (emoji count as two)" in warned
    assert "'Acme Training' (1 record) is not in ASC-WDS's list" in warned
    assert "1 record delivered 'blended'" in warned
    assert len(result.warnings) == 4
    assert result.problems == [
        "Cara New has no ASC-WDS worker id: 1 training record left out. Add the id on their "
        "staff record (the UNIQUEWORKERID of your ASC-WDS staff file)."
    ]


def new_staff_id(db: Database, first: str) -> int:
    return next(s.id for s in list_staff(db) if s.first_name == first)


def test_a_long_course_name_is_shortened_and_said(db: Database, tmp_path: Path) -> None:
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    amy = new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    name = "Positive behaviour support 🧩 " + "and non-restrictive practice " * 3 + "L2🧩"
    assert len(name) <= 120 < utf16_length(name)
    save_course(db, CourseInput(name, 12, 19), expected_version=None)
    record_training(db, amy, TrainingInput(course_id(db, name), dt.date(2026, 5, 1)), today=TODAY)
    result = export_asc_wds_training(db, tmp_path / "asc.csv", TODAY)
    written = _read(tmp_path / "asc.csv")[1][3]
    assert name.startswith(written) and utf16_length(written) <= 120
    assert [w for w in result.warnings if "TRAININGNAME takes 120" in w]


def test_a_date_saved_before_the_rule_is_left_out_not_written_as_202(
    db: Database, tmp_path: Path
) -> None:
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    amy = new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    record_training(
        db, amy, TrainingInput(course_id(db, "Fire safety"), dt.date(2026, 5, 1)), today=TODAY
    )
    with db.session() as s:  # as an older version let it be saved
        s.add(
            TrainingRecord(
                staff_id=amy, course_id=course_id(db, "Basic life support"),
                completed_on=dt.date(202, 5, 1),
            )
        )  # fmt: skip
    result = export_asc_wds_training(db, tmp_path / "asc.csv", TODAY)
    assert "/202," not in (tmp_path / "asc.csv").read_text()
    assert result.written == 1
    assert result.problems == [
        "Amy Smith, Basic life support completed 1 May 202: the completion date is before 1950, "
        "so it was left out. Correct the date on the training record."
    ]


# --- Every problem at once, and no file when nothing can go in ---------------------------------


def test_every_problem_at_once_and_no_file(db: Database, tmp_path: Path) -> None:
    amy = new_staff(db, "Amy", "Smith")
    bob = new_staff(db, "Bob", "Jones")
    for who in (amy, bob):
        record_training(
            db, who, TrainingInput(course_id(db, "Fire safety"), dt.date(2026, 5, 1)), today=TODAY
        )
    out = tmp_path / "asc.csv"
    with pytest.raises(ValidationError) as info:
        export_asc_wds_training(db, out, TODAY)
    assert [p.field for p in info.value.problems] == [
        "asc_wds_workplace_id",
        "asc_wds_worker_id",
        "asc_wds_worker_id",
    ]
    messages = [p.message for p in info.value.problems]
    assert "workplace reference (LOCALESTID" in messages[0]
    assert "not the 8-character Workplace ID" in messages[0]
    assert messages[1].startswith("Amy Smith has no ASC-WDS worker id")
    assert messages[2].startswith("Bob Jones has no ASC-WDS worker id")
    assert not out.exists()
    # the reference set, but no one can go in: still no file, and still every reason
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    with pytest.raises(ValidationError) as info:
        export_asc_wds_training(db, out, TODAY)
    assert [p.field for p in info.value.problems] == [
        "records",
        "asc_wds_worker_id",
        "asc_wds_worker_id",
    ]
    assert "so none was written" in info.value.problems[0].message
    assert not out.exists()


def test_no_training_at_all_writes_no_file(db: Database, tmp_path: Path) -> None:
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    with pytest.raises(ValidationError) as info:
        export_asc_wds_training(db, tmp_path / "asc.csv", TODAY)
    assert "nothing to send to ASC-WDS" in info.value.message
    assert not (tmp_path / "asc.csv").exists()


def test_the_command_exits_2_with_every_message(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for first in ("Amy", "Bob"):
        who = new_staff(db, first, "Smith")
        record_training(
            db, who, TrainingInput(course_id(db, "Fire safety"), dt.date(2026, 5, 1)), today=TODAY
        )
    out = tmp_path / "asc.csv"
    args = ["export", "asc-wds-training", "--out", str(out), "--database", str(db_path)]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("error: ") for line in err)
    assert "LOCALESTID" in err[0] and "Amy Smith" in err[1] and "Bob Smith" in err[2]
    assert not out.exists()
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MEADOW1"),
        expected_version=settings_version(db),
    )
    with db.session() as s:
        member = s.get(StaffMember, new_staff_id(db, "Amy"))
        assert member is not None
        member.asc_wds_worker_id = "W1"
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Wrote 1 training records to {out}."
    assert lines[1].startswith("  not in the file: Bob Smith has no ASC-WDS worker id")
    assert "same bulk upload" in lines[-1] and "replaces the training" in lines[-1]


def test_the_workplace_reference_is_checked_as_asc_wds_counts(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        update_settings(
            db,
            SettingsInput("Meadowbank", asc_wds_workplace_id="🏠" * 26),
            expected_version=settings_version(db),
        )
    assert "LOCALESTID" in info.value.message
    update_settings(
        db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="G1001114"),
        expected_version=settings_version(db),
    )
    amy = new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    record_training(
        db, amy, TrainingInput(course_id(db, "Fire safety"), dt.date(2026, 5, 1)), today=TODAY
    )
    result = export_asc_wds_training(db, tmp_path / "asc.csv", TODAY)
    assert result.written == 1
    assert "looks like the 8-character Workplace ID" in result.warnings[0]
