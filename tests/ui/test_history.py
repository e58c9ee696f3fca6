"""The change log in the app: the viewer's filters, "History…" from a record and a row menu,
export; other PCs' saves appearing without a restart; the server going away; the check at open."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.services import StaffInput, add_staff
from provider_desk.db.anchor import last_anchor, record_anchor
from provider_desk.db.changelog import ChainHead
from provider_desk.db.session import Database
from provider_desk.errors import ServerUnreachable
from tests.conftest import TODAY, new_staff, role_id
from tests.ui.conftest import wait_idle
from ui.areas.actions.page import ActionsPage
from ui.areas.staff.page import StaffPage
from ui.context import AppContext
from ui.history.viewer import HistoryDialog
from ui.main_window import MainWindow
from ui.widgets.row_menu import HISTORY, build_row_menu, row_menu_at


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    """Two staff members, the second renamed by another user."""
    amy = new_staff(db, "Amy", "Smith")
    bob = new_staff(db, "Bob", "Jones")
    omar = Database(db.url, user="omar.coordinator")
    with omar.session() as s:
        member = s.get(StaffMember, bob)
        assert member is not None
        member.last_name = "Jones-Baker"
    omar.dispose()
    return {"amy": amy, "bob": bob}


def _viewer(qtbot: QtBot, ctx: AppContext, window: MainWindow) -> HistoryDialog:
    dialog = window.show_history()
    wait_idle(qtbot, ctx)
    return dialog


def test_viewer_filters_by_user_and_by_record(
    qtbot: QtBot, ctx: AppContext, window: MainWindow, people: dict[str, int]
) -> None:
    # Ctrl+H, from the File menu.
    opener = next(a for a in window.findChildren(QAction) if a.text() == "Change &log…")
    assert opener.shortcut().toString() == "Ctrl+H"
    opener.trigger()
    wait_idle(qtbot, ctx)
    dialog = window.history_dialog
    assert dialog.isVisible()
    everyone = dialog.model.rows()
    assert {e.who for e in everyone} >= {"test.manager", "omar.coordinator"}
    assert dialog.detail.toPlainText()  # the newest entry is selected and shown in full
    assert [dialog.user.itemText(i) for i in range(dialog.user.count())][:1] == ["Everyone"]
    dialog.set_user("omar.coordinator")
    qtbot.waitUntil(lambda: dialog.loaded_filter is not None and dialog.loaded_filter.who != "")
    wait_idle(qtbot, ctx)
    rows = dialog.model.rows()
    assert len(rows) == 1 and rows[0].who == "omar.coordinator"
    assert rows[0].summary == "Last name: Jones → Jones-Baker"
    assert "Jones-Baker" in dialog.detail.toHtml()
    # The record search: type part of a name, pick the match.
    dialog.set_user("")
    dialog.table.setFocus()  # no completion popup: offscreen Qt cannot grab the keyboard
    dialog.record_edit.setText("amy sm")
    dialog.record_edit.textEdited.emit("amy sm")  # as typed (without the popup's focus grab)
    qtbot.waitUntil(lambda: "Amy Smith" in dialog._completions.stringList(), timeout=5000)
    dialog.completer.activated.emit("Amy Smith")
    wait_idle(qtbot, ctx)
    assert dialog.record is not None and dialog.record.row_id == people["amy"]
    rows = dialog.model.rows()
    assert rows and all(e.record.startswith("Amy Smith") for e in rows)
    assert {e.table for e in rows} == {"staff_member", "recruitment_check"}
    dialog.parts.setChecked(False)
    qtbot.waitUntil(lambda: {e.table for e in dialog.model.rows()} == {"staff_member"})
    # Clearing the search shows everyone's changes again.
    dialog.clear_filters()
    wait_idle(qtbot, ctx)
    assert len(dialog.model.rows()) == len(everyone)


def test_a_date_that_is_not_a_date_is_said_next_to_the_filters(
    qtbot: QtBot, ctx: AppContext, window: MainWindow
) -> None:
    dialog = _viewer(qtbot, ctx, window)
    dialog.start.edit.setText("31/02/2026")
    dialog.reload()
    assert not dialog.problem.isHidden() and "22/11/2026" in dialog.problem.text()
    dialog.start.edit.setText("01/12/2026")
    dialog.reload()
    wait_idle(qtbot, ctx)
    assert "after today" in dialog.problem.text()


def test_history_from_a_staff_form_opens_filtered_to_that_person(
    qtbot: QtBot, ctx: AppContext, window: MainWindow, people: dict[str, int]
) -> None:
    page = window.page("staff")
    assert isinstance(page, StaffPage)
    window.show_area("staff")
    wait_idle(qtbot, ctx)
    assert page.select_staff(people["bob"])
    form = page.edit_selected()
    assert form is not None
    qtbot.waitExposed(form)
    button = form.findChild(QPushButton, "historyButton")
    assert button is not None and button.text() == "History…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    dialog = window.history_dialog
    assert dialog.isVisible() and dialog.record is not None
    assert dialog.record_edit.text() == "Bob Jones-Baker"
    assert dialog.model.rows() and all("Bob Jones-Baker" in e.record for e in dialog.model.rows())
    form.reject()
    # A new record has no history yet: no button.
    new = page.add_staff()
    qtbot.waitExposed(new)
    assert new.findChild(QPushButton, "historyButton") is None
    new.reject()
    # Ctrl+Shift+H: the selected record's history, from the page.
    page.select_staff(people["amy"])
    again = window.show_selected_history()
    wait_idle(qtbot, ctx)
    assert again is dialog and dialog.record is not None
    assert dialog.record.row_id == people["amy"]


def test_row_menu_history_entry(
    qtbot: QtBot, ctx: AppContext, window: MainWindow, db: Database
) -> None:
    from provider_desk.areas.actions.services import ActionInput, raise_action

    owner = new_staff(db, "Olu", "Owner")
    raise_action(db, ActionInput("Fix the rota gaps", owner, TODAY), today=TODAY)
    window.show_area("actions")
    page = window.page("actions")
    assert isinstance(page, ActionsPage)
    wait_idle(qtbot, ctx)
    assert page.proxy.rowCount() == 1
    cell = page.table.visualRect(page.proxy.index(0, 0)).center()
    menu = row_menu_at(page.table, cell, page.menu_entries, lambda r: ("action", r.id))
    assert menu is not None
    history = next(a for a in menu.actions() if a.text() == HISTORY)
    history.trigger()
    wait_idle(qtbot, ctx)
    record = window.history_dialog.record
    assert record is not None and record.description == "Action: Fix the rota gaps"
    assert [e.action_label for e in window.history_dialog.model.rows()] == ["Added"]


def test_export_writes_what_the_filters_show(
    qtbot: QtBot, ctx: AppContext, window: MainWindow, people: dict[str, int], tmp_path: Path
) -> None:
    dialog = _viewer(qtbot, ctx, window)
    dialog.set_user("omar.coordinator")
    wait_idle(qtbot, ctx)
    target = tmp_path / "log.csv"
    dialog.export_to(target)
    wait_idle(qtbot, ctx)
    with target.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["Who"], r["Field"], r["Old"], r["New"]) for r in rows] == [
        ("omar.coordinator", "Last name", "Jones", "Jones-Baker")
    ]
    assert rows[0]["Record"] == "Bob Jones-Baker"


def test_another_pcs_save_appears_without_a_restart(
    qtbot: QtBot, ctx: AppContext, window: MainWindow, db: Database
) -> None:
    window.show_area("staff")
    page = window.page("staff")
    assert isinstance(page, StaffPage)
    wait_idle(qtbot, ctx)
    ctx.start_watching(60_000)  # the first look notes where the log ends
    wait_idle(qtbot, ctx)
    before = {r.id for r in page.model.rows()}
    other = Database(db.url, user="other.pc")  # another connection, as another PC would
    added = add_staff(
        other,
        StaffInput("Zoe", "Remote", role_id(other), dt.date(2025, 1, 6)),
        today=TODAY,
        allow_duplicate=True,
    ).ids[0]
    other.dispose()
    assert added not in {r.id for r in page.model.rows()}
    with qtbot.waitSignal(ctx.changed, timeout=5000) as changed:
        ctx.poll()
    assert changed.args is not None and changed.args[0].touches("staff")
    wait_idle(qtbot, ctx)
    assert added in {r.id for r in page.model.rows()} - before
    # Nothing new: no reload.
    with qtbot.assertNotEmitted(ctx.changed, wait=200):
        ctx.poll()
        wait_idle(qtbot, ctx)


def test_the_server_going_away_keeps_the_form_and_retries(
    qtbot: QtBot,
    ctx: AppContext,
    window: MainWindow,
    people: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import provider_desk.history.queries as queries

    page = window.page("staff")
    assert isinstance(page, StaffPage)
    window.show_area("staff")
    wait_idle(qtbot, ctx)
    ctx.start_watching(60_000)
    wait_idle(qtbot, ctx)
    down = ServerUnreachable("Can't reach the database server.", "Retrying.")

    def unreachable(*_args: object) -> object:
        raise down

    monkeypatch.setattr(queries, "tables_changed_since", unreachable)
    with qtbot.waitSignal(ctx.connection_lost, timeout=5000):
        ctx.poll()
    note = window.findChild(QLabel, "offlineNote")
    assert note is not None and not note.isHidden()
    assert "your unsaved forms are kept; retrying" in note.text()
    assert ctx.offline and ctx._poll_timer.interval() == 5000
    # A save while the server is away: the form stays open with what was typed.
    assert page.select_staff(people["amy"])
    form = page.edit_selected()
    assert form is not None
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(form, "save", lambda _value: lambda: (_ for _ in ()).throw(down))
    form.last_name.setText("Smith-Typed")  # type: ignore[attr-defined]
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)
    assert shown and "Can't reach the database server" in shown[0]
    assert not form.isHidden() and form.last_name.text() == "Smith-Typed"  # type: ignore[attr-defined]
    # The server is back: the note goes, every page reloads.
    monkeypatch.undo()
    with qtbot.waitSignal(ctx.connection_restored, timeout=5000):
        ctx.poll()
    assert note.isHidden() and not ctx.offline
    assert ctx._poll_timer.interval() == 60_000
    form.reject()


def test_a_tampered_log_is_warned_about_at_open(
    qtbot: QtBot, ctx: AppContext, window: MainWindow, people: dict[str, int], db: Database
) -> None:
    anchored_at = dt.datetime(2026, 12, 2, 12, 5, tzinfo=dt.UTC)
    record_anchor(db.location, ChainHead(3, 3, "f" * 64), anchored_at)
    window.check_log_at_open()
    wait_idle(qtbot, ctx)
    note = window.findChild(QLabel, "logCheckWarning")
    assert note is not None and "failed its check" in note.text()
    assert "does not match the anchor saved on 2 Dec 2026 at" in note.toolTip()
    box = window.findChild(QMessageBox, "logCheckBox")
    assert box is not None and not box.isHidden()
    box.close()
    # The app does not move the anchor over a log it found tampered with.
    ctx.anchor_log()
    kept = last_anchor(db.location)
    assert kept is not None and kept.last_hash == "f" * 64


def test_history_opens_beside_a_page_with_no_main_window(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int]
) -> None:
    holder = QWidget()
    holder.ctx = ctx  # type: ignore[attr-defined]  # as a page holds its context
    qtbot.addWidget(holder)
    view = QTableView(holder)
    menu = build_row_menu(view, [("Edit…", lambda: None)], record=("staff_member", people["amy"]))
    labels = [a.text() for a in menu.actions()]
    assert labels[0] == "Edit…" and labels[-1] == HISTORY and menu.actions()[1].isSeparator()
    menu.actions()[-1].trigger()
    wait_idle(qtbot, ctx)
    dialog = view.findChild(HistoryDialog)
    assert dialog is not None and dialog.record is not None
    assert dialog.record.description == "Amy Smith"
    dialog.close()
