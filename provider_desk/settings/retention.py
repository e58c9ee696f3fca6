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
from provider_desk.db.versions import RELOAD_ADVICE, check_version, conflict
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
    version: int | None = None  # of the saved row (None: none saved, the default applies)

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
    """Every record type with its period, default, source and the saved row's version, in the
    settings' order."""
    saved = {row.record_type: row for row in s.scalars(select(RetentionSetting))}
    rows = []
    for t in r.TYPES:
        row = saved.get(t.key)
        rows.append(
            RetentionRow(
                t.key,
                t.label,
                t.event,
                int(row.months) if row is not None else t.default_months,
                t.default_months,
                t.source,
                t.covers,
                int(row.version) if row is not None else None,
            )
        )
    return rows


def retention_settings(db: Database) -> list[RetentionRow]:
    """As :func:`retention_settings_in`, in its own read."""
    with db.reading() as s:
        return retention_settings_in(s)


@requires(Permission.MANAGE_SETTINGS, "change how long records are kept")
def update_retention(
    db: Database, months: Mapping[str, int], *, expected_versions: Mapping[str, int | None]
) -> Changes:
    """Save retention periods (months per record type key); types not given are unchanged.

    ``expected_versions``: record type key -> the ``version`` of its row as the form showed it
    (:attr:`RetentionRow.version`; None: no row was saved then). Every type in ``months`` needs
    one, even one whose period is unchanged: a form sends every period it shows, so an old form
    would otherwise put back a period someone else has changed since.

    Raises:
        PermissionDenied: the user is not the registered manager.
        ValidationError: an unknown type, or a period under a year or over 100 years.
        ConflictError: someone changed one of these periods since the form was opened.
        TypeError: a period was given without the version it was shown at (a caller's bug).
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
    unseen = sorted(set(months) - set(expected_versions))
    if unseen:
        raise TypeError(
            f"changing retention periods needs the version each was shown at: {', '.join(unseen)}"
        )
    with db.session() as s:
        rows = {row.record_type: row for row in s.scalars(select(RetentionSetting))}
        for key in months:  # every check before any change
            row, expected = rows.get(key), expected_versions[key]
            if row is None:
                if expected is not None:
                    raise ValidationError.single(
                        key,
                        f"The saved retention period for {r.BY_KEY[key].label} is missing. "
                        + RELOAD_ADVICE,
                    )
            elif expected is None:
                raise conflict(row)  # saved by someone else after the form was opened
            else:
                check_version(row, expected)
        for key, value in months.items():
            row = rows.get(key)
            if row is None:
                s.add(RetentionSetting(record_type=key, months=value))
            elif row.months != value:
                row.months = value
    return Changes.of(SETTINGS)
