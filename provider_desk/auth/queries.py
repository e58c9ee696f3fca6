"""User accounts as frozen rows, for the Users list and the sign-in screens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from provider_desk.auth.models import UserAccount
from provider_desk.auth.roles import Role
from provider_desk.db.session import Database
from provider_desk.settings.models import DEFAULT_LOCK_AFTER_MINUTES, OrganisationSettings


@dataclass(frozen=True)
class UserRow:
    """One user as the Users list shows them (never the password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    last_sign_in_at: dt.datetime | None
    locked_until: dt.datetime | None
    version: int

    def locked_at(self, now: dt.datetime) -> bool:
        """True if too many wrong passwords have locked the account at ``now``."""
        return self.locked_until is not None and now < self.locked_until


def list_users(db: Database) -> list[UserRow]:
    """Every user, active first, then by name."""
    with db.reading() as s:
        users = s.scalars(
            select(UserAccount).order_by(UserAccount.active.desc(), UserAccount.full_name)
        )
        return [
            UserRow(
                id=u.id,
                username=u.username,
                full_name=u.full_name,
                role=Role(u.role),
                active=u.active,
                last_sign_in_at=u.last_sign_in_at,
                locked_until=u.locked_until,
                version=u.version,
            )
            for u in users
        ]


def lock_after_minutes(db: Database) -> int:
    """Minutes without use after which the app locks (the organisation setting)."""
    with db.reading() as s:
        value = s.scalar(select(OrganisationSettings.lock_after_minutes).limit(1))
    return int(value) if value else DEFAULT_LOCK_AFTER_MINUTES


@dataclass(frozen=True)
class LockSetting:
    """The lock setting as the Users window shows it."""

    minutes: int
    version: int  # of the organisation settings row (0: none saved yet), for saving it back


def lock_setting(db: Database) -> LockSetting:
    """Minutes without use after which the app locks, with the settings row's version."""
    with db.reading() as s:
        row = s.execute(
            select(OrganisationSettings.lock_after_minutes, OrganisationSettings.version).limit(1)
        ).first()
    if row is None:
        return LockSetting(DEFAULT_LOCK_AFTER_MINUTES, 0)
    return LockSetting(int(row[0]) if row[0] else DEFAULT_LOCK_AFTER_MINUTES, int(row[1]))
