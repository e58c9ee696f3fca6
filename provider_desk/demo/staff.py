"""Demo staff: the registered manager, people in post, years of leavers, recruitment checks."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.staff.rules import CheckStatus, StaffStatus
from provider_desk.areas.staff.services import (
    CheckInput,
    StaffInput,
    add_staff_in,
    record_checks_in,
)
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.demo.names import FIRST, LAST, MANAGER, TEAMS
from provider_desk.resources import check_kinds

ROLE_WEIGHTS = (
    ("Care worker", 70),
    ("Senior care worker", 12),
    ("Care co-ordinator", 4),
    ("Supervisor", 5),
    ("Administrative", 3),
    ("Team leader", 3),
    ("Deputy manager", 1),
)
SUPERVISING = ("Supervisor", "Team leader", "Deputy manager")


@dataclass(frozen=True)
class Worker:
    """A demo staff member as the other areas need them."""

    id: int
    first_name: str
    last_name: str
    job_role_id: int
    start_date: dt.date
    leaving_date: dt.date | None

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def in_post(self) -> bool:
        """Not a leaver."""
        return self.leaving_date is None


@dataclass(frozen=True)
class Workforce:
    """Everyone the demo put on the register, the manager first."""

    manager: Worker
    staff: tuple[Worker, ...]
    supervisors: tuple[Worker, ...]

    @property
    def in_post(self) -> list[Worker]:
        """Staff still working here, in the order they were planned."""
        return [m for m in self.staff if m.in_post]


@dataclass(frozen=True)
class _Plan:
    first_name: str
    last_name: str
    role: str
    start: dt.date
    leaving: dt.date | None
    team: str
    contract: str
    status: str
    preferred: str

    @property
    def supervises(self) -> bool:
        return self.role in SUPERVISING and self.leaving is None


def keep_loaded(s: Session) -> list[StaffMember]:
    """Load the whole register into the session and hold it there: the services look staff up
    by id to validate each record, which is then a lookup in memory, not a query."""
    return list(s.scalars(select(StaffMember)))


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(
    db: Database, rng: random.Random, day: dt.date, *, current: int, years: int
) -> Workforce:
    """Put ``current`` people in post (with ``years`` of history) and about 30% a year of leavers
    on the register, with their recruitment checks, in one transaction."""
    manager = _plan(rng, day - dt.timedelta(days=365 * years + 200), "Registered manager", None)
    plans = [replace(manager, first_name=MANAGER[0], last_name=MANAGER[1])]
    leavers = int(current * 0.3 * years)  # homecare turnover runs at roughly 30% a year
    role_names = [n for n, _ in ROLE_WEIGHTS]
    role_weights = [w for _, w in ROLE_WEIGHTS]
    for i in range(current - 1 + leavers):
        start = day - dt.timedelta(days=rng.randint(5, 365 * years + 180))
        leaving = None
        if i >= current - 1:
            latest = min(day - dt.timedelta(days=1), start + dt.timedelta(days=365 * 3))
            if latest <= start:
                continue
            leaving = start + dt.timedelta(days=rng.randint(1, (latest - start).days))
        plans.append(_plan(rng, start, rng.choices(role_names, role_weights)[0], leaving))
    # The manager and supervisors go on first, so everyone else can have a line manager.
    order = sorted(range(len(plans)), key=lambda n: (n > 0, not plans[n].supervises))
    made: dict[int, Worker] = {}
    supervisors: list[Worker] = []
    with db.session() as s:
        job_roles = list(s.scalars(select(JobRole)))
        roles = {r.name: r.id for r in job_roles}
        members = []  # held in the session: validation looks up line managers by id
        for n in order:
            plan = plans[n]
            boss = None
            if n > 0:
                boss = made[0].id if plan.supervises else rng.choice(supervisors or [made[0]]).id
            member = add_staff_in(
                s,
                StaffInput(
                    first_name=plan.first_name,
                    last_name=plan.last_name,
                    job_role_id=roles[plan.role],
                    start_date=plan.start,
                    preferred_name=plan.preferred,
                    team=plan.team,
                    contract_type=plan.contract,
                    leaving_date=plan.leaving,
                    status=plan.status,
                    line_manager_id=boss,
                    asc_wds_worker_id=f"MB{n + 1:05d}",
                ),
                today=day,
                allow_duplicate=True,  # two people may share a name and a start date
            )
            members.append(member)
            worker = Worker(
                member.id,
                plan.first_name,
                plan.last_name,
                roles[plan.role],
                plan.start,
                plan.leaving,
            )
            made[n] = worker
            if n > 0 and plan.supervises:
                supervisors.append(worker)
            checks = _checks(rng, day, plan.start)
            if checks:
                seen = {
                    c.kind: c.version
                    for c in s.scalars(
                        select(RecruitmentCheck).where(RecruitmentCheck.staff_id == member.id)
                    )
                }
                record_checks_in(s, member.id, checks, today=day, expected_versions=seen)
    staff = tuple(made[n] for n in range(len(plans)))
    return Workforce(made[0], staff, tuple(supervisors) or (made[0],))


def _plan(rng: random.Random, start: dt.date, role: str, leaving: dt.date | None) -> _Plan:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    team = rng.choice(TEAMS) if role not in ("Administrative", "Deputy manager") else ""
    contract = rng.choices(["permanent", "bank", "temporary", "agency"], [80, 14, 4, 2])[0]
    status = StaffStatus.LEFT.value
    if not leaving:
        status = rng.choices([StaffStatus.ACTIVE.value, StaffStatus.ON_LEAVE.value], [95, 5])[0]
    preferred = rng.choice(["", "", "", "", first[:3]]) if len(first) > 4 else ""
    if role == "Registered manager":
        team, status = "", StaffStatus.ACTIVE.value
    return _Plan(first, last, role, start, leaving, team, contract, status, preferred)


def _checks(rng: random.Random, day: dt.date, start: dt.date) -> dict[str, CheckInput]:
    """Recruitment checks: nearly all verified before the start; recent starters still waiting
    for some; a few received but not yet verified."""
    recent = (day - start).days < 60
    checks: dict[str, CheckInput] = {}
    for kind in check_kinds():
        status = CheckStatus.VERIFIED.value
        roll = rng.random()
        if recent and roll < 0.35:
            status = rng.choice([CheckStatus.OUTSTANDING.value, CheckStatus.RECEIVED.value])
        elif roll < 0.02:
            status = CheckStatus.RECEIVED.value
        elif kind.kind in ("reason_left", "qualifications") and roll < 0.12:
            status = CheckStatus.NOT_APPLICABLE.value
        if status == CheckStatus.OUTSTANDING.value:
            continue  # every check starts outstanding
        checked = min(day, start - dt.timedelta(days=rng.randint(0, 30)))
        if kind.kind == "dbs":
            checks[kind.kind] = CheckInput(
                status,
                checked,
                reference=f"{rng.randint(0, 999_999_999_999):012d}",
                issued_on=checked - dt.timedelta(days=rng.randint(0, 20)),
                barred_list_checked=status == CheckStatus.VERIFIED.value,
                update_service=rng.random() < 0.4,
                evidence_note="Original certificate seen; copy on file.",
            )
        elif kind.kind == "identity":
            note = rng.choice(["Passport seen", "Photo driving licence seen"])
            checks[kind.kind] = CheckInput(status, checked, evidence_note=note)
        elif kind.kind == "right_to_work":
            note = rng.choice(
                ["British passport", "Online check with share code", "BRP + share code"]
            )
            checks[kind.kind] = CheckInput(status, checked, evidence_note=note)
        else:
            checks[kind.kind] = CheckInput(status, checked)
    return checks
