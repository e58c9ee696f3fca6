"""Length limits and invisible characters: one check shared by the forms and the importers."""

from __future__ import annotations

import datetime as dt

import pytest

from provider_desk.areas.people.services import PersonInput, save_person
from provider_desk.areas.staff.services import StaffInput, add_staff
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.rules import validators as v
from tests.conftest import TODAY, role_id


@pytest.mark.parametrize(
    ("value", "multiline", "words"),
    [
        ("Em\x00ily", False, "invisible character ('\\x00') at character 3"),
        ("Emily\nBaker", False, "a line break at character 6"),
        ("x" * 101, False, "101 characters long; the most allowed is 100"),
        ("\ud800", False, "invisible character"),
    ],
)
def test_text_problems(value: str, multiline: bool, words: str) -> None:
    problem = v.text("f", value, "Name", max_len=100, multiline=multiline)
    assert problem is not None and words in problem.message


@pytest.mark.parametrize("value", ["", "  Émilie O'Brien-Łukasz  ", "line\nbreak\ttab", "x" * 100])
def test_text_that_is_fine(value: str) -> None:
    assert v.text("f", value, "Notes", max_len=100, multiline=True) is None


def test_the_forms_refuse_a_nul_byte_and_a_huge_surname(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        save_person(
            db,
            None,
            PersonInput("Zed\x00", "Qu", dt.date(2026, 1, 5)),
            today=TODAY,
            expected_version=None,
        )
    assert info.value.field == "first_name"
    with pytest.raises(ValidationError) as info:
        add_staff(db, StaffInput("Amy", "S" * 100_000, role_id(db), TODAY), today=TODAY)
    assert info.value.field == "last_name" and "100,000 characters" in info.value.message
