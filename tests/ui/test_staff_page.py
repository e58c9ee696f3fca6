"""Adding, editing, validating and archiving staff through the real dialogs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from provider_desk.areas.staff.queries import list_staff, staff_checks
from tests.conftest import TODAY, check_version_of, new_staff, role_id, version_of
from tests.ui.conftest import click_save, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE


def shown_names(window: MainWindow) -> list[str]:
    proxy = window.page("staff").proxy
    return [proxy.index(i, 0).data(ROW_ROLE).full_name for i in range(proxy.rowCount())]


def test_empty_register_invites_add_or_import(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    window.show_area("staff")
    wait_idle(qtbot, ctx)
    page = window.page("staff")
    assert page.stack.currentWidget() is page.empty
    assert "No staff yet" in page.empty.title.text()


def test_add_staff_member_through_the_dialog(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    window.show_area("staff")
    wait_idle(qtbot, ctx)
    page = window.page("staff")
    dialog = page.add_staff()
    qtbot.keyClicks(dialog.first_name, "Ngozi")
    qtbot.keyClicks(dialog.last_name, "Okafor")
    dialog.job_role.setCurrentIndex(dialog.job_role.findText("Care worker"))
    dialog.team.setCurrentText("North")
    dialog.start_date.edit.setText("3/4/2025")
    assert dialog.start_date.hint.text() == "Thursday 3 Apr 2025"
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    (row,) = list_staff(ctx.db)
    assert (row.full_name, row.team, row.start_date) == (
        "Ngozi Okafor",
        "North",
        dt.date(2025, 4, 3),
    )
    assert shown_names(window) == ["Ngozi Okafor"]
    assert page.selected() is not None and page.selected().full_name == "Ngozi Okafor"
    assert page.stack.currentWidget() is page.splitter


def test_validation_appears_next_to_each_field_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    dialog = window.page("staff").add_staff()
    qtbot.keyClicks(dialog.first_name, "Amy")
    dialog.start_date.edit.setText("31/02/2025")
    dialog.leaving_date.edit.setText("")
    click_save(qtbot, ctx, dialog)
    errors = dialog.form.errors
    assert dialog.isVisible()
    assert "not a real date" in errors["start_date"].text() and errors["start_date"].isVisibleTo(
        dialog
    )
    dialog.start_date.edit.setText("01/02/2025")
    dialog.leaving_date.edit.setText("01/01/2025")
    dialog.status.setCurrentIndex(dialog.status.findData("left"))
    click_save(qtbot, ctx, dialog)
    assert errors["last_name"].text() == "Last name is required."
    assert errors["job_role_id"].text() == "Choose a job role."
    assert "before the start date" in errors["leaving_date"].text()
    assert errors["start_date"].text() == ""
    assert list_staff(ctx.db, include_left=True) == []


def test_edit_and_record_leaver(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    new_staff(ctx.db, "Amy", "Smith")
    new_staff(ctx.db, "Bob", "Jones")
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.select_staff(list_staff(ctx.db)[1].id)  # Amy Smith (sorted by last name)
    dialog = page.edit_selected()
    assert dialog is not None and dialog.first_name.text() == "Amy"
    dialog.team.setCurrentText("South")
    click_save(qtbot, ctx, dialog)
    assert {r.full_name: r.team for r in list_staff(ctx.db)}["Amy Smith"] == "South"
    leaver = page.record_leaver()
    assert leaver is not None
    leaver.leaving_date.edit.setText("20/11/2026")
    click_save(qtbot, ctx, leaver)
    assert shown_names(window) == ["Bob Jones"]
    page.status_filter.setCurrentIndex(page.status_filter.findData("left"))
    assert shown_names(window) == ["Amy Smith"]


def test_possible_duplicate_asks_before_adding(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_staff(ctx.db, "Amy", "Smith", start_date=dt.date(2025, 4, 3))
    asked: list[str] = []

    def answer(*args: object, **kw: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.page("staff").refresh()
    wait_idle(qtbot, ctx)
    dialog = window.page("staff").add_staff()
    dialog.first_name.setText("Amy")
    dialog.last_name.setText("Smith")
    dialog.job_role.setCurrentIndex(dialog.job_role.findText("Care worker"))
    dialog.start_date.edit.setText("03/04/2025")
    click_save(qtbot, ctx, dialog)
    wait_idle(qtbot, ctx)
    assert "already on the register" in asked[0]
    assert len(list_staff(ctx.db)) == 2


def test_filters_search_and_chase_only(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    from provider_desk.areas.staff.services import CheckInput, record_check
    from provider_desk.resources import check_kinds

    done = new_staff(ctx.db, "Amy", "Smith", team="North")
    new_staff(ctx.db, "Bob", "Jones", team="South")
    for kind in check_kinds():
        record_check(
            ctx.db,
            done,
            kind.kind,
            CheckInput("not applicable"),
            today=TODAY,
            expected_version=check_version_of(ctx.db, done, kind.kind),
        )
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    qtbot.keyClicks(page.search, "smi")
    assert shown_names(window) == ["Amy Smith"]
    page.search.clear()
    page.team_filter.setCurrentIndex(page.team_filter.findData("South"))
    assert shown_names(window) == ["Bob Jones"]
    page.team_filter.setCurrentIndex(0)
    page.checks_filter.setCurrentIndex(page.checks_filter.findData("to chase"))
    assert shown_names(window) == ["Bob Jones"]
    assert "1 with checks to chase" in page.count_label.text()
    qtbot.keyClicks(page.search, "nobody")
    assert page.stack.currentWidget() is page.empty
    page.clear_filters()
    assert len(shown_names(window)) == 2


def test_record_dbs_check_with_file(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    staff_id = new_staff(ctx.db)
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    page.select_staff(staff_id)
    wait_idle(qtbot, ctx)
    assert page.selected_check() is not None  # the first check to chase is ready to record
    assert page.selected_check().kind == "identity"
    page.checks_table.selectRow(1)  # the DBS row
    dialog = page.edit_check()
    assert dialog is not None and dialog.check.kind == "dbs"
    dialog.status.setCurrentIndex(dialog.status.findData("verified"))
    dialog.checked_on.edit.setText("20/11/2026")
    dialog.reference.setText("0012 3456 789")
    dialog.issued_on.edit.setText("18/11/2026")
    click_save(qtbot, ctx, dialog)
    assert "12 digits" in dialog.form.errors["reference"].text()
    assert "barred list" in dialog.form.errors["barred_list_checked"].text()
    dialog.reference.setText("0012 3456 7890")
    dialog.barred.setChecked(True)
    pdf = tmp_path / "dbs.pdf"
    pdf.write_bytes(b"%PDF-1.4 certificate")
    dialog.set_file(pdf)
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    dbs = next(c for c in staff_checks(ctx.db, staff_id) if c.kind == "dbs")
    assert (dbs.status, dbs.reference, dbs.attachment_name) == (
        "verified",
        "001234567890",
        "dbs.pdf",
    )
    wait_idle(qtbot, ctx)
    assert page.checks_model.row_at(1).status == "verified"
    assert "1 missing" not in page.count_label.text()


def test_dbs_for_a_role_without_regulated_activity_needs_no_barred_list(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    staff_id = new_staff(ctx.db, "Ada", "Clerk", job_role_id=role_id(ctx.db, "Administrative"))
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    page.select_staff(staff_id)
    wait_idle(qtbot, ctx)
    page.checks_table.selectRow(1)  # the DBS row
    dialog = page.edit_check()
    assert dialog is not None and dialog.check.kind == "dbs"
    assert "Not needed for this job role" in dialog.barred.toolTip()
    dialog.status.setCurrentIndex(dialog.status.findData("verified"))
    dialog.checked_on.edit.setText("20/11/2026")
    dialog.reference.setText("0012 3456 7890")
    dialog.issued_on.edit.setText("18/11/2026")
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    dbs = next(c for c in staff_checks(ctx.db, staff_id) if c.kind == "dbs")
    assert (dbs.status, dbs.barred_list_checked) == ("verified", False)


def test_keyboard_enter_opens_the_selected_person(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    new_staff(ctx.db)
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    window.show()
    qtbot.waitExposed(window)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    opened: list[object] = []
    page.table.activated.connect(opened.append)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened


def setup_checks(ctx: AppContext) -> dict[str, int]:
    """Amy: DBS not received and identity to verify; Bob and Eve (on leave): identity to verify,
    the rest in place; Cat: all in place; Dan: nothing received, but he has left."""
    from provider_desk.areas.staff.services import CheckInput, record_check, record_leaver
    from provider_desk.resources import check_kinds

    ids = {
        "amy": new_staff(ctx.db, "Amy", "Smith", team="North"),
        "bob": new_staff(ctx.db, "Bob", "Jones", team="South"),
        "cat": new_staff(ctx.db, "Cat", "Brown", team="North"),
        "dan": new_staff(ctx.db, "Dan", "Green"),
        "eve": new_staff(ctx.db, "Eve", "White", status="on leave"),
    }
    received = CheckInput("received", checked_on=dt.date(2026, 11, 2))
    for name in ("amy", "bob", "cat", "eve"):
        for kind in check_kinds():
            if kind.kind == "dbs" and name == "amy":
                continue  # still outstanding
            data = received if kind.kind == "identity" and name != "cat" else None
            record_check(
                ctx.db,
                ids[name],
                kind.kind,
                data or CheckInput("not applicable"),
                today=TODAY,
                expected_version=check_version_of(ctx.db, ids[name], kind.kind),
            )
    record_leaver(
        ctx.db,
        ids["dan"],
        dt.date(2026, 11, 1),
        today=TODAY,
        expected_version=version_of(ctx.db, "StaffMember", ids["dan"]),
    )
    return ids


def test_recruitment_focus_lists_exactly_the_staff_files_of_the_card(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.dashboard import read_home
    from provider_desk.dashboard.figures import counts

    setup_checks(ctx)
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.focus_count() is None
    card = counts(read_home(ctx.db, TODAY).figures.cards()["recruitment"])
    for what, names in (
        ("recruitment:outstanding", ["Amy Smith"]),  # Dan has left; Amy's unverified ID aside
        ("recruitment:unverified", ["Bob Jones", "Eve White"]),  # on leave is still in post
    ):
        # Filters that would hide them.
        page.status_filter.setCurrentIndex(page.status_filter.findData("left"))
        page.team_filter.setCurrentIndex(page.team_filter.findData("North"))
        page.search.setText("cat")
        page.focus(what)
        assert sorted(shown_names(window)) == names, what
        assert page.focus_count() == len(names) == card[what.split(":")[1]], what
    assert page.count_label.text() == "2 staff files with checks to verify"
    assert page.checks_filter.currentText() == "All in, some to verify"
    page.clear_filters()
    assert len(shown_names(window)) == 4  # Dan has left


def test_open_item_selects_the_person_before_and_after_loading(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.reading import Attention
    from provider_desk.rules.due import Level
    from ui.areas.staff.page import StaffPage

    ids = setup_checks(ctx)
    item = Attention("staff", "Bob Jones", Level.DUE_SOON, None, "", "", ids["bob"])
    page = StaffPage(ctx)
    qtbot.addWidget(page)
    page.open_item(item)
    assert page.opened() == (None, None)
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["bob"], None)

    loaded = window.page("staff")
    loaded.refresh()
    wait_idle(qtbot, ctx)
    loaded.focus("recruitment:outstanding")  # Bob is not listed
    loaded.open_item(item)
    assert loaded.opened() == (ids["bob"], None) and loaded.focus_count() is None
    # Someone who has left since: looked for among everyone.
    loaded.open_item(Attention("staff", "Dan Green", Level.MISSING, None, "", "", ids["dan"]))
    assert loaded.opened() == (ids["dan"], None)
    assert loaded.status_filter.currentData() == "all"


def test_a_stale_save_says_who_changed_it_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provider_desk.areas.staff.services import StaffInput, update_staff
    from provider_desk.db.session import Database

    amy = new_staff(ctx.db, "Amy", "Smith")
    page = window.page("staff")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.select_staff(amy)
    dialog = page.edit_selected()
    assert dialog is not None
    other_pc = Database(ctx.db.url, user="jo.office")  # saves while the form is open
    update_staff(
        other_pc,
        amy,
        StaffInput("Amy", "Smith", role_id(ctx.db), dt.date(2024, 1, 8), team="North"),
        expected_version=version_of(ctx.db, "StaffMember", amy),
        today=TODAY,
    )
    other_pc.dispose()
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append(f"{box.text()} | {box.informativeText()}")
    )
    dialog.team.setCurrentText("South")
    click_save(qtbot, ctx, dialog)
    (message,) = shown
    assert message.startswith("Saving failed. Changed by jo.office at ")
    assert "reload to see their changes" in message and "still in the form" in message
    assert dialog.isVisible() and dialog.team.currentText() == "South"  # nothing typed is lost
    assert list_staff(ctx.db)[0].team == "North"  # and nothing was overwritten
