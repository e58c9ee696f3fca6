"""The complaints page, its dialogs, letters and summary, against the real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.complaints.queries import (
    complaint_timeline,
    list_complaints,
    list_compliments,
)
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.areas.complaints.services import (
    ComplaintInput,
    archive_complaint,
    save_complaint,
)
from provider_desk.dashboard import read_home
from provider_desk.dashboard.figures import counts
from provider_desk.db.session import Database
from tests.conftest import TODAY, new_staff, version_of
from tests.ui.conftest import click_save, wait_idle
from ui.areas.complaints.page import ComplaintsPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE


def open_page(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> int:
    boss = new_staff(ctx.db, "Joanna", "Whitfield")
    window.page("complaints").refresh()
    wait_idle(qtbot, ctx)
    return boss


def test_log_a_complaint_then_acknowledge_respond_and_close(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, ctx: AppContext
) -> None:
    boss = open_page(qtbot, window, ctx)
    page = window.page("complaints")
    dialog = page.new_complaint()
    dialog.received_on.edit.setText("02/11/2026")
    click_save(qtbot, ctx, dialog)
    assert "required" in dialog.form.errors["complainant_name"].text()
    assert "required" in dialog.form.errors["summary"].text()
    dialog.complainant.setText("Mrs Jean Brown")
    dialog.summary.setPlainText("Carer was 90 minutes late")
    dialog.category.setCurrentIndex(dialog.category.findData("missed or late visit"))
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    wait_idle(qtbot, ctx)
    qtmodeltester.check(page.model, force_py=True)
    row = page.proxy.index(0, 0).data(ROW_ROLE)
    assert (row.reference, row.status) == ("CMP-2026-001", ComplaintStatus.ACK_OVERDUE)
    assert "1 late" in page.counts.text()
    page.table.selectRow(0)
    update = page.open_selected()
    assert update is not None
    update.acknowledged_on.edit.setText("01/11/2026")
    click_save(qtbot, ctx, update)
    assert "before the date received" in update.form.errors["acknowledged_on"].text()
    update.acknowledged_on.edit.setText("04/11/2026")
    update.investigator.setCurrentIndex(update.investigator.findData(boss))
    update.closed_on.edit.setText("20/11/2026")
    update.responded_on.edit.setText("18/11/2026")
    click_save(qtbot, ctx, update)
    assert "Record the outcome before closing" in update.form.errors["outcome"].text()
    update.outcome.setCurrentIndex(update.outcome.findData("upheld"))
    what, who, by = update.action_rows.rows[0]
    what.setText("Check rota gaps weekly")
    who.setCurrentIndex(who.findData(boss))
    by.edit.setText("31/12/2026")
    update.new_step.setText("Phoned Mrs Brown to apologise")
    click_save(qtbot, ctx, update)
    assert not update.isVisible()
    (c,) = list_complaints(ctx.db, TODAY)
    assert c.status == ComplaintStatus.CLOSED and c.responded_on_time
    steps = [e.what for e in complaint_timeline(ctx.db, c.id)]
    assert "Phoned Mrs Brown to apologise" in steps and "Closed" in steps
    assert list_actions(ctx.db, TODAY)[0].source_ref == "CMP-2026-001"
    wait_idle(qtbot, ctx)
    assert page.proxy.rowCount() == 0  # closed: not in "open complaints"
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    page.table.selectRow(0)
    wait_idle(qtbot, ctx)
    assert page.events.rowCount() == len(steps)


def test_letters_summary_and_exports(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    open_page(qtbot, window, ctx)
    page = window.page("complaints")
    dialog = page.new_complaint()
    dialog.complainant.setText("Mr Patel")
    dialog.summary.setPlainText("Invoice wrong")
    click_save(qtbot, ctx, dialog)
    wait_idle(qtbot, ctx)
    page.table.selectRow(0)
    page.letter_to("acknowledgement", tmp_path / "ack.pdf")
    page.summary_to(dt.date(2026, 1, 1), TODAY, tmp_path / "summary.pdf")
    page.summary_to(dt.date(2026, 1, 1), TODAY, tmp_path / "summary.csv")
    page.export_to("complaints", tmp_path / "complaints.xlsx")
    page.export_to("compliments", tmp_path / "compliments.csv")
    wait_idle(qtbot, ctx)
    for name in ("ack.pdf", "summary.pdf", "summary.csv", "complaints.xlsx", "compliments.csv"):
        assert (tmp_path / name).stat().st_size > 0, name
    templates = page.edit_templates()
    assert templates is not None
    templates.body.setPlainText("Dear {someone}")
    click_save(qtbot, ctx, templates)
    assert "Unknown placeholder" in templates.form.errors["body"].text()


def test_compliments_show_on_the_staff_record(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    open_page(qtbot, window, ctx)
    amy = new_staff(ctx.db, "Amy", "Smith")
    page = window.page("complaints")
    page.refresh()
    wait_idle(qtbot, ctx)
    dialog = page.open_compliment(None)
    dialog.from_name.setText("Mrs Ali")
    dialog.said.setPlainText("Amy is so kind")
    dialog.staff.setCurrentIndex(dialog.staff.findData(amy))
    click_save(qtbot, ctx, dialog)
    assert [c.staff for c in list_compliments(ctx.db)] == ["Amy Smith"]
    wait_idle(qtbot, ctx)
    assert page.compliments.rowCount() == 1
    staff_page = window.page("staff")
    staff_page.refresh()
    wait_idle(qtbot, ctx)
    staff_page.select_staff(amy)
    wait_idle(qtbot, ctx)
    assert staff_page.praise_model.rowCount() == 1
    praise_tab = staff_page.tabs.indexOf(staff_page.praise_table)
    assert staff_page.tabs.tabText(praise_tab) == "Compliments (1)"


def test_person_concerned_suggests_people_supported(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.areas.people.services import PersonInput, save_person

    save_person(
        ctx.db, None, PersonInput("Mary", "Brown", TODAY), today=TODAY, expected_version=None
    )
    open_page(qtbot, window, ctx)
    dialog = window.page("complaints").new_complaint()
    completer = dialog.person.completer()
    completer.setCompletionPrefix("brow")
    assert completer.currentCompletion() == "Mary Brown (P-0001)"
    dialog.close()


def _build_complaints(db: Database) -> dict[str, int]:
    """Complaints as on TODAY (Mon 23 Nov 2026, three working days to acknowledge, twenty to
    respond): Patel and Green not acknowledged in time; Jones received on Wednesday, still in
    time; Singh acknowledged, response overdue; Khan responded (open); Lee closed; Ward not
    acknowledged but removed as logged by mistake."""
    ids: dict[str, int] = {}
    for name, received, extra in (
        ("Patel", dt.date(2026, 11, 2), {}),
        ("Green", dt.date(2026, 11, 5), {}),
        ("Jones", dt.date(2026, 11, 18), {}),
        ("Singh", dt.date(2026, 9, 1), {"acknowledged_on": dt.date(2026, 9, 2)}),
        (
            "Khan",
            dt.date(2026, 10, 1),
            {
                "acknowledged_on": dt.date(2026, 10, 2),
                "responded_on": dt.date(2026, 10, 20),
                "outcome": "upheld",
            },
        ),
        (
            "Lee",
            dt.date(2026, 8, 3),
            {
                "acknowledged_on": dt.date(2026, 8, 4),
                "responded_on": dt.date(2026, 8, 20),
                "outcome": "not upheld",
                "closed_on": dt.date(2026, 8, 30),
            },
        ),
        ("Ward", dt.date(2026, 11, 2), {}),
    ):
        data = ComplaintInput(received, name, "What happened", **extra)
        ids[name] = save_complaint(db, data, today=TODAY, expected_version=None).ids[0]
    archive_complaint(db, ids["Ward"], expected_version=version_of(db, "Complaint", ids["Ward"]))
    return ids


def _loaded(qtbot: QtBot, ctx: AppContext) -> ComplaintsPage:
    page = ComplaintsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    wait_idle(qtbot, ctx)
    return page


def _shown(page: ComplaintsPage) -> list[str]:
    rows = (page.proxy.index(i, 0).data(ROW_ROLE) for i in range(page.proxy.rowCount()))
    return sorted(r.complainant_name for r in rows)


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("acknowledgement_overdue", ["Green", "Patel"]),
        ("response_overdue", ["Singh"]),
        ("open", ["Green", "Jones", "Khan", "Patel", "Singh"]),
    ],
)
def test_focus_lists_exactly_the_complaints_a_home_count_stands_for(
    qtbot: QtBot, db: Database, ctx: AppContext, field: str, names: list[str]
) -> None:
    _build_complaints(db)
    assert counts(read_home(db, TODAY).figures.complaints)[field] == len(names)
    page = ComplaintsPage(ctx)
    qtbot.addWidget(page)
    page.focus(f"complaints:{field}")  # before loading: applied once loaded
    assert page.focus_count() is None
    page.refresh()
    wait_idle(qtbot, ctx)
    assert _shown(page) == names and page.focus_count() == len(names)
    # After loading, with other filters and the compliments tab in the way.
    page.focus("complaints:nothing_like_this")
    page.search.setText("Lee")
    page.category_filter.setCurrentIndex(1)
    page.tabs.setCurrentIndex(1)
    assert page.proxy.rowCount() == 0
    page.focus(f"complaints:{field}")
    assert _shown(page) == names and page.focus_count() == len(names)
    assert page.tabs.currentIndex() == 0


def test_open_item_selects_the_complaint(qtbot: QtBot, db: Database, ctx: AppContext) -> None:
    ids = _build_complaints(db)
    items = {i.record_id: i for i in read_home(db, TODAY).todo if i.area == "complaints"}
    assert set(items) == {ids[n] for n in ("Patel", "Green", "Jones", "Singh")}
    page = ComplaintsPage(ctx)
    qtbot.addWidget(page)
    assert page.opened() == (None, None)
    page.open_item(items[ids["Singh"]])  # before loading
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["Singh"], None)
    row = page.selected()
    assert row is not None and row.complainant_name == "Singh"
    page.focus("complaints:acknowledgement_overdue")  # hides Jones
    page.open_item(items[ids["Jones"]])
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["Jones"], None) and page.focus_count() is None


def test_an_answer_sent_late_reads_done_late_in_red_and_is_counted(
    qtbot: QtBot, db: Database, ctx: AppContext
) -> None:
    from PySide6.QtCore import Qt

    from ui.areas.complaints.page import COMPLAINT_COLUMNS, answered
    from ui.icons import RED

    on_time = ComplaintInput(
        dt.date(2026, 9, 1),
        "Mr On Time",
        "Late visit",
        acknowledged_on=dt.date(2026, 9, 2),
        responded_on=dt.date(2026, 9, 10),
    )
    late = ComplaintInput(
        dt.date(2026, 9, 1),
        "Mrs Late",
        "Missed visit",
        acknowledged_on=dt.date(2026, 9, 2),
        responded_on=dt.date(2026, 9, 1) + dt.timedelta(days=80),
    )
    save_complaint(db, on_time, today=TODAY, expected_version=None)
    save_complaint(db, late, today=TODAY, expected_version=None)
    page = _loaded(qtbot, ctx)
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    column = [c.title for c in COMPLAINT_COLUMNS].index("Respond by")
    cells = {}
    for i in range(page.proxy.rowCount()):
        row = page.proxy.index(i, 0).data(ROW_ROLE)
        cell = page.proxy.index(i, column)
        cells[row.complainant_name] = (
            cell.data(),
            cell.data(Qt.ItemDataRole.ForegroundRole),
            row.response_due,
        )
    text, colour, due = cells["Mrs Late"]
    days = (dt.date(2026, 9, 1) + dt.timedelta(days=80) - due).days
    assert text == f"Done late (+{days} days)" and colour.name() == RED
    text, colour, _ = cells["Mr On Time"]
    assert text == "Done 10 Sep 2026" and colour is None
    assert "1 answered late" in page.counts.text()
    assert answered(dt.date(2026, 9, 8), dt.date(2026, 9, 7)) == "Done late (+1 day)"


def test_respond_by_is_visible_at_the_default_width(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from ui.areas.complaints.page import COMPLAINT_COLUMNS

    save_complaint(
        ctx.db,
        ComplaintInput(dt.date(2026, 11, 20), "A B", "x"),
        today=TODAY,
        expected_version=None,
    )
    window.resize(1280, 720)
    window.show()
    window.show_area("complaints")
    page = window.page("complaints")
    page.refresh()
    wait_idle(qtbot, ctx)
    column = [c.title for c in COMPLAINT_COLUMNS].index("Respond by")
    table = page.table
    right = table.columnViewportPosition(column) + table.columnWidth(column)
    assert table.columnViewportPosition(column) >= 0 and right <= table.viewport().width()
