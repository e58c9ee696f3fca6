"""The audits page: programme, carrying out an audit, actions, revisions, templates, calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import (
    AWAITING_SIGN_OFF,
    DRAFT,
    SIGNED_OFF,
    audit_detail,
    audit_programme,
    list_audits,
    template_detail,
)
from provider_desk.areas.audits.services import AuditInput, save_audit
from provider_desk.changes import SETTINGS, Changes
from provider_desk.dashboard import read_home
from provider_desk.dashboard.figures import counts
from provider_desk.db.session import Database
from provider_desk.settings.services import set_audit_programme_start
from tests.conftest import TODAY, new_staff, settings_version
from tests.ui.conftest import click_save, wait_idle
from ui.areas.audits.audit_dialog import AuditDialog
from ui.areas.audits.page import AuditsPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE


def open_page(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> AuditsPage:
    new_staff(ctx.db, "Rita", "Auditor")
    window.nav.setCurrentRow(window.pages.index(window.page("audits")))
    wait_idle(qtbot, ctx)
    window.page("audits").refresh()
    wait_idle(qtbot, ctx)
    return window.page("audits")


def select_template(page: AuditsPage, name_part: str) -> None:
    for i in range(page.programme_tab.proxy.rowCount()):
        if name_part in page.programme_tab.proxy.index(i, 0).data(ROW_ROLE).name:
            page.programme_tab.table.selectRow(i)
            return
    raise AssertionError(name_part)


def start(qtbot: QtBot, ctx: AppContext, page: AuditsPage, name_part: str) -> AuditDialog:
    select_template(page, name_part)
    page.start_selected()
    wait_idle(qtbot, ctx)
    return page.dialog


def answer_all_yes(dialog: AuditDialog) -> None:
    for card in dialog.cards:
        if card.item.answer_type == "score":
            card.score.setCurrentIndex(card.score.findData(card.item.max_score))
        else:
            card.radios["yes"].setChecked(True)


def test_programme_lists_every_template_never_done(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow, ctx: AppContext
) -> None:
    page = open_page(qtbot, window, ctx)
    qtmodeltester.check(page.programme_tab.model, force_py=True)
    assert page.programme_tab.proxy.rowCount() == 9
    assert "0 overdue or never done" in page.programme_tab.count.text()  # not started yet
    set_audit_programme_start(ctx.db, TODAY, expected_version=settings_version(ctx.db))
    ctx.announce(Changes.of(SETTINGS))
    wait_idle(qtbot, ctx)
    assert "0 overdue or never done · 9 due soon" in page.programme_tab.count.text()
    # The first is chosen, so Start works at once.
    assert page.programme_tab.selected_template() is not None
    assert not page.audits_tab.empty.isHidden() and page.audits_tab.table.isHidden()


def test_carry_out_an_audit_finish_needs_answers_and_comments(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = open_page(qtbot, window, ctx)
    dialog = start(qtbot, ctx, page, "Medication")
    dialog.auditor.setCurrentIndex(1)
    dialog.cards[0].radios["no"].setChecked(True)
    assert "0% of applicable items met · 1 not met · 1 of 12 answered" in dialog.score_label.text()
    assert dialog.cards[0].action_button.isEnabled()
    assert not dialog.cards[1].action_button.isEnabled()
    qtbot.mouseClick(dialog.finish_button, _left())
    wait_idle(qtbot, ctx)
    assert "11 question(s) not answered" in dialog.error.text()
    assert "Question 1 was not met" in dialog.error.text()
    assert list_audits(ctx.db) == []
    answer_all_yes(dialog)
    dialog.cards[0].radios["no"].setChecked(True)
    dialog.cards[0].comment.setText("One MAR missing for Mrs B.")
    dialog.cards[3].radios["na"].setChecked(True)
    dialog.summary.setPlainText("Good apart from one missing MAR.")
    qtbot.mouseClick(dialog.finish_button, _left())
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    (audit,) = list_audits(ctx.db)
    assert audit.status == AWAITING_SIGN_OFF and audit.failed == 1
    assert audit.score == pytest.approx(100 * 12 / 13, abs=0.1)  # weights: Q3 and Q6 count 2
    wait_idle(qtbot, ctx)
    page.tabs.setCurrentIndex(1)
    page.audits_tab.table.selectRow(0)
    assert page.audits_tab.revise_button.isEnabled() and page.audits_tab.sign_button.isEnabled()
    # Opening a finished audit shows it read-only.
    page.audits_tab.open_selected()
    wait_idle(qtbot, ctx)
    view = page.dialog
    assert view.locked and not view.finish_button.isVisible()
    assert not view.cards[0].radios["yes"].isEnabled()
    view.close()


def _left() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_raise_an_action_from_a_no_saves_a_draft_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = open_page(qtbot, window, ctx)
    owner = new_staff(ctx.db, "Olu", "Owner")
    page.refresh()
    wait_idle(qtbot, ctx)
    dialog = start(qtbot, ctx, page, "Infection")
    dialog.auditor.setCurrentIndex(1)
    card = dialog.cards[1]
    card.radios["no"].setChecked(True)
    card.comment.setText("Three carers overdue")
    qtbot.mouseClick(card.action_button, _left())
    wait_idle(qtbot, ctx)
    (draft,) = list_audits(ctx.db)
    assert draft.status == DRAFT and dialog.run_id == draft.id
    action_dialog = dialog.last_action_dialog
    assert "Three carers overdue" in action_dialog.description.toPlainText()
    click_save(qtbot, ctx, action_dialog)
    assert "Every action needs an owner." in action_dialog.form.errors["owner_id"].text()
    action_dialog.owner.setCurrentIndex(action_dialog.owner.findData(owner))
    click_save(qtbot, ctx, action_dialog)
    assert not action_dialog.isVisible()
    (action,) = [a for a in list_actions(ctx.db, TODAY) if a.source == "audit"]
    assert action.owner_id == owner and action.source_ref.startswith(draft.reference)
    assert "Action: Put right" in card.notes.text()
    # Carry on and save the draft again: the version read back after the first save is used.
    dialog.cards[0].radios["yes"].setChecked(True)
    qtbot.mouseClick(dialog.save_button, _left())
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    (draft,) = list_audits(ctx.db)
    assert draft.actions == 1 and draft.open_actions == 1
    # Starting the same audit again carries on with the draft.
    select_template(page, "Infection")
    page.start_selected()
    wait_idle(qtbot, ctx)
    assert page.dialog.run_id == draft.id
    assert page.dialog.cards[0].answer().answer == "yes"


def test_revise_sign_off_reaudit_report_and_export(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    page = open_page(qtbot, window, ctx)
    tid = next(p.template_id for p in page.programme_tab.model.rows() if p.key == "complaints")
    detail = template_detail(ctx.db, tid)
    assert detail is not None
    auditor = new_staff(ctx.db, "Ann", "Other")
    answers = {i.id: r.Answer("yes") for i in detail.template.items}
    first_item = detail.template.items[0].id
    answers[first_item] = r.Answer("no", comment="Procedure missing from two folders")
    save_audit(
        ctx.db,
        None,
        AuditInput(tid, dt.date(2026, 10, 1), auditor, answers=answers),
        finish=True,
        today=TODAY,
        expected_version=None,
    )
    page.refresh()
    wait_idle(qtbot, ctx)
    page.tabs.setCurrentIndex(1)
    page.audits_tab.table.selectRow(0)
    page.audits_tab.revise_selected("Wrong auditor recorded")
    wait_idle(qtbot, ctx)
    revision = page.dialog
    assert revision.setup.detail is not None and revision.setup.detail.row.revision == 2
    answer_all_yes(revision)
    revision.cards[0].radios["no"].setChecked(True)
    revision.cards[0].comment.setText("Procedure missing from two folders")
    qtbot.mouseClick(revision.finish_button, _left())
    wait_idle(qtbot, ctx)
    (row,) = list_audits(ctx.db)
    assert row.revision == 2 and row.status == AWAITING_SIGN_OFF
    page.audits_tab.table.selectRow(0)
    sign = page.audits_tab.sign_off_selected()
    assert sign is not None
    sign.name.setText("Joanna Whitfield")
    click_save(qtbot, ctx, sign)
    assert list_audits(ctx.db)[0].status == SIGNED_OFF
    # Re-audit: last time's answers show under each question, and the report compares.
    page.audits_tab.table.selectRow(0)
    page.audits_tab.reaudit_selected()
    wait_idle(qtbot, ctx)
    follow = page.dialog
    assert follow.cards[0].previous_text.startswith("No — Procedure missing")
    follow.auditor.setCurrentIndex(1)
    answer_all_yes(follow)
    qtbot.mouseClick(follow.finish_button, _left())
    wait_idle(qtbot, ctx)
    latest = max(list_audits(ctx.db), key=lambda a: a.root_id)
    assert latest.follow_up_of == row.reference and latest.score == 100.0
    full = audit_detail(ctx.db, latest.id, TODAY)
    assert full is not None and full.previous is not None
    page.audits_tab.table.selectRow(0)
    pdf = tmp_path / "report.pdf"
    page.audits_tab.report_to(page.audits_tab.selected_audit(), pdf)  # type: ignore[arg-type]
    wait_idle(qtbot, ctx)
    assert pdf.read_bytes().startswith(b"%PDF")
    xlsx = tmp_path / "audits.xlsx"
    page.audits_tab.export_to(xlsx)
    wait_idle(qtbot, ctx)
    assert xlsx.stat().st_size > 0
    # Trend and calendar show the two finished audits.
    page.trend_tab.template.setCurrentIndex(page.trend_tab.template.findData(tid))
    page.trend_tab.show_trend()
    wait_idle(qtbot, ctx)
    assert [p.reference for p in page.trend_tab.chart.points] == [row.reference, latest.reference]
    name = page.trend_tab.template.currentText()
    calendar = page.calendar_tab.table
    rows = [calendar.verticalHeaderItem(i).text() for i in range(calendar.rowCount())]
    cell = calendar.item(rows.index(name), 9)  # October
    assert cell.text().startswith("✓")
    page.trend_tab.chart.grab()  # paints without error


def test_template_editor_adds_a_question_as_a_new_version(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, window, ctx)
    select_template(page, "Staff file")
    tid = page.programme_tab.selected_template().template_id  # type: ignore[union-attr]
    page.programme_tab.edit_template()
    wait_idle(qtbot, ctx)
    dialog = page.programme_tab.template_dialog
    before = len(dialog.rows)
    dialog.table.selectRow(before - 1)
    question = dialog.add_question()
    question.question.setPlainText("Is the driving licence checked for drivers?")
    question.statements.item(5).setCheckState(question.statements.item(5).checkState().Checked)
    click_save(qtbot, ctx, question)
    assert len(dialog.rows) == before + 1
    dialog.frequency.setCurrentIndex(dialog.frequency.findData("six-monthly"))
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    after = template_detail(ctx.db, tid)
    assert after is not None and len(after.template.items) == before + 1
    assert after.frequency == "six-monthly" and [v.number for v in after.versions] == [1, 2]
    assert after.template.items[-1].statements == ("safe-6",)
    # New template from scratch; a blank name is refused in the form.
    new = page.programme_tab.new_template()
    click_save(qtbot, ctx, new)
    assert "required" in new.form.errors["name"].text()
    assert "at least one question" in new.form.errors["sections"].text()
    monkeypatch.setattr("ui.areas.audits.audit_template_dialog.ask", lambda *a: True)
    new.name.setText("Rota audit")
    q = new.add_question()
    q.section.setCurrentText("Rota")
    q.question.setPlainText("Are there enough carers for the calls planned?")
    click_save(qtbot, ctx, q)
    click_save(qtbot, ctx, new)
    assert not new.isVisible()
    wait_idle(qtbot, ctx)
    assert any(p.name == "Rota audit" for p in page.programme_tab.model.rows())


def test_closing_with_unsaved_answers_asks_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, window, ctx)
    dialog = start(qtbot, ctx, page, "Medication")
    assert not dialog.dirty
    dialog.cards[0].radios["yes"].setChecked(True)
    asked: list[str] = []
    monkeypatch.setattr(
        "ui.areas.audits.audit_dialog.ask", lambda _p, title, _t: asked.append(title) or False
    )
    dialog.reject()
    assert asked == ["Unsaved answers"] and dialog.isVisible()
    monkeypatch.setattr("ui.areas.audits.audit_dialog.ask", lambda *_a: True)
    dialog.reject()
    assert not dialog.isVisible() and list_audits(ctx.db) == []


def test_care_file_sample_is_picked_from_people_supported(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    from provider_desk.areas.people.services import PersonInput, save_person

    for first in ("Ann", "Bob", "Cat", "Dan", "Eve", "Fay"):
        save_person(
            ctx.db, None, PersonInput(first, "Test", TODAY), today=TODAY, expected_version=None
        )
    page = open_page(qtbot, window, ctx)
    dialog = start(qtbot, ctx, page, "Care file")
    assert dialog.sample_button.isVisibleTo(dialog)
    dialog.pick_sample()
    picked = dialog.scope.text()
    assert picked.startswith("Care files: P-00") and picked.count("Test") == 5


# The programme as on TODAY (Mon 23 Nov 2026, due soon: within 14 days): when each template was
# last audited (None: never) and where that leaves it.
PROGRAMME = {
    "call-monitoring": (dt.date(2026, 11, 1), "due soon"),  # monthly: due 1 Dec
    "care-file": (dt.date(2026, 9, 15), "overdue"),  # monthly: was due 15 Oct
    "complaints": (dt.date(2026, 9, 1), "due soon"),  # quarterly: due 1 Dec
    "health-safety": (dt.date(2026, 10, 1), "in date"),  # six-monthly
    "ipc": (dt.date(2026, 10, 20), "in date"),  # quarterly
    "information-governance": (dt.date(2026, 11, 10), "in date"),  # six-monthly
    "medication": (dt.date(2026, 11, 20), "in date"),  # monthly: due 20 Dec
    "spot-check": (None, "never done"),
    "staff-file": (dt.date(2026, 10, 30), "in date"),  # quarterly
}


def _build_programme(db: Database) -> dict[str, int]:
    auditor = new_staff(db, "Rita", "Auditor")
    ids = {p.key: p.template_id for p in audit_programme(db, TODAY)}
    assert set(ids) == set(PROGRAMME)
    for key, (on, _) in PROGRAMME.items():
        if on is None:
            continue
        detail = template_detail(db, ids[key])
        assert detail is not None
        answers = {
            i.id: r.Answer("score", score=i.max_score)
            if i.answer_type == "score"
            else r.Answer("yes")
            for i in detail.template.items
        }
        save_audit(
            db,
            None,
            AuditInput(ids[key], on, auditor, answers=answers),
            finish=True,
            today=TODAY,
            expected_version=None,
        )
    return ids


def _shown_keys(page: AuditsPage) -> list[str]:
    proxy = page.programme_tab.proxy
    return sorted(proxy.index(i, 0).data(ROW_ROLE).key for i in range(proxy.rowCount()))


@pytest.mark.parametrize(
    ("field", "keys"),
    [("overdue", ["care-file", "spot-check"]), ("due_soon", ["call-monitoring", "complaints"])],
)
def test_focus_shows_the_programme_with_exactly_the_audits_a_home_count_stands_for(
    qtbot: QtBot, db: Database, ctx: AppContext, field: str, keys: list[str]
) -> None:
    _build_programme(db)
    assert counts(read_home(db, TODAY).figures.audits)[field] == len(keys)
    page = AuditsPage(ctx)
    qtbot.addWidget(page)
    page.focus(f"audits:{field}")  # before loading: applied once loaded
    assert page.focus_count() is None
    page.refresh()
    wait_idle(qtbot, ctx)
    assert _shown_keys(page) == keys and page.focus_count() == len(keys)
    assert page.tabs.currentWidget() is page.programme_tab
    # After loading, from another tab and another filter.
    page.tabs.setCurrentIndex(1)
    page.programme_tab.filter.setCurrentIndex(3)  # in date
    page.focus("audits:nothing_like_this")
    assert page.tabs.currentIndex() == 1 and len(_shown_keys(page)) == 5
    page.focus(f"audits:{field}")
    assert page.tabs.currentWidget() is page.programme_tab
    assert _shown_keys(page) == keys and page.focus_count() == len(keys)


def test_open_item_selects_the_templates_line_in_the_programme(
    qtbot: QtBot, db: Database, ctx: AppContext
) -> None:
    ids = _build_programme(db)
    items = {i.record_id: i for i in read_home(db, TODAY).todo if i.area == "audits"}
    wanted = ["call-monitoring", "care-file", "complaints", "spot-check"]
    assert set(items) == {ids[k] for k in wanted}
    page = AuditsPage(ctx)
    qtbot.addWidget(page)
    page.open_item(items[ids["spot-check"]])  # before loading
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.opened() == (ids["spot-check"], None)
    # After loading, from the audits done tab with a filter that hides it.
    page.focus("audits:due_soon")
    page.tabs.setCurrentIndex(1)
    page.open_item(items[ids["care-file"]])
    assert page.tabs.currentWidget() is page.programme_tab
    assert page.opened() == (ids["care-file"], None) and page.focus_count() is None
    assert len(_shown_keys(page)) == 9
