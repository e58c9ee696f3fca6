"""The import preview: updates field by field, conflicts held back, "empty cells clear fields",
and nothing written until the manager clicks Import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from provider_desk.areas.models import Person
from provider_desk.areas.people.services import PersonInput, save_person
from provider_desk.areas.staff.queries import list_staff
from tests.conftest import TODAY
from tests.core.importing import change_log_length, dump
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.dialogs.import_dialog import ImportDialog
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
            expected_version=None,
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


def _choose_import(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
    name: str,
) -> ImportDialog:
    """Import ``path`` as a manager does: the file dialog (monkeypatched) picks it."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    before = set(window.findChildren(ImportDialog))
    window.choose_import(name)
    wait_idle(qtbot, ctx)
    (dialog,) = set(window.findChildren(ImportDialog)) - before
    return dialog


def _staff_file(path: Path, *people: tuple[str, str]) -> Path:
    path.write_text(
        "Christian name,Surname,Job title,Began,Team\n"
        + "".join(f"{first},{last},Care worker,01/03/2023,North\n" for first, last in people),
        encoding="utf-8",
    )
    return path


def test_the_mapping_step_maps_unrecognised_headings_and_remembers_them(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _staff_file(tmp_path / "staff.csv", ("Ngozi", "Okafor"), ("Ewa", "Nowak"))
    dialog = _choose_import(qtbot, window, ctx, monkeypatch, path, "staff")
    # No start date recognised: said in the dialog (no --map, no message box), Columns tab open.
    assert "No column for Start date" in dialog.summary.text()
    assert "--map" not in dialog.summary.text()
    assert dialog.tabs.currentIndex() == dialog.columns_tab
    assert not dialog.import_button.isEnabled()
    boxes = dialog.field_boxes
    assert list(boxes) == ["Christian name", "Surname", "Job title", "Began", "Team"]
    assert {h: b.currentData() for h, b in boxes.items()} == {
        "Christian name": "ignore",
        "Surname": "last_name",
        "Job title": "job_role",
        "Began": "ignore",
        "Team": "team",
    }
    assert dialog.mapping_table.item(0, 2).text() == "Ngozi · Ewa"  # what the column holds

    boxes["Began"].setCurrentIndex(boxes["Began"].findData("start_date"))
    wait_idle(qtbot, ctx)
    assert dialog.report is not None and dialog.report.imported == 0  # still no first names
    boxes["Christian name"].setCurrentIndex(boxes["Christian name"].findData("first_name"))
    wait_idle(qtbot, ctx)
    assert dialog.report is not None and dialog.report.imported == 2
    assert "'Christian name' → First name" in dialog.summary.text()
    # The preview shows every mapped field, not only the name.
    titles = [
        dialog.planned.headerData(i, Qt.Orientation.Horizontal)
        for i in range(dialog.planned.columnCount())
    ]
    assert titles[3:] == ["First name", "Last name", "Job role", "Start date", "Team"]
    first = [dialog.planned.index(0, c).data() for c in range(dialog.planned.columnCount())]
    assert first[3:] == ["Ngozi", "Okafor", "Care worker", "01/03/2023", "North"]
    dialog.import_button.click()
    wait_idle(qtbot, ctx)
    assert {(m.first_name, m.start_date) for m in list_staff(ctx.db)} == {
        ("Ngozi", dt.date(2023, 3, 1)),
        ("Ewa", dt.date(2023, 3, 1)),
    }

    # The next file with the same headings: mapped as last time, without asking.
    again = _staff_file(tmp_path / "more.csv", ("Dawn", "Hughes"))
    second = _choose_import(qtbot, window, ctx, monkeypatch, again, "staff")
    assert second.field_boxes["Christian name"].currentData() == "first_name"
    assert second.field_boxes["Began"].currentData() == "start_date"
    assert second.report is not None and second.report.imported == 1
    assert second.import_button.isEnabled()
    second.import_button.click()
    wait_idle(qtbot, ctx)
    assert "Dawn" in {m.first_name for m in list_staff(ctx.db)}


def test_an_ambiguous_column_is_asked_before_anything_is_imported(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Staff name,Role,Start date\nAmy Smith,Amy,Care worker,01/02/2024\n",
        encoding="utf-8",
    )
    dialog = _choose_import(qtbot, window, ctx, monkeypatch, path, "staff")
    assert dialog.field_boxes["Name"].currentData() == ""  # neither column chosen for Name
    assert dialog.field_boxes["Staff name"].currentData() == ""
    assert "Choose what column 1 'Name' is" in dialog.summary.text()
    assert dialog.tabs.tabText(dialog.columns_tab) == "Columns (2 to choose)"
    assert not dialog.import_button.isEnabled()
    dialog.set_field("Name", "full_name")
    wait_idle(qtbot, ctx)
    assert not dialog.import_button.isEnabled()  # Staff name still to choose
    dialog.set_field("Staff name", "ignore")
    wait_idle(qtbot, ctx)
    assert dialog.report is not None and dialog.report.imported == 1
    assert dialog.import_button.isEnabled()
    assert dialog.tabs.tabText(dialog.columns_tab) == "Columns"
    dialog.reject()


def test_a_report_of_training_completions_has_the_same_mapping_step(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from provider_desk.areas.training.queries import training_records
    from tests.conftest import new_staff

    new_staff(ctx.db, "Amy", "Smith")
    path = tmp_path / "completions.csv"
    path.write_text(
        "Name,Course,Date,Completed\nAmy Smith,Fire safety,01/02/2026,01/03/2026\n",
        encoding="utf-8",
    )
    dialog = _choose_import(qtbot, window, ctx, monkeypatch, path, "training")
    assert dialog.plan is not None and not dialog.import_button.isEnabled()
    assert dialog.tabs.tabText(dialog.columns_tab) == "Columns (2 to choose)"
    dialog.field_boxes["Date"].setCurrentIndex(dialog.field_boxes["Date"].findData("ignore"))
    wait_idle(qtbot, ctx)
    box = dialog.field_boxes["Completed"]
    box.setCurrentIndex(box.findData("completed_on"))
    wait_idle(qtbot, ctx)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    wait_idle(qtbot, ctx)
    (record,) = training_records(ctx.db)
    assert record.completed_on == dt.date(2026, 3, 1)
