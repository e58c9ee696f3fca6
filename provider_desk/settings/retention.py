"""Retention periods per record type: read them, and let the registered manager change them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import SETTINGS, Changes
from provider_desk.db.session import Database
from provider_desk.errors import PermissionDenied, Problem, ValidationError
from provider_desk.rules import retention as r
from provider_desk.settings.models import RetentionSetting


@dataclass(frozen=True)
class RetentionRow:
    """One record type's retention, as the Data protection settings show it."""

    key: str
    label: str
    event: str
    months: int
    default_months: int
    source: str
    covers: str

    @property
    def period(self) -> str:
        """'8 years after end of care'."""
        return f"{r.months_text(self.months)} after {self.event}"


def require(db: Database, permission: Permission, doing: str) -> None:
    """Refuse unless the acting user's role allows ``permission``.

    Raises:
        PermissionDenied: saying who may do it instead.
    """
    if not db.actor.can(permission):
        raise PermissionDenied(
            f"{db.actor.name} ({db.actor.role.label}) may not {doing}.",
            "Only the registered manager can do this: ask them to sign in and do it.",
        )


def retention_months_in(s: Session) -> dict[str, int]:
    """Months kept per record type key; a type without a saved row has its default."""
    saved = dict(s.execute(select(RetentionSetting.record_type, RetentionSetting.months)).all())
    return {t.key: int(saved.get(t.key, t.default_months)) for t in r.TYPES}


def retention_settings_in(s: Session) -> list[RetentionRow]:
    """Every record type with its period, default and source, in the settings' order."""
    months = retention_months_in(s)
    return [
        RetentionRow(t.key, t.label, t.event, months[t.key], t.default_months, t.source, t.covers)
        for t in r.TYPES
    ]


def retention_settings(db: Database) -> list[RetentionRow]:
    """As :func:`retention_settings_in`, in its own read."""
    with db.reading() as s:
        return retention_settings_in(s)


@requires(Permission.MANAGE_SETTINGS, "change how long records are kept")
def update_retention(db: Database, months: Mapping[str, int]) -> Changes:
    """Save retention periods (months per record type key); types not given are unchanged.

    Raises:
        PermissionDenied: the user is not the registered manager.
        ValidationError: an unknown type, or a period under a year or over 100 years.
    """
    require(db, Permission.MANAGE_SETTINGS, "change how long records are kept")
    problems = []
    for key, value in months.items():
        kind = r.BY_KEY.get(key)
        if kind is None:
            problems.append(Problem(key, f"'{key}' is not a kind of record with a retention."))
        elif not r.MIN_MONTHS <= value <= r.MAX_MONTHS:
            problems.append(
                Problem(
                    key,
                    f"{kind.label}: keep them between 1 and 100 years "
                    f"(the default is {r.months_text(kind.default_months)}).",
                )
            )
    if problems:
        raise ValidationError(problems)
    with db.session() as s:
        rows = {row.record_type: row for row in s.scalars(select(RetentionSetting))}
        for key, value in months.items():
            row = rows.get(key)
            if row is None:
                s.add(RetentionSetting(record_type=key, months=value))
            elif row.months != value:
                row.months = value
    return Changes.of(SETTINGS)
