"""Safe recruitment as the dashboard and the evidence pack read it: staff files with Schedule 3
checks missing or not yet verified, and checks completed in a period."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.models import RecruitmentCheck, StaffMember
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.areas.staff.rules import CheckStatus
from provider_desk.db.session import core_rows
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import check_title, evidence_link
from provider_desk.rules.due import Level

KEY = "staff"
EVIDENCE_KIND = "recruitment_checks"


class StaffReader:
    """Staff in post whose recruitment checks are missing or still to verify."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        people = [r for r in list_staff_in(s) if r.needs_attention]
        if not people:
            return []
        open_checks: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for staff_id, kind, status in core_rows(
            s,
            select(RecruitmentCheck.staff_id, RecruitmentCheck.kind, RecruitmentCheck.status).where(
                RecruitmentCheck.status.in_([CheckStatus.OUTSTANDING, CheckStatus.RECEIVED])
            ),
        ):
            open_checks[staff_id].append((status, check_title(kind)))
        statements = evidence_link(EVIDENCE_KIND).statements
        items = []
        for r in people:
            missing = [t for st, t in open_checks[r.id] if st == CheckStatus.OUTSTANDING]
            unverified = [t for st, t in open_checks[r.id] if st == CheckStatus.RECEIVED]
            parts = []
            if missing:
                parts.append(f"missing: {', '.join(missing)}")
            if unverified:
                parts.append(f"received but not verified: {', '.join(unverified)}")
            level = r.checks_level
            items.append(
                Attention(
                    area=KEY,
                    reference=f"{r.full_name}: recruitment checks",
                    level=level,
                    # a check is due before someone starts work (Regulation 19, Schedule 3)
                    due_on=r.start_date if level is Level.MISSING else None,
                    responsible=r.line_manager,
                    sentence="Recruitment checks " + "; ".join(parts) + ".",
                    record_id=r.id,
                    statements=statements,
                )
            )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        checked: list[tuple[dt.date, str]] = [
            (day, f"{first} {last}")
            for day, first, last in core_rows(
                s,
                select(RecruitmentCheck.checked_on, StaffMember.first_name, StaffMember.last_name)
                .join(StaffMember, StaffMember.id == RecruitmentCheck.staff_id)
                .where(
                    RecruitmentCheck.status == CheckStatus.VERIFIED,
                    RecruitmentCheck.checked_on.between(period.start, period.end),
                ),
            )
            if day is not None
        ]
        return gather(
            KEY,
            EVIDENCE_KIND,
            [("Recruitment checks verified", evidence_link(EVIDENCE_KIND), checked)],
            period,
        )
