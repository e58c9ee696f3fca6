"""The organisation settings as a frozen row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.db.session import Database
from provider_desk.settings.models import (
    DEFAULT_DUE_SOON_DAYS,
    DEFAULT_SUPERVISION_DUE_SOON_DAYS,
    OrganisationSettings,
)


@dataclass(frozen=True)
class SettingsRow:
    """The provider's details and chosen defaults."""

    provider_name: str = ""
    cqc_provider_id: str = ""
    cqc_location_id: str = ""
    registered_manager: str = ""
    address: str = ""
    asc_wds_workplace_id: str = ""
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    supervision_due_soon_days: int = DEFAULT_SUPERVISION_DUE_SOON_DAYS
    complaint_ack_working_days: int = 3
    complaint_response_working_days: int = 20
    audit_due_soon_days: int = 14
    care_plan_review_months: int = 12
    risk_review_months: int = 12
    care_review_due_soon_days: int = 28
    audit_programme_start: dt.date | None = None  # None: not set (see audits' programme)
    version: int = 0  # what a save passes as expected_version (0: no settings saved yet)


def get_settings_in(s: Session) -> SettingsRow:
    """As :func:`get_settings`, reading inside the session ``s``."""
    row = s.scalar(select(OrganisationSettings).limit(1))
    if row is None:
        return SettingsRow()
    return SettingsRow(
        provider_name=row.provider_name,
        cqc_provider_id=row.cqc_provider_id,
        cqc_location_id=row.cqc_location_id,
        registered_manager=row.registered_manager,
        address=row.address,
        asc_wds_workplace_id=row.asc_wds_workplace_id,
        due_soon_days=row.due_soon_days,
        supervision_due_soon_days=row.supervision_due_soon_days,
        complaint_ack_working_days=row.complaint_ack_working_days,
        complaint_response_working_days=row.complaint_response_working_days,
        audit_due_soon_days=row.audit_due_soon_days,
        care_plan_review_months=row.care_plan_review_months,
        risk_review_months=row.risk_review_months,
        care_review_due_soon_days=row.care_review_due_soon_days,
        audit_programme_start=row.audit_programme_start,
        version=row.version,
    )


def get_settings(db: Database) -> SettingsRow:
    """The settings, or defaults if none are saved yet."""
    with db.reading() as s:
        return get_settings_in(s)
