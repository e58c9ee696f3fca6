"""The ASC-WDS training bulk-upload file, checked by ASC-WDS's own rules (issue 18, section 2),
and the date rule that keeps a slip like the year 0202 out of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from provider_desk.areas.training.imports import import_training
from provider_desk.areas.training.queries import list_courses, training_records
from provider_desk.areas.training.services import TrainingInput, record_training
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from tests.conftest import TODAY, new_staff


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
