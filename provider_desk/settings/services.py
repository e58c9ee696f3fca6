"""Organisation settings: the provider's details and the due-soon window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import SETTINGS, Changes
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version
from provider_desk.errors import Problem, ValidationError
from provider_desk.rules import validators as v
from provider_desk.settings.models import MAX_REVIEW_MONTHS as MAX_REVIEW_MONTHS
from provider_desk.settings.models import OrganisationSettings


@dataclass(frozen=True)
class SettingsInput:
    """Everything on the Organisation settings form."""

    provider_name: str
    cqc_provider_id: str = ""
    cqc_location_id: str = ""
    registered_manager: str = ""
    address: str = ""
    asc_wds_workplace_id: str = ""
    due_soon_days: int = 90
    supervision_due_soon_days: int = 14
    audit_due_soon_days: int = 14
    care_plan_review_months: int = 12
    risk_review_months: int = 12
    care_review_due_soon_days: int = 28
    complaint_ack_working_days: int = 3
    complaint_response_working_days: int = 20


@requires(Permission.MANAGE_SETTINGS, "change the organisation settings")
def update_settings(db: Database, data: SettingsInput, *, expected_version: int) -> Changes:
    """Save the organisation settings; ``expected_version`` is the ``version`` of the settings
    row the form was opened from (0 if there were none yet)."""
    problems = []
    if not data.provider_name.strip():
        problems.append(
            Problem("provider_name", "Provider name is required (it heads every report).")
        )
    if not 1 <= data.complaint_ack_working_days <= 20:
        problems.append(
            Problem("complaint_ack_working_days", "Acknowledge within 1 to 20 working days.")
        )
    if not data.complaint_ack_working_days <= data.complaint_response_working_days <= 130:
        problems.append(
            Problem(
                "complaint_response_working_days",
                "The response deadline is after the acknowledgement and at most "
                "130 working days (six months).",
            )
        )
    if not 1 <= data.supervision_due_soon_days <= 90:
        problems.append(
            Problem("supervision_due_soon_days", "The supervision window must be 1 to 90 days.")
        )
    if not 1 <= data.audit_due_soon_days <= 90:
        problems.append(Problem("audit_due_soon_days", "The audit window must be 1 to 90 days."))
    if not 1 <= data.care_plan_review_months <= MAX_REVIEW_MONTHS:
        problems.append(
            Problem(
                "care_plan_review_months",
                f"Review care plans every 1 to {MAX_REVIEW_MONTHS} months: NICE QS123 says at "
                "least once a year after the first review.",
            )
        )
    if not 1 <= data.risk_review_months <= 24:
        problems.append(
            Problem("risk_review_months", "Review risk assessments every 1 to 24 months.")
        )
    if not 1 <= data.care_review_due_soon_days <= 90:
        problems.append(
            Problem("care_review_due_soon_days", "The review window must be 1 to 90 days.")
        )
    if not 1 <= data.due_soon_days <= 365:
        problems.append(Problem("due_soon_days", "The due-soon window must be 1 to 365 days."))
    if v.utf16_length(data.asc_wds_workplace_id.strip()) > 50:  # as ASC-WDS counts (LOCALESTID)
        problems.append(
            Problem(
                "asc_wds_workplace_id",
                "The ASC-WDS workplace reference (LOCALESTID) is at most 50 characters.",
            )
        )
    if problems:
        raise ValidationError(problems)
    with db.session() as s:
        row = settings_row_to_change(s, expected_version)
        row.provider_name = data.provider_name.strip()
        row.cqc_provider_id = data.cqc_provider_id.strip()
        row.cqc_location_id = data.cqc_location_id.strip()
        row.registered_manager = data.registered_manager.strip()
        row.address = data.address.strip()
        row.asc_wds_workplace_id = data.asc_wds_workplace_id.strip()
        row.due_soon_days = data.due_soon_days
        row.supervision_due_soon_days = data.supervision_due_soon_days
        row.audit_due_soon_days = data.audit_due_soon_days
        row.care_plan_review_months = data.care_plan_review_months
        row.risk_review_months = data.risk_review_months
        row.care_review_due_soon_days = data.care_review_due_soon_days
        row.complaint_ack_working_days = data.complaint_ack_working_days
        row.complaint_response_working_days = data.complaint_response_working_days
        return Changes.of(SETTINGS)


@requires(Permission.MANAGE_SETTINGS, "change when the audit programme starts")
def set_audit_programme_start(
    db: Database, start: dt.date | None, *, expected_version: int
) -> Changes:
    """When the audit programme starts (None: not started). Until then, and until an audit is
    finished, no audit is due; from then, an audit never done is due on that day."""
    with db.session() as s:
        row = settings_row_to_change(s, expected_version)
        row.audit_programme_start = start
        return Changes.of(SETTINGS)


def settings_row_to_change(s: Session, expected_version: int) -> OrganisationSettings:
    """The settings row to change, refusing a stale form (version 0: there was no row yet)."""
    row = s.scalar(select(OrganisationSettings).limit(1))
    if row is None:
        if expected_version != 0:
            raise ValidationError.single(
                "id",
                "The organisation settings are missing: close Provider Desk and open it again.",
            )
        row = OrganisationSettings()
        s.add(row)
        return row
    check_version(row, expected_version)
    return row
