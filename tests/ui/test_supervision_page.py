"""The supervision page and its dialogs, against the real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.staff.services import StaffInput, update_staff
from provider_desk.areas.supervision.queries import list_kinds, supervision_records
from provider_desk.areas.supervision.services import SupervisionInput, record_supervision
from provider_desk.rules.due import Level
from tests.conftest import TODAY, new_staff, role_id, version_of
from tests.ui.conftest import click_save, wait_idle
from ui.areas.supervision.page import CELL_ROLE
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE


def setup(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> tuple[int, int]:
    boss = new_staff(
        ctx.db,
        "Joanna",
        "Whitfield",
        start_date=dt.date(2020, 1, 1),
        job_role_id=role_id(ctx.db, "Registered manager"),
    )
    amy = new_staff(ctx.db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    record_supervision(
        ctx.db, SupervisionInput(amy, boss, "supervision", dt.date(2026, 10, 1)), today=TODAY
    )
    window.page("supervision").refresh()
    wait_idle(qtbot, ctx)
    return boss, amy


def test_model_tester_and_cells(
    qtmodeltester: ModelTester, qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    _, amy = setup(qtbot, window, ctx)
    page = window.page("supervision")
    qtmodeltester.check(page.model, force_py=True)
    qtmodeltester.check(page.proxy, force_py=True)
    page.select_cell(amy, 2)
    index = page.table.currentIndex()
    assert index.data() == "1 Jan 2027"
    assert index.data(CELL_ROLE).status == Level.IN_DATE
    assert "last done 1 Oct 2026" in index.data(0x03)  # tooltip
    assert "never done" in page.summary.text()


def test_filters_and_people_on_leave(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    boss, amy = setup(qtbot, window, ctx)
    page = window.page("supervision")
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("supervision"))
    page.show_filter.setCurrentIndex(page.show_filter.findData("problems"))
    names = [page.proxy.index(i, 0).data(ROW_ROLE).name for i in range(page.proxy.rowCount())]
    assert names == ["Joanna Whitfield"]  # never supervised
    update_staff(
        ctx.db,
        boss,
        StaffInput(
            "Joanna",
            "Whitfield",
            role_id(ctx.db, "Registered manager"),
            dt.date(2020, 1, 1),
            status="on leave",
        ),
        today=TODAY,
        expected_version=version_of(ctx.db, "StaffMember", boss),
    )
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.proxy.rowCount() == 0
    page.show_filter.setCurrentIndex(page.show_filter.findData("on leave"))
    assert page.proxy.index(0, 0).data(ROW_ROLE).name == "Joanna Whitfield"
    assert amy


def test_record_a_spot_check_with_an_action(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    boss, amy = setup(qtbot, window, ctx)
    page = window.page("supervision")
    page.select_cell(amy, 3)  # spot check column
    dialog = page.record_for_cell()
    assert dialog is not None and dialog.kind.currentData() == "spot check"
    assert dialog.section_edits[0][0] == "Arrived on time, ID badge, uniform"
    dialog.supervisor.setCurrentIndex(dialog.supervisor.findData(amy))
    dialog.held_on.edit.setText("20/11/2026")
    click_save(qtbot, ctx, dialog)
    assert "cannot be the worker" in dialog.form.errors["supervisor_id"].text()
    assert "needs an outcome" in dialog.form.errors["outcome"].text()
    dialog.supervisor.setCurrentIndex(dialog.supervisor.findData(boss))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("needs improvement"))
    dialog.section_edits[1][1].setPlainText("Apron not worn")
    what, who, by = dialog.action_rows.rows[0]
    what.setText("PPE refresher")
    who.setCurrentIndex(who.findData(amy))
    by.edit.setText("04/12/2026")
    dialog.ack_on.edit.setText("19/11/2026")
    dialog.ack_name.setText("Amy Smith")
    click_save(qtbot, ctx, dialog)
    assert "before the session" in dialog.form.errors["worker_ack_on"].text()
    dialog.ack_on.edit.setText("20/11/2026")
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    spot = next(r for r in supervision_records(ctx.db) if r.kind == "spot check")
    assert spot.sections[1] == ("Infection prevention and PPE", "Apron not worn")
    (action,) = list_actions(ctx.db, TODAY)
    assert (action.description, action.source, action.owner) == (
        "PPE refresher",
        "spot check",
        "Amy Smith",
    )


def test_open_print_and_remove(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    _, amy = setup(qtbot, window, ctx)
    page = window.page("supervision")
    page.select_cell(amy, 0)
    wait_idle(qtbot, ctx)
    assert page.history_model.rowCount() == 1
    dialog = page.open_selected()
    assert dialog is not None and not dialog.worker.isEnabled()
    dialog.location.setText("Office, room 2")
    click_save(qtbot, ctx, dialog)
    assert supervision_records(ctx.db)[0].location == "Office, room 2"
    wait_idle(qtbot, ctx)
    page.print_to(page.history_model.row_at(0), tmp_path / "s.pdf")
    wait_idle(qtbot, ctx)
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    page.history.selectRow(0)
    page.remove_selected(confirm=False)
    wait_idle(qtbot, ctx)
    assert supervision_records(ctx.db) == []


def test_kinds_dialog_changes_intervals(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    _, amy = setup(qtbot, window, ctx)
    page = window.page("supervision")
    dialog = page.open_kinds()
    wait_idle(qtbot, ctx)
    form = dialog.open_form(dialog.model.row_at(0))
    form.months.setValue(1)
    combo = form.role_combos[role_id(ctx.db, "Care worker")]
    combo.setCurrentIndex(combo.findData(2))
    click_save(qtbot, ctx, form)
    kind = list_kinds(ctx.db)[0]
    assert kind.interval_months == 1
    assert kind.role_intervals[role_id(ctx.db, "Care worker")] == 2
    wait_idle(qtbot, ctx)
    page.select_cell(amy, 2)
    assert page.table.currentIndex().data() == "1 Dec 2026"


def test_import_log_from_the_main_window(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    setup(qtbot, window, ctx)
    log = tmp_path / "log.csv"
    log.write_text(
        "Date,Worker,Supervisor,Type\n02/11/2026,Amy Smith,Joanna Whitfield,1:1\n", encoding="utf-8"
    )
    dialog = window.open_import(log, "supervisions")
    wait_idle(qtbot, ctx)
    assert dialog.planned.rowCount() == 1
    dialog.import_button.click()
    wait_idle(qtbot, ctx)
    assert len(supervision_records(ctx.db)) == 2


def setup_levels(ctx: AppContext) -> dict[str, int]:
    """Everyone started in 2020, finished probation and is in date (the due-soon window is 14
    days) but: Amy's supervision is overdue, her medication competency never done and her spot
    check due soon; Bob's supervision is overdue; Cat's appraisal is due soon; Eve, on leave,
    has never had supervision. The manager's sessions are led by Cat."""
    d = dt.date
    start = d(2020, 1, 1)
    manager = role_id(ctx.db, "Registered manager")
    ids = {
        "boss": new_staff(ctx.db, "Joanna", "Whitfield", start_date=start, job_role_id=manager),
        "amy": new_staff(ctx.db, "Amy", "Smith", start_date=start, team="North"),
        "bob": new_staff(ctx.db, "Bob", "Jones", start_date=start, team="South"),
        "cat": new_staff(ctx.db, "Cat", "Brown", start_date=start, team="North"),
        "eve": new_staff(ctx.db, "Eve", "White", start_date=start, status="on leave"),
    }
    recent = d(2026, 11, 1)
    base: dict[str, dt.date | None] = dict.fromkeys(
        ("supervision", "spot check", "appraisal", "competency"), recent
    )
    held = {
        "boss": {**base, "competency": None},  # not required for a registered manager
        "amy": {
            **base,
            "supervision": d(2026, 8, 1),
            "spot check": d(2026, 9, 1),  # every 3 months: due 1 Dec, soon
            "competency": None,
        },
        "bob": {**base, "supervision": d(2026, 8, 20)},
        "cat": {**base, "appraisal": d(2025, 12, 1)},
        "eve": {**base, "supervision": None},
    }
    for name, kinds in held.items():
        lead = ids["cat" if name == "boss" else "boss"]
        sessions = [(k, on) for k, on in kinds.items() if on is not None]
        sessions += [("probation", on) for on in (d(2020, 2, 1), d(2020, 4, 1), d(2020, 7, 1))]
        for kind, on in sessions:
            record_supervision(
                ctx.db,
                SupervisionInput(ids[name], lead, kind, on, outcome="satisfactory"),
                today=TODAY,
            )
    return ids


def shown_workers(page: object) -> list[str]:
    proxy = page.proxy  # type: ignore[attr-defined]
    return sorted(proxy.index(i, 0).data(ROW_ROLE).name for i in range(proxy.rowCount()))


def test_focus_lists_workers_with_sessions_at_a_level_and_counts_the_sessions(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.dashboard import read_home
    from provider_desk.dashboard.figures import counts

    setup_levels(ctx)
    page = window.page("supervision")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.focus_count() is None
    card = counts(read_home(ctx.db, TODAY).figures.cards()["supervision"])
    for what, names, sessions, words in (
        ("supervision:overdue", ["Amy Smith", "Bob Jones"], 3, "(3 overdue or never done)"),
        ("supervision:due_soon", ["Amy Smith", "Cat Brown"], 2, "(2 due soon)"),
    ):
        # Filters that would hide them (and Eve, on leave, who is left out of the card).
        page.team_filter.setCurrentIndex(page.team_filter.findData("South"))
        page.kind_filter.setCurrentIndex(page.kind_filter.findData("appraisal"))
        page.search.setText("eve")
        page.focus(what)
        assert shown_workers(page) == names, what
        assert page.focus_count() == sessions == card[what.split(":")[1]], what
        assert words in page.summary.text()
    # Narrowed to one kind afterwards, the count follows what is shown.
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("spot check"))
    assert shown_workers(page) == ["Amy Smith"] and page.focus_count() == 1


def test_open_item_puts_the_cursor_on_the_kind_before_and_after_loading(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.reading import Attention
    from ui.areas.supervision.page import SupervisionPage

    ids = setup_levels(ctx)
    competency = Attention(
        "supervision", "Amy", Level.MISSING, None, "", "", ids["amy"], kind="competency"
    )
    page = SupervisionPage(ctx)
    qtbot.addWidget(page)
    page.open_item(competency)
    assert page.opened() == (None, None)
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["amy"], "competency")
    assert page.table.currentIndex().data(CELL_ROLE).status is Level.MISSING

    loaded = window.page("supervision")
    loaded.refresh()
    wait_idle(qtbot, ctx)
    loaded.focus("supervision:due_soon")  # Bob is not listed
    item = Attention(
        "supervision", "Bob", Level.OVERDUE, None, "", "", ids["bob"], kind="supervision"
    )
    loaded.open_item(item)
    assert loaded.opened() == (ids["bob"], "supervision") and loaded.focus_count() is None
    assert loaded.table.currentIndex().data(CELL_ROLE).status is Level.OVERDUE
    # Someone on leave is found among the people on leave.
    eve = Attention("supervision", "Eve", Level.MISSING, None, "", "", ids["eve"], kind="appraisal")
    loaded.open_item(eve)
    assert loaded.opened() == (ids["eve"], "appraisal")
    assert loaded.show_filter.currentData() == "on leave"
