"""The training matrix page and its dialogs, against the real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.training.queries import care_certificate, list_courses, training_records
from provider_desk.areas.training.services import TrainingInput, record_training
from provider_desk.rules.due import Level
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, role_id, settings_version
from tests.ui.conftest import click_save, wait_idle
from ui.areas.training.matrix_model import CELL_ROLE, MatrixModel
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE


def course_ids(ctx: AppContext) -> dict[str, int]:
    return {c.name: c.id for c in list_courses(ctx.db)}


def column_of(window: MainWindow, course: str) -> int:
    model = window.page("training").model
    return next(
        j
        for j in range(model.columnCount())
        if model.course_at(j) is not None and model.course_at(j).name == course
    )


def setup_people(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> tuple[int, int]:
    amy = new_staff(ctx.db, "Amy", "Smith", team="North")
    bob = new_staff(ctx.db, "Bob", "Jones", team="South")
    record_training(
        ctx.db, amy, TrainingInput(course_ids(ctx)["Fire safety"], dt.date(2026, 6, 1)), today=TODAY
    )
    window.page("training").refresh()
    wait_idle(qtbot, ctx)
    return amy, bob


def test_matrix_model_passes_the_model_tester(
    qtmodeltester: ModelTester, qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    setup_people(qtbot, window, ctx)
    model = window.page("training").model
    assert isinstance(model, MatrixModel) and model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(window.page("training").proxy, force_py=True)


def test_cells_say_status_in_words_and_headers_show_compliance(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    amy, _ = setup_people(qtbot, window, ctx)
    page = window.page("training")
    col = column_of(window, "Fire safety")
    page.select_cell(amy, col)
    index = page.table.currentIndex()
    assert index.data() == "31 May 2027"
    assert index.data(CELL_ROLE).status == Level.IN_DATE
    assert "expires 31 May 2027" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.headerData(col, Qt.Orientation.Horizontal).endswith("50%")
    missing = page.proxy.index(index.row(), column_of(window, "Basic life support"))
    assert missing.data() == "Missing"
    assert "50%" not in page.summary.text() and "showing 2 of 2 staff" in page.summary.text()


def test_filters_find_who_is_overdue(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    amy, bob = setup_people(qtbot, window, ctx)
    page = window.page("training")
    courses = course_ids(ctx)
    cw = role_id(ctx.db, "Care worker")
    required = [c.id for c in list_courses(ctx.db) if cw in c.required_role_ids]
    for cid in required:  # Bob is fully trained
        record_training(ctx.db, bob, TrainingInput(cid, dt.date(2026, 10, 1)), today=TODAY)
    page.refresh()
    wait_idle(qtbot, ctx)
    page.show_filter.setCurrentIndex(page.show_filter.findData("problems"))
    assert [
        page.proxy.index(i, 0).data(ROW_ROLE).person.id for i in range(page.proxy.rowCount())
    ] == [amy]
    page.show_filter.setCurrentIndex(page.show_filter.findData("in date"))
    assert page.proxy.rowCount() == 1
    page.show_filter.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "amy")
    assert page.proxy.rowCount() == 1
    page.search.clear()
    page.team_filter.setCurrentIndex(page.team_filter.findData("South"))
    assert page.proxy.index(0, 0).data(ROW_ROLE).person.id == bob
    assert courses  # the catalogue is seeded


def test_record_a_session_for_two_people(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    amy, bob = setup_people(qtbot, window, ctx)
    page = window.page("training")
    dialog = page.record_training()
    assert dialog is not None
    dialog.course.setCurrentIndex(dialog.course.findText("Basic life support"))
    dialog.completed_on.edit.setText("30/11/2026")
    click_save(qtbot, ctx, dialog)
    assert "in the future" in dialog.form.errors["completed_on"].text()
    assert "Tick at least one person" in dialog.form.errors["staff_ids"].text()
    dialog.people.set_ticked({amy, bob})
    dialog.completed_on.edit.setText("20/11/2026")
    assert "expires 19 Nov 2027" in dialog.expiry_hint.text()
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    bls = [r.staff_name for r in training_records(ctx.db) if r.course == "Basic life support"]
    assert sorted(bls) == ["Amy Smith", "Bob Jones"]
    wait_idle(qtbot, ctx)
    page.select_cell(amy, column_of(window, "Basic life support"))
    assert page.table.currentIndex().data(CELL_ROLE).status == Level.IN_DATE


def test_cell_history_add_correct_and_remove(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    amy, _ = setup_people(qtbot, window, ctx)
    page = window.page("training")
    page.select_cell(amy, column_of(window, "Fire safety"))
    wait_idle(qtbot, ctx)
    assert "Fire safety — Amy Smith" in page.cell_title.text()
    assert page.history_model.rowCount() == 1
    add = page.add_for_cell()
    assert add is not None and add.people.ticked() == [amy]
    assert add.course.currentText() == "Fire safety"
    add.completed_on.edit.setText("01/06/2026")
    click_save(qtbot, ctx, add)
    assert "already has this course" in add.form.errors["completed_on"].text()
    add.completed_on.edit.setText("02/11/2026")
    pdf = tmp_path / "fire.pdf"
    pdf.write_bytes(b"%PDF-1.4 certificate")
    add.set_certificate(pdf)
    click_save(qtbot, ctx, add)
    wait_idle(qtbot, ctx)
    assert page.history_model.rowCount() == 2
    assert page.history_model.row_at(0).certificate == "fire.pdf"
    page.save_certificate_to(page.history_model.row_at(0).attachment_id, tmp_path / "copy.pdf")
    wait_idle(qtbot, ctx)
    assert (tmp_path / "copy.pdf").read_bytes() == pdf.read_bytes()
    page.history.selectRow(1)
    fix = page.edit_history()
    assert fix is not None
    fix.expires_on.edit.setText("01/05/2026")
    click_save(qtbot, ctx, fix)
    assert "must be after" in fix.form.errors["expires_on"].text()
    fix.expires_on.edit.setText("01/06/2029")
    click_save(qtbot, ctx, fix)
    assert any(r.expiry_overridden for r in training_records(ctx.db))
    wait_idle(qtbot, ctx)
    page.history.selectRow(0)
    page.remove_history(confirm=False)
    wait_idle(qtbot, ctx)
    assert len(training_records(ctx.db)) == 1


def test_course_catalogue_changes_the_matrix(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    amy, _ = setup_people(qtbot, window, ctx)
    page = window.page("training")
    dialog = page.open_courses()
    wait_idle(qtbot, ctx)
    row = next(
        i for i in range(dialog.model.rowCount()) if dialog.model.row_at(i).name == "Fire safety"
    )
    form = dialog.open_form(dialog.model.row_at(row))
    form.months.setValue(3)
    click_save(qtbot, ctx, form)
    wait_idle(qtbot, ctx)
    page.select_cell(amy, column_of(window, "Fire safety"))
    assert page.table.currentIndex().data(CELL_ROLE).status == Level.OVERDUE
    new = dialog.open_form(None)
    new.name.setText("Catheter care")
    new.never.setChecked(True)
    for i in range(new.roles.count()):
        if new.roles.item(i).text() == "Care worker":
            new.roles.item(i).setCheckState(Qt.CheckState.Checked)
    click_save(qtbot, ctx, new)
    wait_idle(qtbot, ctx)
    assert column_of(window, "Catheter care") > 0


def test_care_certificate_dialog(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    amy, _ = setup_people(qtbot, window, ctx)
    page = window.page("training")
    page.select_cell(amy, 0)
    page.open_care_certificate()
    wait_idle(qtbot, ctx)
    dialog = page.cc_dialog
    dialog.dates[1].edit.setText("10/11/2026")
    dialog.dates[2].edit.setText("10/12/2026")
    click_save(qtbot, ctx, dialog)
    assert "in the future" in dialog.form.errors["standard_2"].text()
    dialog.dates[2].edit.setText("12/11/2026")
    dialog.assessor.setText("Joanna Whitfield")
    click_save(qtbot, ctx, dialog)
    done = [s for s in care_certificate(ctx.db, amy) if s.completed_on]
    assert [(s.number, s.assessor) for s in done] == [
        (1, "Joanna Whitfield"),
        (2, "Joanna Whitfield"),
    ]


def test_exports_from_the_page(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    setup_people(qtbot, window, ctx)
    page = window.page("training")
    page.export_matrix_to(tmp_path / "matrix.pdf")
    page.export_matrix_to(tmp_path / "matrix.xlsx")
    wait_idle(qtbot, ctx)
    assert (tmp_path / "matrix.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "matrix.xlsx").stat().st_size > 0
    update_settings(
        ctx.db,
        SettingsInput("Meadowbank", asc_wds_workplace_id="MB1"),
        expected_version=settings_version(ctx.db),
    )
    warned: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
        page.export_asc_wds_to(tmp_path / "asc.csv")
        wait_idle(qtbot, ctx)
    assert not (tmp_path / "asc.csv").exists()  # nobody has a worker id: nothing to send
    assert "Amy Smith has no ASC-WDS worker id" in warned[0]
    amy = next(s.id for s in list_staff(ctx.db) if s.first_name == "Amy")
    update_staff_asc_id(ctx, amy, "W1")
    record_training(
        ctx.db,
        amy,
        TrainingInput(
            course_ids(ctx)["Basic life support"], dt.date(2026, 6, 1), delivery="blended"
        ),
        today=TODAY,
    )
    page.export_asc_wds_to(tmp_path / "asc.csv")
    wait_idle(qtbot, ctx)
    assert (tmp_path / "asc.csv").read_text().startswith("LOCALESTID,UNIQUEWORKERID")
    assert "1 warning(s)" in page.asc_result_box.text()
    assert "delivered 'blended'" in page.asc_result_box.informativeText()
    page.asc_result_box.close()


def update_staff_asc_id(ctx: AppContext, staff_id: int, worker_id: str) -> None:
    from provider_desk.areas.staff.models import StaffMember

    with ctx.db.session() as s:
        member = s.get(StaffMember, staff_id)
        assert member is not None
        member.asc_wds_worker_id = worker_id


def test_asc_wds_export_says_what_an_upload_needs_and_does_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.page("training")
    box = page.asc_wds_note_box()
    assert "same bulk upload" in box.informativeText()
    assert "workplace file and your staff file" in box.informativeText()
    assert "replaces the training ASC-WDS holds" in box.informativeText()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: asked.append("save") or ("", ""))
    page.export_asc_wds()
    assert asked == []  # cancelled before choosing where to save
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Ok)
    page.export_asc_wds()
    assert asked == ["save"]


def test_training_import_from_the_main_window(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    setup_people(qtbot, window, ctx)
    sheet = tmp_path / "matrix.csv"
    sheet.write_text(
        "Name,Fire,BLS\nAmy Smith,01/10/2026,01/10/2026\nCara New,01/09/2026,N/A\n",
        encoding="utf-8",
    )
    dialog = window.open_import(sheet, "training")
    wait_idle(qtbot, ctx)
    assert dialog.planned.rowCount() == 2 and dialog.skipped.rowCount() == 1
    dialog.flags["create_staff"].setChecked(True)
    wait_idle(qtbot, ctx)
    assert dialog.planned.rowCount() == 4  # Cara added, then her Fire safety
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    assert len(training_records(ctx.db)) == 4
    wait_idle(qtbot, ctx)
    assert window.page("training").proxy.rowCount() == 3


def setup_levels(ctx: AppContext) -> tuple[int, int, int]:
    """Three care workers whose cells at each level are known (the due-soon window is 90 days):
    Amy: Fire safety expired, Safeguarding adults due soon, the other 15 required never done.
    Bob: Fire safety and Basic life support expired, Safeguarding children due soon.
    Cat: everything in date; Moving and handling expires in 128 days (not due soon)."""
    ids = course_ids(ctx)
    cw = role_id(ctx.db, "Care worker")
    required = [c.id for c in list_courses(ctx.db) if cw in c.required_role_ids]
    assert len(required) == 17
    amy = new_staff(ctx.db, "Amy", "Smith", team="North")
    bob = new_staff(ctx.db, "Bob", "Jones", team="South")
    cat = new_staff(ctx.db, "Cat", "Brown", team="North")
    long_ago, lately = dt.date(2025, 6, 1), dt.date(2026, 10, 1)
    done = {
        amy: {ids["Fire safety"]: long_ago, ids["Safeguarding adults"]: dt.date(2025, 12, 20)},
        bob: {
            **dict.fromkeys(required, lately),
            ids["Fire safety"]: long_ago,
            ids["Basic life support"]: long_ago,
            ids["Safeguarding children"]: dt.date(2025, 12, 1),
        },
        cat: {
            **dict.fromkeys(required, lately),
            ids["Moving and handling people"]: TODAY.replace(month=4, day=1),
        },
    }
    for staff_id, courses in done.items():
        for course_id, on in courses.items():
            record_training(ctx.db, staff_id, TrainingInput(course_id, on), today=TODAY)
    return amy, bob, cat


def shown_ids(page: object) -> list[int]:
    proxy = page.proxy  # type: ignore[attr-defined]
    return sorted(proxy.index(i, 0).data(ROW_ROLE).person.id for i in range(proxy.rowCount()))


def test_focus_lists_the_staff_with_cells_at_a_level_and_counts_the_cells(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.dashboard import read_home
    from provider_desk.dashboard.figures import counts

    amy, bob, _cat = setup_levels(ctx)
    page = window.page("training")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.focus_count() is None  # no focus asked yet
    # Filters that would hide people, and a wide "due within" the card does not use.
    page.team_filter.setCurrentIndex(page.team_filter.findData("South"))
    qtbot.keyClicks(page.search, "cat")
    page.days.setValue(365)
    card = counts(read_home(ctx.db, TODAY).figures.cards()["training"])
    for what, ids, cells, words in (
        ("training:expired", [amy, bob], 3, "(3 expired)"),
        ("training:missing", [amy], 15, "(15 never done)"),
        ("training:due_soon", [amy, bob], 2, "(2 due within 90 days)"),
    ):
        page.focus(what)
        assert shown_ids(page) == sorted(ids), what
        assert page.focus_count() == cells == card[what.split(":")[1]], what
        assert page.search.text() == "" and page.team_filter.currentData() is None
        assert words in page.summary.text()
    assert page.show_filter.currentText() == "Due soon (within 90 days)"
    # The "Anything due within 365 days" choice would list Cat too: the card's window is not it.
    page.show_filter.setCurrentIndex(page.show_filter.findData("due"))
    assert page.proxy.rowCount() == 3
    page.focus("training:nonsense")  # unknown: the page stays as it is
    assert page.proxy.rowCount() == 3


def test_focus_and_open_item_before_the_first_load(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.reading import Attention
    from ui.areas.training.page import TrainingPage

    amy, bob, _cat = setup_levels(ctx)
    page = TrainingPage(ctx)
    qtbot.addWidget(page)
    page.focus("training:expired")
    assert page.focus_count() is None  # not loaded yet
    page.refresh()
    wait_idle(qtbot, ctx)
    assert shown_ids(page) == sorted([amy, bob]) and page.focus_count() == 3

    fresh = TrainingPage(ctx)
    qtbot.addWidget(fresh)
    course = course_ids(ctx)["Basic life support"]
    item = Attention("training", "Bob Jones: BLS", Level.OVERDUE, None, "", "", bob, part_id=course)
    fresh.open_item(item)
    assert fresh.opened() == (None, None)
    fresh.refresh()
    wait_idle(qtbot, ctx)
    assert fresh.opened() == (bob, course)
    assert fresh.table.currentIndex().data(CELL_ROLE).status is Level.OVERDUE


def test_open_item_clears_the_filters_hiding_the_cell(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.reading import Attention

    amy, bob, cat = setup_levels(ctx)
    page = window.page("training")
    page.refresh()
    wait_idle(qtbot, ctx)
    page.focus("training:missing")  # only Amy is listed
    assert shown_ids(page) == [amy]
    course = course_ids(ctx)["Moving and handling people"]
    page.open_item(Attention("training", "Cat", Level.IN_DATE, None, "", "", cat, part_id=course))
    assert page.opened() == (cat, course)
    assert page.focus_count() is None  # the focus is over
    assert page.show_filter.currentData() == "everyone"
    assert page.current_course().name == "Moving and handling people"
    assert bob


def test_the_legend_explains_each_mark_and_amber_with_the_settings_window(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    update_settings(
        ctx.db,
        SettingsInput(provider_name="P", due_soon_days=45),
        expected_version=settings_version(ctx.db),
    )
    setup_people(qtbot, window, ctx)
    legend = window.page("training").legend
    assert set(legend.entries) == set(Level)
    text = legend.text_plain()
    assert "Due soon (amber): in date, but expires within 45 days" in text
    assert "Expired: past its expiry date" in text
    assert "45 days" in legend.text() and "#ffe8c2" in legend.text()  # amber, on screen
    assert "A date in a cell is when the training expires" in text
