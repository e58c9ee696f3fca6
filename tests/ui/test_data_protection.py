"""Settings ▸ Data protection (review, confirm, purge; retention periods) and the 'Subject access
export…' buttons on the People and Staff pages."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.auth.roles import Actor, Role
from provider_desk.db.session import Database
from provider_desk.privacy.retention import past_retention
from provider_desk.rules import retention as r
from provider_desk.settings.retention import retention_settings
from tests.conftest import TODAY
from tests.core.privacy_world import World, build
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.dialogs import subject_access
from ui.dialogs.data_protection_dialog import CHECK, DataProtectionDialog
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE
from ui.widgets.exporting import SAVED_NOTICE


@pytest.fixture
def world(db: Database) -> World:
    return build(db)


def _open(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> DataProtectionDialog:
    dialog = window.open_data_protection()
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ctx)
    return dialog


def test_review_confirm_and_purge(
    qtbot: QtBot, qtmodeltester: ModelTester, world: World, window: MainWindow, ctx: AppContext
) -> None:
    dialog = _open(qtbot, window, ctx)
    model = dialog.model
    qtmodeltester.check(model, force_py=True)
    assert len(model.rows()) == 6
    assert "6 past retention, 1 held" in dialog.count.text()
    assert not dialog.purge_button.isEnabled()
    # Tick one by hand, then all that can go: the held leaver cannot be ticked.
    first = model.index(0, CHECK)
    assert model.setData(first, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert len(model.chosen) == 1 and dialog.purge_button.isEnabled()
    dialog.all_button.click()
    assert len(model.chosen) == 5
    held = next(i for i, p in enumerate(model.rows()) if not p.can_purge)
    assert not model.flags(model.index(held, CHECK)) & Qt.ItemFlag.ItemIsUserCheckable
    confirm = dialog.ask_purge()
    assert confirm is not None
    text = confirm.listing.toPlainText()
    assert len(text.splitlines()) == 5 and "Peter Past (P-0001)" in text
    assert "Harry" not in text
    assert not confirm.purge_button.isEnabled()  # not until the manager says they reviewed it
    confirm.reviewed.setChecked(True)
    confirm.purge_button.click()
    wait_idle(qtbot, ctx)
    assert dialog.last_result is not None and dialog.last_result.records == 5
    wait_idle(qtbot, ctx)
    assert [p.what for p in model.rows()] == ["Harry Held"]
    assert {p.key for p in past_retention(ctx.db, TODAY)} == {(r.STAFF, world.harry)}


def test_cancel_purges_nothing(
    qtbot: QtBot, world: World, window: MainWindow, ctx: AppContext
) -> None:
    dialog = _open(qtbot, window, ctx)
    dialog.all_button.click()
    confirm = dialog.ask_purge()
    assert confirm is not None
    confirm.reject()
    wait_idle(qtbot, ctx)
    assert len(past_retention(ctx.db, TODAY)) == 6


def test_periods_are_edited_with_their_source(
    qtbot: QtBot, world: World, window: MainWindow, ctx: AppContext
) -> None:
    dialog = _open(qtbot, window, ctx)
    assert dialog.years[r.PEOPLE].value() == 8 and dialog.months[r.PEOPLE].value() == 0
    dialog.years[r.PEOPLE].setValue(10)
    dialog.months[r.PEOPLE].setValue(9)  # until 30 Nov 2026: Peter is no longer past
    dialog.save_periods()
    wait_idle(qtbot, ctx)
    wait_idle(qtbot, ctx)
    assert {x.key: x.months for x in retention_settings(ctx.db)}[r.PEOPLE] == 129
    assert (r.PEOPLE, world.peter) not in {p.key for p in dialog.model.rows()}
    dialog.years[r.COMPLIMENTS].setValue(0)
    dialog.months[r.COMPLIMENTS].setValue(6)
    dialog.save_periods()
    wait_idle(qtbot, ctx)
    assert "between 1 and 100 years" in dialog.periods_error.text()


def test_periods_changed_on_another_pc_are_not_put_back(
    qtbot: QtBot,
    world: World,
    window: MainWindow,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from provider_desk.settings.retention import update_retention

    dialog = _open(qtbot, window, ctx)
    assert dialog.save_periods_button.isEnabled()
    other_pc = Database(ctx.db.url, actor=Actor(9, "Jo Manager", Role.MANAGER))
    try:  # saves while this form is open, still showing complaints at 6 years
        shown = {x.key: x.version for x in retention_settings(other_pc)}
        update_retention(other_pc, {r.COMPLAINTS: 36}, expected_versions=shown)
    finally:
        other_pc.dispose()
    boxes: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: boxes.append(f"{box.text()} | {box.informativeText()}")
    )
    dialog.years[r.PEOPLE].setValue(10)
    dialog.save_periods()
    wait_idle(qtbot, ctx)
    (message,) = boxes
    assert "Changed by Jo Manager at " in message and "reload to see their changes" in message
    assert dialog.years[r.PEOPLE].value() == 10  # what was typed is still there
    saved = {x.key: x.months for x in retention_settings(ctx.db)}
    assert saved[r.COMPLAINTS] == 36 and saved[r.PEOPLE] == 96  # nothing overwritten or half-saved


@pytest.fixture
def office_ctx(qtbot: QtBot, db: Database) -> Iterator[AppContext]:
    office = Database(db.url, actor=Actor(3, "Olive Office", Role.COORDINATOR))
    context = AppContext(office, today=lambda: TODAY)
    yield context
    context.tasks.wait()
    office.dispose()


def test_other_roles_review_but_cannot_purge_or_edit(
    qtbot: QtBot, world: World, office_ctx: AppContext
) -> None:
    dialog = DataProtectionDialog(office_ctx)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, office_ctx)
    assert len(dialog.model.rows()) == 6
    assert (
        not dialog.model.setData(
            dialog.model.index(0, CHECK),
            Qt.CheckState.Checked.value,
            Qt.ItemDataRole.CheckStateRole,
        )
        or not dialog.purge_button.isEnabled()
    )
    assert not dialog.purge_button.isEnabled() and not dialog.all_button.isEnabled()
    assert not dialog.save_periods_button.isEnabled()
    assert not dialog.years[r.PEOPLE].isEnabled()


def _select(table: object, wanted: int) -> None:
    view = table
    model = view.model()  # type: ignore[attr-defined]
    for row in range(model.rowCount()):
        if model.index(row, 0).data(ROW_ROLE).id == wanted:
            view.selectionModel().select(  # type: ignore[attr-defined]
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            return
    raise AssertionError(f"{wanted} is not listed")


@pytest.mark.parametrize("area", ["people", "staff"])
def test_subject_access_buttons(
    qtbot: QtBot,
    world: World,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    area: str,
) -> None:
    target = tmp_path / f"{area}.zip"
    monkeypatch.setattr(subject_access, "choose_save_path", lambda *a: target)
    window.show_area(area)
    wait_idle(qtbot, ctx)
    page = window.page(area)
    page.refresh()
    wait_idle(qtbot, ctx)
    _select(page.table, world.nora if area == "people" else world.cathy)  # type: ignore[attr-defined]
    wait_idle(qtbot, ctx)
    assert page.access_button.isEnabled()  # type: ignore[attr-defined]
    page.access_button.click()  # type: ignore[attr-defined]
    wait_idle(qtbot, ctx)
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
    assert "index.csv" in names and target.with_suffix(".pdf").name in names
    name = "Nora Now" if area == "people" else "Cathy Current"
    notice = window.statusBar().findChild(QLabel, SAVED_NOTICE)
    assert notice is not None and f"Saved everything held about {name}" in notice.text()
