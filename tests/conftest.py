"""Shared fixtures: a real migrated SQLite in tmp_path, a fixed 'today', and Qt offscreen."""

from __future__ import annotations

import os

# Without a display pytest-qt aborts the whole run; set this before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.queries import job_role_choices
from provider_desk.areas.staff.services import StaffInput, add_staff
from provider_desk.db.session import Database

TODAY = dt.date(2026, 11, 23)

_TRAVELLER = pytest.StashKey[Any]()
MOVED_CLOCK = "PROVIDER_DESK_TEST_CLOCK"
"""Run the suite with the machine's clock moved (CI does, twice): ``+1y`` (a year from today) or a
date such as ``2028-02-29``. Nothing should change: tests fix their dates, and only
``provider_desk.clock`` reads the calendar."""


def moved_clock_destination(value: str, now: dt.datetime) -> dt.datetime:
    """Where ``PROVIDER_DESK_TEST_CLOCK`` moves the clock, as a local time of day on that date."""
    from provider_desk.rules.dates import add_months

    if value.startswith("+") and value.endswith("y") and value[1:-1].isdigit():
        day = add_months(now.date(), 12 * int(value[1:-1]))
    else:
        day = dt.date.fromisoformat(value)
    return dt.datetime.combine(day, now.timetz())


def pytest_configure(config: pytest.Config) -> None:
    value = os.environ.get(MOVED_CLOCK, "").strip()
    if not value:
        return
    import time_machine

    from provider_desk import clock

    traveller = time_machine.travel(moved_clock_destination(value, clock.local_now()), tick=True)
    traveller.start()
    config.stash[_TRAVELLER] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.stash.get(_TRAVELLER, None) is None:
        return None
    from provider_desk import clock

    return f"clock moved ({MOVED_CLOCK}={os.environ[MOVED_CLOCK]}): today is {clock.today()}"


@pytest.fixture(autouse=True)
def _private_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never touch the real data folder, database or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("PROVIDER_DESK_DATABASE_URL", raising=False)


@pytest.fixture(autouse=True)
def _quick_password_hashing(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Argon2 at the real settings takes ~0.2 s a hash here: tests use the same algorithm with
    tiny costs, except those marked ``real_argon2``."""
    from argon2 import PasswordHasher

    if request.node.get_closest_marker("real_argon2"):
        return
    from provider_desk.auth import passwords

    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", lambda: quick)
    monkeypatch.setattr(passwords, "_dummy_hash", lambda: quick.hash("no such user"))


@pytest.fixture
def today() -> dt.date:
    """The day the tests pretend it is."""
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives."""
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A freshly created and migrated SQLite database with reference data."""
    database, _ = open_database(str(db_path), user="test.manager", create=True)
    yield database
    database.dispose()


def role_id(db: Database, name: str = "Care worker") -> int:
    """The id of a seeded job role."""
    return next(c.id for c in job_role_choices(db) if c.label == name)


def new_staff(db: Database, first: str = "Amy", last: str = "Smith", **kw: object) -> int:
    """Add a staff member with sensible defaults and return their id."""
    data = StaffInput(
        first_name=first,
        last_name=last,
        job_role_id=kw.pop("job_role_id", None) or role_id(db),  # type: ignore[arg-type]
        start_date=kw.pop("start_date", dt.date(2024, 1, 8)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return add_staff(db, data, today=TODAY, allow_duplicate=True).ids[0]


def version_of(db: Database, model: type[Any] | str, row_id: int) -> int:
    """The version a record has now: what a form opened now would send back with a save.

    ``model`` is the class or its name (``"StaffMember"``); a care record's kind ("risk", "goal",
    "review") names its class too.
    """
    import provider_desk.areas.models as models

    kinds = {"risk": "RiskAssessment", "goal": "Goal", "review": "CareReview"}
    cls = getattr(models, kinds.get(model, model)) if isinstance(model, str) else model
    with db.reading() as s:
        row = s.get(cls, row_id)
        assert row is not None, f"no {cls.__name__} {row_id}"
        return int(row.version)


def check_version_of(db: Database, staff_id: int, kind: str) -> int | None:
    """A recruitment check's version now (None if the person has no such check row)."""
    from provider_desk.areas.staff.queries import staff_checks

    return next(c.version for c in staff_checks(db, staff_id) if c.kind == kind)


def standard_versions(db: Database, staff_id: int) -> dict[int, int | None]:
    """Care Certificate standard -> its version now (None: not recorded)."""
    from provider_desk.areas.training.queries import care_certificate

    return {r.number: r.version for r in care_certificate(db, staff_id)}


def letter_version(db: Database, kind: str) -> int:
    """A letter template's version now."""
    from provider_desk.areas.complaints.queries import letter_template_versions_in

    with db.reading() as s:
        return letter_template_versions_in(s)[kind]


def kind_version(db: Database, kind: str) -> int:
    """A kind of supervision's version now."""
    from provider_desk.areas.supervision.queries import list_kinds

    return next(k.version for k in list_kinds(db) if k.kind == kind)


def settings_version(db: Database) -> int:
    """The organisation settings' version now (what the settings form would send back)."""
    from provider_desk.settings.queries import get_settings

    return get_settings(db).version
