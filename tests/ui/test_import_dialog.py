"""The import preview: updates field by field, conflicts held back, "empty cells clear fields",
and nothing written until the manager clicks Import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from provider_desk.areas.models import Person
from provider_desk.areas.people.services import PersonInput, save_person
from tests.conftest import TODAY
from tests.core.importing import change_log_length, dump
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow


def _people(ctx: AppContext) -> dict[str, Person]:
    with ctx.db.reading() as s:
        return {p.reference: p for p in s.scalars(select(Person))}


def test_preview_lists_changes_and_conflicts_and_applies_only_on_confirm(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    for ref, first, last, nhs in (
        ("P-0001", "Mary", "Brown", "9434765919"),
        ("P-0002", "Emily", "Baker", "4010232137"),
    ):
        save_person(
            ctx.db,
            None,
            PersonInput(
                first,
                last,
                dt.date(2026, 3, 1),
                reference=ref,
                nhs_number=nhs,
                date_of_birth=dt.date(1940, 4, 2),
                postcode="AN1 2BC",
                next_of_kin="Son, 07700 900123",
            ),
            today=TODAY,
        )
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "NHS number,First name,Last name,Preferred name,Postcode\n"
        "943 476 5919,Mary,Brown,Molly,\n"
        "401 023 2137,Zed,Qu,,\n",
        encoding="utf-8",
    )
    before, log = dump(ctx.db), change_log_length(ctx.db)
    dialog = window.open_import(sheet, "people")
    wait_idle(qtbot, ctx)
    assert "0 new, 1 updated" in dialog.summary.text()
    assert "1 conflict will not be applied" in dialog.summary.text()
    assert "Nothing has been saved yet" in dialog.summary.text()
    assert dialog.clear_empty.isVisibleTo(dialog)
    lines = dialog.changes.rows()
    assert [(c.where, c.field, c.old, c.new) for c in lines] == [
        ("line 2", "Preferred name", "(blank)", "Molly")
    ]
    (conflict,) = dialog.conflicts.rows()
    assert "Emily Baker" in conflict.saved and conflict.in_file.startswith("Zed Qu")
    assert dialog.tabs.currentIndex() == 2  # the conflicts are what to look at first
    assert dump(ctx.db) == before and change_log_length(ctx.db) == log

    dialog.clear_empty.setChecked(True)  # the preview runs again, now clearing the postcode
    wait_idle(qtbot, ctx)
    fields = {c.field for c in dialog.changes.rows()}
    assert fields == {"Preferred name", "Postcode"}
    assert dump(ctx.db) == before

    dialog.import_button.click()
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    people = _people(ctx)
    assert (people["P-0001"].preferred_name, people["P-0001"].postcode) == ("Molly", "")
    assert people["P-0001"].next_of_kin == "Son, 07700 900123"  # not in the file: kept
    assert (people["P-0002"].first_name, people["P-0002"].last_name) == ("Emily", "Baker")


def _matrix(path: Path, course_heading: str = "Lifting stuff") -> Path:
    path.write_text(
        f"Name,Fire,{course_heading},Shoe size\nAmy Smith,01/06/2026,02/06/2026,5\n",
        encoding="utf-8",
    )
    return path


def test_preview_maps_an_unrecognised_column_and_remembers_it_for_the_layout(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    from provider_desk.areas.training.queries import list_courses, training_records
    from tests.conftest import new_staff

    new_staff(ctx.db, "Amy", "Smith")
    dialog = window.open_import(_matrix(tmp_path / "a.csv"), "training")
    wait_idle(qtbot, ctx)
    assert dialog.report is not None and dialog.report.imported == 1
    assert dialog.tabs.isTabVisible(dialog.columns_tab)
    fates = {c.header: c.fate for c in dialog.column_fates.rows()}
    assert fates == {
        "Name": "ignored",
        "Fire": "matched",
        "Lifting stuff": "unmatched",
        "Shoe size": "unmatched",
    }
    assert "2 columns not recognised" in dialog.summary.text()
    assert not dialog.map_row.isHidden()
    dialog.map_column.setCurrentIndex(
        next(
            i
            for i in range(dialog.map_column.count())
            if "Lifting" in dialog.map_column.itemText(i)
        )
    )
    dialog.map_course.setCurrentIndex(dialog.map_course.findData("Moving and handling people"))
    dialog.map_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.report is not None and dialog.report.imported == 2
    fates = {c.header: (c.fate, c.target) for c in dialog.column_fates.rows()}
    assert fates["Lifting stuff"] == ("matched", "Moving and handling people")
    dialog.map_to("Shoe size", "ignore")
    wait_idle(qtbot, ctx)
    assert dialog.report is not None and not dialog.report.unmatched_columns()
    assert dialog.map_row.isHidden()
    dialog.reject()

    # Another file of the same layout: the mapping is offered again without asking.
    again = window.open_import(_matrix(tmp_path / "b.csv"), "training")
    wait_idle(qtbot, ctx)
    assert again.report is not None and again.report.imported == 2
    assert again.mapping == {"Lifting stuff": "Moving and handling people", "Shoe size": "ignore"}
    again.import_button.click()
    wait_idle(qtbot, ctx)
    assert {r.course for r in training_records(ctx.db)} == {
        "Fire safety",
        "Moving and handling people",
    }

    # A column can be a new course, created from the preview.
    other = window.open_import(_matrix(tmp_path / "c.csv", "Basket weaving"), "training")
    wait_idle(qtbot, ctx)
    assert other.create_course("Basket weaving")
    other.map_to("Basket weaving", "Basket weaving")
    wait_idle(qtbot, ctx)
    assert "Basket weaving" in {c.name for c in list_courses(ctx.db)}
    assert other.report is not None
    assert ("Basket weaving", "matched") in {(c.header, c.fate) for c in other.report.column_fates}
    other.reject()
