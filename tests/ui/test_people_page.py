"""The People page: a person, their versioned care plan, reviews, risks and goals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.people import rules
from provider_desk.areas.people.queries import care_plans, list_people, risk_assessments
from provider_desk.areas.people.services import (
    CarePlanInput,
    PersonInput,
    RiskInput,
    save_care_plan,
    save_person,
    save_risk,
)
from provider_desk.dashboard import read_home
from provider_desk.dashboard.figures import counts
from provider_desk.db.session import Database
from provider_desk.reading import Attention
from provider_desk.rules.due import Level
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import click_save, wait_idle
from ui.areas.people.page import PeoplePage
from ui.areas.people.person_panel import PLAN_TAB, REVIEW_TAB, RISK_TAB
from ui.context import AppContext
from ui.main_window import MainWindow


def open_page(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> PeoplePage:
    new_staff(ctx.db, "Kay", "Worker")
    window.nav.setCurrentRow(window.pages.index(window.page("people")))
    wait_idle(qtbot, ctx)
    window.page("people").refresh()
    wait_idle(qtbot, ctx)
    return window.page("people")


def add_mary(qtbot: QtBot, ctx: AppContext, page: PeoplePage) -> None:
    dialog = page.new_person()
    dialog.first_name.setText("Mary")
    dialog.last_name.setText("Brown")
    dialog.nhs_number.setText("943 476 5918")
    dialog.date_of_birth.edit.setText("02/04/1938")
    dialog.start_date.edit.setText("02/03/2026")
    click_save(qtbot, ctx, dialog)
    assert "not a valid NHS number" in dialog.form.errors["nhs_number"].text()
    dialog.nhs_number.setText("943 476 5919")
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    wait_idle(qtbot, ctx)
    page.table.selectRow(0)
    wait_idle(qtbot, ctx)


def test_add_a_person_write_and_change_their_plan_and_compare(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, ctx: AppContext
) -> None:
    page = open_page(qtbot, window, ctx)
    assert not page.empty.isHidden() and "No one here yet" in page.empty.title.text()
    add_mary(qtbot, ctx, page)
    qtmodeltester.check(page.model, force_py=True)
    person = page.selected()
    assert person is not None and person.review_status is Level.MISSING
    assert page.person_panel.plan_button.text() == "Write first plan…"
    first = page.person_panel.change_plan()
    assert first is not None
    first.effective_from.edit.setText("02/03/2026")
    click_save(qtbot, ctx, first)
    assert "at least one section" in first.form.errors["sections"].text()
    first.texts[("personal care", "needs")].setPlainText("Help to shower")
    first.add_visit(rules.DAYS[:5], "08:00", 45, 1)
    first.visits.item(0, 0).setText("Funday")
    click_save(qtbot, ctx, first)
    assert "'Funday' is not days of the week" in first.form.errors["visits"].text()
    first.visits.item(0, 0).setText("Mon-Fri")
    first.consent_by.setCurrentIndex(first.consent_by.findData("person"))
    first.consent_on.edit.setText("02/03/2026")
    assert "3.8 hours" in first.hours_label.text()
    click_save(qtbot, ctx, first)
    assert not first.isVisible()
    wait_idle(qtbot, ctx)
    assert page.person_panel.plan_button.text() == "Change plan…"
    change = page.person_panel.change_plan()
    assert change is not None
    assert change.texts[("personal care", "needs")].toPlainText() == "Help to shower"
    change.texts[("mobility", "needs")].setPlainText("Hoist, two carers")
    change.visits.item(0, 3).setText("2")
    click_save(qtbot, ctx, change)
    assert "Say why the plan is changing" in change.form.errors["change_reason"].text()
    change.change_reason.setText("Back from hospital")
    click_save(qtbot, ctx, change)
    assert not change.isVisible()
    wait_idle(qtbot, ctx)
    v1, v2 = care_plans(ctx.db, person.id)
    assert (v1.planned_hours, v2.planned_hours, v2.change_reason) == (
        3.8,
        7.5,
        "Back from hospital",
    )
    # The newest version is listed first; open version 1 read-only and compare.
    page.person_panel.plan_table.selectRow(1)
    view = page.person_panel.view_plan()
    assert view is not None and view.read_only
    assert view.texts[("personal care", "needs")].isReadOnly()
    view.close()
    compare = page.person_panel.compare_selected()
    assert compare is not None
    whats = [d.what for d in compare.differences]
    assert "Mobility and moving and handling: Needs" in whats and "Planned visits" in whats
    compare.close()
    # Any two versions: select both (the newest is listed first).
    third = page.person_panel.change_plan()
    assert third is not None
    third.change_reason.setText("Tea call added")
    third.add_visit(rules.DAYS, "17:00", 30, 1)
    click_save(qtbot, ctx, third)
    wait_idle(qtbot, ctx)
    from PySide6.QtCore import QItemSelectionModel

    sel = page.person_panel.plan_table.selectionModel()
    sel.clearSelection()
    for row in (0, 2):  # versions 3 and 1
        sel.select(
            page.person_panel.plan_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    both = page.person_panel.compare_selected()
    assert (
        both is not None and "version 1" in both.windowTitle() and "version 3" in both.windowTitle()
    )
    both.close()


def test_review_risk_goal_print_and_export(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = open_page(qtbot, window, ctx)
    owner = new_staff(ctx.db, "Olu", "Owner")
    page.refresh()
    wait_idle(qtbot, ctx)
    add_mary(qtbot, ctx, page)
    review = page.person_panel.record_review()
    assert review is not None
    review.reviewed_on.edit.setText(TODAY.strftime("%d/%m/%Y"))
    click_save(qtbot, ctx, review)
    assert "Who took part is required." in review.form.errors["participants"].text()
    review.participants.setText("Mary, daughter")
    review.outcome.setPlainText("Happy with her carers")
    review.action.setText("Order a perching stool")
    click_save(qtbot, ctx, review)
    assert "owner" in review.form.errors["actions"].text()
    review.owner.setCurrentIndex(review.owner.findData(owner))
    click_save(qtbot, ctx, review)
    assert not review.isVisible()
    wait_idle(qtbot, ctx)
    (action,) = list_actions(ctx.db, TODAY)
    assert action.source == "care review"
    assert page.person_panel.review_model.rowCount() == 1
    risk = page.person_panel.edit_risk(new=True)
    assert risk is not None
    risk.kind.setCurrentIndex(risk.kind.findData("falls"))
    risk.likelihood.setValue(4)
    risk.severity.setValue(4)
    assert risk.level.text() == "16: high"
    risk.controls.setPlainText("Frame within reach")
    click_save(qtbot, ctx, risk)
    assert not risk.isVisible()
    wait_idle(qtbot, ctx)
    person = page.selected()
    assert person is not None
    (row,) = risk_assessments(ctx.db, TODAY, person_id=person.id)
    assert row.review_due == dt.date(2027, 11, 23) and row.level == "high"
    goal = page.person_panel.edit_goal(new=True)
    assert goal is not None
    goal.text.setPlainText("Make a cup of tea")
    goal.target_date.edit.setText("01/01/2020")
    click_save(qtbot, ctx, goal)
    assert "before the goal" in goal.form.errors["target_date"].text()
    goal.target_date.edit.clear()
    click_save(qtbot, ctx, goal)
    assert not goal.isVisible()
    wait_idle(qtbot, ctx)
    assert page.person_panel.goal_model.rowCount() == 1
    page.person_panel.risk_table.selectRow(0)
    monkeypatch.setattr("ui.areas.people.person_panel.ask", lambda *a: True)
    page.person_panel.remove("risk")
    wait_idle(qtbot, ctx)
    assert risk_assessments(ctx.db, TODAY, person_id=person.id) == []
    # A plan, then print it and export.
    plan = page.person_panel.change_plan()
    assert plan is not None
    plan.texts[("home", "needs")].setPlainText("Key safe by the door")
    click_save(qtbot, ctx, plan)
    wait_idle(qtbot, ctx)
    page.person_panel.plan_table.selectRow(0)
    pdf = tmp_path / "plan.pdf"
    page.person_panel.print_to(pdf)
    wait_idle(qtbot, ctx)
    assert pdf.read_bytes().startswith(b"%PDF")
    out = tmp_path / "people.csv"
    page.export_to("people", out)
    wait_idle(qtbot, ctx)
    assert "Mary" in out.read_text(encoding="utf-8-sig")
    (mary,) = list_people(ctx.db, TODAY)
    assert mary.plan_number == 1 and not mary.consent_recorded and mary.needs_attention


def test_import_people_through_the_preview(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    page = open_page(qtbot, window, ctx)
    sheet = tmp_path / "clients.csv"
    sheet.write_text(
        "Name,Start date,NHS number\nMary Brown,01/03/2026,943 476 5919\n"
        "John Smith,01/03/2026,943 476 5918\n",
        encoding="utf-8",
    )
    dialog = window.open_import(sheet, "people")
    wait_idle(qtbot, ctx)
    assert "1 new" in dialog.summary.text()
    assert "1 row will not be imported (1 problem)" in dialog.summary.text()
    dialog.import_button.click()
    wait_idle(qtbot, ctx)
    assert [p.name for p in page.model.rows()] == ["Mary Brown"]


def _build_people(db: Database) -> dict[str, int]:
    """Four people as on TODAY where every care plan and risk count is known.

    Mary: no plan. Emily: review overdue (1 Nov), no consent, two risk reviews overdue and one
    due soon. Frank: review due soon (5 Dec), consent recorded, one risk review overdue. Gina:
    ended (archived), no plan and a risk review overdue: counted nowhere.
    """
    mary = save_person(
        db,
        None,
        PersonInput("Mary", "Green", dt.date(2026, 11, 2)),
        today=TODAY,
        expected_version=None,
    )
    emily = save_person(
        db,
        None,
        PersonInput("Emily", "Baker", dt.date(2026, 1, 5)),
        today=TODAY,
        expected_version=None,
    )
    frank = save_person(
        db,
        None,
        PersonInput("Frank", "Hill", dt.date(2026, 1, 5)),
        today=TODAY,
        expected_version=None,
    )
    gina = save_person(
        db,
        None,
        PersonInput("Gina", "Ford", dt.date(2025, 1, 6)),
        today=TODAY,
        expected_version=None,
    )
    ids = {"mary": mary.ids[0], "emily": emily.ids[0], "frank": frank.ids[0], "gina": gina.ids[0]}
    needs = {"personal care": {"needs": "Shower"}}
    save_care_plan(
        db,
        ids["emily"],
        CarePlanInput(dt.date(2026, 1, 5), sections=needs, review_due=dt.date(2026, 11, 1)),
        today=TODAY,
    )
    save_care_plan(
        db,
        ids["frank"],
        CarePlanInput(
            dt.date(2026, 1, 5),
            sections=needs,
            consent_by="person",
            consent_on=dt.date(2026, 1, 5),
            review_due=dt.date(2026, 12, 5),
        ),
        today=TODAY,
    )
    for who, kind, due in (
        ("emily", "falls", dt.date(2026, 9, 1)),
        ("emily", "medication", dt.date(2026, 10, 1)),
        ("emily", "choking", dt.date(2026, 12, 1)),
        ("frank", "falls", dt.date(2026, 11, 1)),
        ("gina", "falls", dt.date(2026, 10, 1)),
    ):
        changes = save_risk(
            db,
            ids[who],
            None,
            RiskInput(kind, 2, 2, "Checks", dt.date(2025, 12, 1), review_due=due),
            today=TODAY,
            expected_version=None,
        )
        ids[f"{who} {kind}"] = changes.ids[0]
    ended = PersonInput(
        "Gina", "Ford", dt.date(2025, 1, 6), status="ended", end_date=dt.date(2026, 11, 1)
    )
    save_person(db, ids["gina"], ended, today=TODAY, expected_version=1)
    return ids


def _loaded_page(qtbot: QtBot, ctx: AppContext) -> PeoplePage:
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    wait_idle(qtbot, ctx)
    return page


def _names(page: PeoplePage) -> list[str]:
    return sorted(p.first_name for p in page.shown())


@pytest.mark.parametrize(
    ("what", "names", "count"),
    [
        ("care_plans:review_overdue", ["Emily"], 1),
        ("care_plans:no_current_plan", ["Mary"], 1),
        ("care_plans:consent_missing", ["Emily"], 1),
        ("care_plans:review_due_soon", ["Frank"], 1),
        # Risk assessments are counted one by one: Emily's two and Frank's one.
        ("risk_assessments:review_overdue", ["Emily", "Frank"], 3),
        ("risk_assessments:due_soon", ["Emily"], 1),
    ],
)
def test_focus_lists_exactly_the_people_a_home_count_stands_for(
    qtbot: QtBot, db: Database, ctx: AppContext, what: str, names: list[str], count: int
) -> None:
    _build_people(db)
    card, field = what.split(":")
    assert counts(read_home(db, TODAY).figures.cards()[card])[field] == count
    page = _loaded_page(qtbot, ctx)
    page.search.setText("Gina")  # a search left over from before is cleared
    page.focus(what)
    assert _names(page) == names
    assert page.focus_count() == count
    assert page.filter.currentText() != "Needs attention"  # the list says why they are there
    page.focus("care_plans:nothing_like_this")  # unknown: the page stays as it is
    assert _names(page) == names


def test_focus_before_loading_applies_once_loaded(
    qtbot: QtBot, db: Database, ctx: AppContext
) -> None:
    _build_people(db)
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.focus("risk_assessments:review_overdue")
    assert page.focus_count() is None  # not loaded yet
    page.refresh()
    wait_idle(qtbot, ctx)
    assert _names(page) == ["Emily", "Frank"] and page.focus_count() == 3
    page.open_item(_items(db)[0])  # opening an item ends the focus
    assert page.focus_count() is None


def _items(db: Database) -> list[Attention]:
    return [i for i in read_home(db, TODAY).todo if i.area == "people"]


def test_open_item_selects_the_person_on_the_tab_it_concerns(
    qtbot: QtBot, db: Database, ctx: AppContext
) -> None:
    ids = _build_people(db)
    items = _items(db)
    by_kind = {(i.record_id, i.kind, i.part_id): i for i in items}
    # Before loading: a risk review, with that risk assessment selected once loaded.
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    medication = by_kind[(ids["emily"], "risk", ids["emily medication"])]
    page.open_item(medication)
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["emily"], ids["emily medication"])
    assert page.person_panel.person_tabs.currentIndex() == RISK_TAB
    # After loading, with a focus that hides the person: the filter is cleared to find them.
    page.focus("care_plans:no_current_plan")
    assert _names(page) == ["Mary"]
    page.open_item(by_kind[(ids["frank"], "risk", ids["frank falls"])])
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["frank"], ids["frank falls"])
    # The same person's other risk assessment while their records are already in.
    page.open_item(by_kind[(ids["emily"], "risk", ids["emily falls"])])
    wait_idle(qtbot, ctx)
    page.open_item(by_kind[(ids["emily"], "risk", ids["emily choking"])])
    assert page.opened() == (ids["emily"], ids["emily choking"])
    # A review and consent: no part; the tab is the reviews or the care plan.
    page.open_item(by_kind[(ids["frank"], "review", None)])
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["frank"], None)
    assert page.person_panel.person_tabs.currentIndex() == REVIEW_TAB
    page.open_item(by_kind[(ids["emily"], "consent", None)])
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["emily"], None)
    assert page.person_panel.person_tabs.currentIndex() == PLAN_TAB
    # A reload keeps the risk assessment selected.
    page.open_item(medication)
    wait_idle(qtbot, ctx)
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["emily"], ids["emily medication"])
