"""Permissions are enforced in the core: every write service says what it needs, every role is
tried against every service, and a refused call writes nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

import provider_desk
from provider_desk.areas.people.services import CarePlanInput, PersonInput, save_care_plan
from provider_desk.areas.people.services import save_person as add_person
from provider_desk.areas.staff.services import StaffInput, add_staff
from provider_desk.areas.supervision.queries import supervision_records
from provider_desk.areas.supervision.services import SupervisionInput, record_supervision
from provider_desk.auth.permissions import (
    PROGRAM_WRITES,
    WRITE_SERVICES,
    WriteService,
    registered,
)
from provider_desk.auth.roles import ROLE_PERMISSIONS, Actor, Permission, Role
from provider_desk.db.session import Database
from provider_desk.errors import PermissionDenied
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, role_id, settings_version


def _import_everything() -> list[Any]:
    """Every module of the core (so every service has registered itself)."""
    modules = []
    for info in pkgutil.walk_packages(provider_desk.__path__, "provider_desk."):
        if info.name.endswith("__main__"):
            continue
        modules.append(importlib.import_module(info.name))
    return modules


MODULES = _import_everything()
SERVICES = sorted(WRITE_SERVICES.values(), key=lambda s: s.name)


def _log_size(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)


@pytest.fixture(scope="module")
def as_role(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Role, Database]]:
    """One database, opened once for a user of each role."""
    from provider_desk.areas.opening import open_database

    path = tmp_path_factory.mktemp("roles") / "roles.sqlite3"
    db, _ = open_database(str(path), user="setup", create=True)
    db.dispose()
    opened = {r: Database(f"sqlite:///{path}", actor=Actor(7, f"a.{r.value}", r)) for r in Role}
    yield opened
    for each in opened.values():
        each.dispose()


class _SessionStandIn:
    """What an ``_in`` service reads the actor from: ``session.info``."""

    def __init__(self, actor: Actor) -> None:
        self.info = {"actor": actor, "user": actor.name}


def _first_parameter(service: WriteService) -> str:
    first = next(iter(inspect.signature(service.function).parameters.values()))
    return str(first.annotation)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name.rsplit(".", 2)[-2:][-1])
def test_every_role_against_every_service(
    service: WriteService,
    role: Role,
    as_role: dict[Role, Database],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Allowed: the service body runs with the caller's arguments. Refused: PermissionDenied in
    plain words before the body runs, and nothing is written."""
    db = as_role[role]
    actor = db.actor
    target: Any = db if "Database" in _first_parameter(service) else _SessionStandIn(actor)
    reached: list[tuple[Any, ...]] = []

    def body(*args: Any, **kwargs: Any) -> str:
        reached.append(args)
        return "ran"

    monkeypatch.setattr(service.function, "__wrapped__", body)
    before = _log_size(db)
    allowed = service.permission in ROLE_PERMISSIONS[role]
    if allowed:
        assert service.function(target, "arg") == "ran"
        assert reached == [(target, "arg")]
    else:
        with pytest.raises(PermissionDenied) as info:
            service.function(target, "arg")
        assert reached == []
        assert str(info.value) == (
            f"Your role ({role.label}) cannot {service.doing}. Ask the registered manager."
        )
    assert _log_size(db) == before


def test_every_public_writer_says_what_it_needs() -> None:
    """A public function that opens a write session is registered (or named as the program's)."""
    missing = []
    for module in MODULES:
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue
            source = inspect.getsource(fn)
            if "db.session(" not in source:
                continue
            qualified = f"{module.__name__}.{name}"
            if registered(fn) is None and qualified not in PROGRAM_WRITES:
                missing.append(qualified)
    assert missing == []


def test_the_areas_need_what_the_roles_promise() -> None:
    """Spot checks of the table in the issue: workforce, records and settings."""
    need = {s.name.rsplit(".", 1)[1]: s.permission for s in SERVICES}
    assert need["record_supervision"] is Permission.EDIT_WORKFORCE
    assert need["record_check"] is Permission.EDIT_WORKFORCE
    assert need["record_session"] is Permission.EDIT_WORKFORCE
    assert need["save_care_plan"] is Permission.EDIT_RECORDS
    assert need["save_complaint"] is Permission.EDIT_RECORDS
    assert need["sign_off_audit"] is Permission.EDIT_RECORDS
    assert need["complete_action"] is Permission.EDIT_RECORDS
    assert need["update_settings"] is Permission.MANAGE_SETTINGS
    assert need["save_course"] is Permission.MANAGE_SETTINGS
    assert need["save_template"] is Permission.MANAGE_SETTINGS
    assert need["save_letter_template"] is Permission.MANAGE_SETTINGS
    assert len(SERVICES) >= 60


def _as(db: Database, role: Role) -> Database:
    return Database(db.url, actor=Actor(3, f"a.{role.value}", role))


def test_a_field_supervisor_cannot_change_a_care_plan_and_nothing_is_written(
    db: Database,
) -> None:
    person = add_person(
        db,
        None,
        PersonInput("Mary", "Brown", start_date=dt.date(2026, 1, 5)),
        expected_version=None,
        today=TODAY,
    ).ids[0]
    supervisor = _as(db, Role.FIELD_SUPERVISOR)
    before = _log_size(db)
    plan = CarePlanInput(dt.date(2026, 1, 5), {"personal care": {"needs": "Help to wash"}})
    with pytest.raises(PermissionDenied) as info:
        save_care_plan(supervisor, person, plan, today=TODAY)
    assert str(info.value) == (
        "Your role (Field supervisor) cannot change care plans. Ask the registered manager."
    )
    with pytest.raises(PermissionDenied, match="Read-only"):
        add_staff(
            _as(db, Role.READ_ONLY),
            StaffInput("Amy", "Smith", role_id(db), dt.date(2024, 1, 8)),
            today=TODAY,
        )
    with pytest.raises(PermissionDenied, match="Office coordinator"):
        update_settings(
            _as(db, Role.COORDINATOR),
            SettingsInput("Someone else's name"),
            expected_version=settings_version(db),
        )
    assert _log_size(db) == before
    supervisor.dispose()


def test_a_field_supervisor_records_supervision_with_its_agreed_actions(db: Database) -> None:
    """The actions a session agrees are part of recording it, not a separate edit of the plan."""
    from provider_desk.areas.actions.services import AgreedAction

    boss, amy = new_staff(db, "Jo", "Boss"), new_staff(db)
    supervisor = _as(db, Role.FIELD_SUPERVISOR)
    record_supervision(
        supervisor,
        SupervisionInput(
            staff_id=amy,
            supervisor_id=boss,
            kind="supervision",
            held_on=dt.date(2026, 11, 2),
            sections=(("Wellbeing and workload", "Fine"),),
            actions=(AgreedAction("Book refresher", amy, dt.date(2026, 12, 1)),),
        ),
        today=TODAY,
    )
    assert len(supervision_records(db)) == 1
    supervisor.dispose()
