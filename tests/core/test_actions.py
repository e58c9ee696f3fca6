"""The action plan: validation, statuses computed from dates, completion with evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.actions.rules import ActionStatus, action_status
from provider_desk.areas.actions.services import (
    ActionInput,
    archive_action,
    complete_action,
    raise_action,
    reopen_action,
    update_action,
)
from provider_desk.areas.staff.services import record_leaver
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, ValidationError
from provider_desk.rules.due import Level
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, settings_version, version_of


@pytest.mark.parametrize(
    ("due", "done", "expected"),
    [
        (TODAY - dt.timedelta(days=1), None, ActionStatus.OVERDUE),
        (TODAY, None, ActionStatus.DUE_SOON),
        (TODAY + dt.timedelta(days=30), None, ActionStatus.DUE_SOON),
        (TODAY + dt.timedelta(days=31), None, ActionStatus.OPEN),
        (TODAY - dt.timedelta(days=9), TODAY, ActionStatus.DONE),
    ],
)
def test_status_from_dates(due: dt.date, done: dt.date | None, expected: ActionStatus) -> None:
    assert action_status(due, done, TODAY, 30) == expected


def test_action_needs_what_who_and_when(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        raise_action(db, ActionInput(" ", None, None), today=TODAY)
    assert {p.field for p in info.value.problems} == {"description", "owner_id", "due_on"}


def test_owner_must_still_be_in_post(db: Database) -> None:
    owner = new_staff(db)
    record_leaver(
        db,
        owner,
        dt.date(2026, 11, 1),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", owner),
    )
    with pytest.raises(ValidationError) as info:
        raise_action(db, ActionInput("Fix rota", owner, TODAY), today=TODAY)
    assert "has left" in info.value.message


def test_due_window_comes_from_settings(db: Database) -> None:
    owner = new_staff(db)
    raise_action(db, ActionInput("Fix rota", owner, TODAY + dt.timedelta(days=60)), today=TODAY)
    assert list_actions(db, TODAY)[0].status == ActionStatus.DUE_SOON  # default 90 days
    update_settings(
        db, SettingsInput("Meadowbank", due_soon_days=30), expected_version=settings_version(db)
    )
    assert list_actions(db, TODAY)[0].status == ActionStatus.OPEN


def test_complete_needs_evidence_and_a_real_date(db: Database) -> None:
    owner = new_staff(db)
    action_id = raise_action(
        db,
        ActionInput("Fix rota", owner, TODAY, raised_on=TODAY - dt.timedelta(days=10)),
        today=TODAY,
    ).ids[0]
    with pytest.raises(ValidationError) as info:
        complete_action(
            db,
            action_id,
            TODAY + dt.timedelta(days=1),
            "",
            today=TODAY,
            expected_version=version_of(db, "Action", action_id),
        )
    assert {p.field for p in info.value.problems} == {"completed_on", "completion_evidence"}
    with pytest.raises(ValidationError):
        complete_action(
            db,
            action_id,
            TODAY - dt.timedelta(days=20),
            "Done",
            today=TODAY,
            expected_version=version_of(db, "Action", action_id),
        )
    complete_action(
        db,
        action_id,
        TODAY,
        "New rota issued",
        today=TODAY,
        expected_version=version_of(db, "Action", action_id),
    )
    (row,) = list_actions(db, TODAY)
    assert (row.status, row.completion_evidence) == (ActionStatus.DONE, "New rota issued")
    reopen_action(db, action_id, expected_version=version_of(db, "Action", action_id))
    assert list_actions(db, TODAY)[0].status == ActionStatus.DUE_SOON


def test_stale_edit_conflicts_and_archive_hides(db: Database) -> None:
    owner = new_staff(db)
    action_id = raise_action(db, ActionInput("Fix rota", owner, TODAY), today=TODAY).ids[0]
    version = list_actions(db, TODAY)[0].version
    update_action(
        db,
        action_id,
        ActionInput("Fix the rota", owner, TODAY),
        expected_version=version,
        today=TODAY,
    )
    with pytest.raises(ConflictError):
        update_action(
            db, action_id, ActionInput("Other", owner, TODAY), expected_version=version, today=TODAY
        )
    archive_action(db, action_id, expected_version=version_of(db, "Action", action_id))
    assert list_actions(db, TODAY) == []


def test_due_before_raised_is_refused(db: Database) -> None:
    owner = new_staff(db)
    with pytest.raises(ValidationError) as info:
        raise_action(
            db,
            ActionInput(
                "x", owner, TODAY - dt.timedelta(days=2), raised_on=TODAY - dt.timedelta(days=1)
            ),
            today=TODAY,
        )
    assert info.value.field == "due_on"


def test_action_statuses_expose_their_level() -> None:
    assert [s.level for s in ActionStatus] == [
        Level.IN_DATE,  # open
        Level.DUE_SOON,
        Level.OVERDUE,
        Level.NOT_REQUIRED,  # done: nothing more needed
    ]
