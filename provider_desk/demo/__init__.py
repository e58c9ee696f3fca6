"""A realistic, fictional homecare provider for demos, screenshots, tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import json
import random

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.models import (
    Action,
    CareCertificateStandard,
    Compliment,
    Course,
    JobRole,
    OrganisationSettings,
    RecruitmentCheck,
    RoleRequirement,
    StaffMember,
    SupervisionKind,
    SupervisionRecord,
    SupervisionRoleInterval,
    TrainingRecord,
)
from provider_desk.models.base import utcnow
from provider_desk.resources import check_kinds
from provider_desk.rules.dates import add_months, format_date
from provider_desk.rules.statuses import CheckStatus

FIRST = (  # noqa: SIM905 (a word list reads better as text)
    "Amy Olivia Grace Sophie Chloe Emily Jessica Lauren Hannah Megan Charlotte Rebecca Aisha "
    "Fatima Priya Zainab Joanna Agnieszka Magdalena Ewa Chiamaka Ngozi Blessing Precious Abena "
    "Mary Susan Karen Julie Tracey Dawn Michelle Joanne Claire Nicola Sarah Helen Lisa Gemma "
    "Kelly Leanne Zoë Siobhan Niamh Bethan Rhiannon James Daniel Thomas Oliver Mohammed Ali "
    "Tomasz Piotr Kwame Emeka David Paul Mark Andrew Ryan Liam Connor Joseph Samuel Adebayo"
).split()
LAST = (  # noqa: SIM905 (a word list reads better as text)
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Begum Hussain Ahmed "
    "Kowalska Nowak Wiśniewska Okafor Mensah Adeyemi Boateng O'Brien Murphy Kelly McCarthy "
    "Campbell Stewart Hughes Edwards Lewis Harris Martin Cooper King Lee Baker Turner Hill "
    "Moore Ward Morris Bell Mitchell Shaw Lloyd Price Bennett Griffiths Chapman Ellis Marshall "
    "Russell"
).split()
TEAMS = ("North", "South", "Town centre", "Rural", "Nights")
ACTIONS = (
    "Chase two missing references for the newest starters",
    "Update the lone working risk assessment for the rural round",
    "Book refresher medication training for the night team",
    "Review rota so that double-up calls have two trained carers",
    "Re-check DBS update service status for bank staff",
    "Replace expired first aid kits in the office and pool car",
    "Add hydration prompts to care plans flagged in the summer audit",
    "Complete supervision backlog for the South team",
    "Send the annual satisfaction survey to people we support",
    "Agree a new process for logging late calls with the council",
    "Refresh the whistleblowing poster and share the FTSU guardian's details",
    "Audit three staff files against Schedule 3",
)


def generate(db: Database, *, today: dt.date, size: str = "small", seed: int = 1) -> dict[str, int]:
    """Fill an empty database with a fictional provider. ``small``: ~40 staff now;
    ``large``: ~250 staff now and five years of starters and leavers.

    Raises:
        ValidationError: the database already holds staff (demo data never mixes with real data).
    """
    if size not in ("small", "large"):
        raise ValidationError.single("size", "Size must be 'small' or 'large'.")
    rng = random.Random(seed)
    day = today
    current = 40 if size == "small" else 250
    years = 2 if size == "small" else 5
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(StaffMember)):
            raise ValidationError.single(
                "database",
                "This database already has staff in it; demo data goes only into a "
                "new, empty database.",
            )
        settings = s.scalar(select(OrganisationSettings).limit(1)) or OrganisationSettings()
        settings.provider_name = "Meadowbank Home Care Ltd (demo)"
        settings.cqc_provider_id = "1-000000001"
        settings.cqc_location_id = "1-000000002"
        settings.registered_manager = "Joanna Whitfield"
        settings.address = "Unit 4, Canal Wharf, Anytown AN1 2BC"
        settings.asc_wds_workplace_id = "MEADOWBANK01"
        s.add(settings)
        roles = {r.name: r.id for r in s.scalars(select(JobRole))}
        weights = [
            ("Care worker", 70),
            ("Senior care worker", 12),
            ("Care co-ordinator", 4),
            ("Supervisor", 5),
            ("Administrative", 3),
            ("Team leader", 3),
            ("Deputy manager", 1),
        ]
        role_names = [n for n, _ in weights]
        role_weights = [w for _, w in weights]

        def person(start: dt.date, role: str, leaving: dt.date | None) -> StaffMember:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            m = StaffMember(
                first_name=first,
                last_name=last,
                job_role_id=roles[role],
                team=rng.choice(TEAMS) if role not in ("Administrative", "Deputy manager") else "",
                contract_type=rng.choices(
                    ["permanent", "bank", "temporary", "agency"], [80, 14, 4, 2]
                )[0],
                start_date=start,
                leaving_date=leaving,
                status="left" if leaving else rng.choices(["active", "on leave"], [95, 5])[0],
                preferred_name=rng.choice(["", "", "", "", first[:3]]) if len(first) > 4 else "",
            )
            if leaving:
                m.archived_at = utcnow()
            return m

        manager = person(day - dt.timedelta(days=365 * years + 200), "Registered manager", None)
        manager.first_name, manager.last_name, manager.team = "Joanna", "Whitfield", ""
        manager.status = "active"
        s.add(manager)
        s.flush()
        staff: list[StaffMember] = [manager]
        leavers = int(current * 0.3 * years)  # homecare turnover runs at roughly 30% a year
        for i in range(current - 1 + leavers):
            start = day - dt.timedelta(days=rng.randint(5, 365 * years + 180))
            leaving = None
            if i >= current - 1:
                latest = min(day - dt.timedelta(days=1), start + dt.timedelta(days=365 * 3))
                if latest <= start:
                    continue
                leaving = start + dt.timedelta(days=rng.randint(1, (latest - start).days))
            m = person(start, rng.choices(role_names, role_weights)[0], leaving)
            s.add(m)
            staff.append(m)
        s.flush()
        supervisors = [
            m
            for m in staff
            if m.job_role_id in (roles["Supervisor"], roles["Team leader"], roles["Deputy manager"])
            and m.archived_at is None
        ] or [manager]
        for n, m in enumerate(staff):
            m.asc_wds_worker_id = f"MB{m.id:05d}"
            if m is not manager:
                m.line_manager_id = (
                    rng.choice(supervisors).id if m not in supervisors else manager.id
                )
            recent = (day - m.start_date).days < 60
            for kind in check_kinds():
                status = CheckStatus.VERIFIED.value
                roll = rng.random()
                if recent and roll < 0.35:
                    status = rng.choice([CheckStatus.OUTSTANDING.value, CheckStatus.RECEIVED.value])
                elif roll < 0.02:
                    status = CheckStatus.RECEIVED.value
                elif kind.kind in ("reason_left", "qualifications") and roll < 0.12:
                    status = CheckStatus.NOT_APPLICABLE.value
                checked = None
                if status != CheckStatus.OUTSTANDING.value:
                    checked = min(day, m.start_date - dt.timedelta(days=rng.randint(0, 30)))
                check = RecruitmentCheck(
                    staff_id=m.id, kind=kind.kind, status=status, checked_on=checked
                )
                if kind.kind == "dbs" and checked is not None:
                    check.reference = f"{rng.randint(0, 999_999_999_999):012d}"
                    check.issued_on = checked - dt.timedelta(days=rng.randint(0, 20))
                    check.barred_list_checked = status == CheckStatus.VERIFIED.value
                    check.update_service = rng.random() < 0.4
                    check.evidence_note = "Original certificate seen; copy on file."
                elif kind.kind == "identity" and checked is not None:
                    check.evidence_note = rng.choice(
                        ["Passport seen", "Photo driving licence seen"]
                    )
                elif kind.kind == "right_to_work" and checked is not None:
                    check.evidence_note = rng.choice(
                        ["British passport", "Online check with share code", "BRP + share code"]
                    )
                s.add(check)
            if n % 100 == 0:
                s.flush()
        s.flush()
        in_post = [m for m in staff if m.archived_at is None]
        n_actions = 14 if size == "small" else 120
        for i in range(n_actions):
            raised = day - dt.timedelta(days=rng.randint(1, 365 * years))
            due = add_months(raised, rng.choice([1, 1, 2, 3]))
            done = None
            if (due < day and rng.random() < 0.75) or rng.random() < 0.15:
                done = min(
                    day,
                    raised + dt.timedelta(days=rng.randint(1, max(1, (due - raised).days + 10))),
                )
            s.add(
                Action(
                    description=ACTIONS[i % len(ACTIONS)],
                    owner_id=rng.choice(in_post[:30]).id,
                    raised_on=raised,
                    due_on=due,
                    completed_on=done,
                    completion_evidence="Done: see the updated file." if done else "",
                )
            )
        s.flush()
        n_training = _training_history(s, staff, rng, day)
        n_sessions = _supervision_history(s, staff, supervisors, rng, day)
        n_complaints, n_compliments = _complaints(s, staff, supervisors, rng, day, db.user)
        n_audits = _audits(s, in_post, supervisors, manager, rng, day)
        n_people = _people(s, in_post, supervisors, rng, day, 55 if size == "small" else 320, years)
        return {
            "staff": len(in_post),
            "leavers": len(staff) - len(in_post),
            "actions": n_actions,
            "training": n_training,
            "sessions": n_sessions,
            "complaints": n_complaints,
            "compliments": n_compliments,
            "audits": n_audits,
            "people": n_people,
        }


PROVIDERS = (
    ("In-house (Joanna Whitfield)", "face to face", "no"),
    ("Acme Care Training Ltd", "face to face", "yes"),
    ("Skills Academy e-learning", "e-learning", "yes"),
    ("County council workforce team", "blended", "yes"),
)


def _training_history(
    s: Session, staff: list[StaffMember], rng: random.Random, day: dt.date
) -> int:
    """Completions from each person's start to today: refreshers mostly on time, some late,
    some lapsed, a few never done. Inserted in bulk (fictional data needs no change log)."""
    required: dict[int, list[Course]] = {}
    courses = {c.id: c for c in s.scalars(select(Course))}
    for req in s.scalars(select(RoleRequirement)):
        required.setdefault(req.job_role_id, []).append(courses[req.course_id])
    stamp = {
        "created_at": utcnow(),
        "updated_at": utcnow(),
        "created_by": "demo",
        "updated_by": "demo",
        "version": 1,
    }
    records: list[dict[str, object]] = []
    standards: list[dict[str, object]] = []
    for m in staff:
        end = m.leaving_date or day
        for course in required.get(m.job_role_id, []):
            if course.name == "Care Certificate" and (day - m.start_date).days < 200:
                done = rng.randint(0, 16)
                for n in range(1, done + 1):
                    when = m.start_date + dt.timedelta(days=4 * n + rng.randint(0, 3))
                    if when <= day:
                        standards.append(
                            {
                                **stamp,
                                "staff_id": m.id,
                                "standard": n,
                                "completed_on": when,
                                "assessor": "Joanna Whitfield",
                                "notes": "",
                            }
                        )
                continue
            if rng.random() < 0.04:
                continue  # never done: shows as missing
            when = m.start_date + dt.timedelta(days=rng.randint(-20, 40))
            lapsed = rng.random() < 0.08
            while when <= end and when <= day:
                provider, delivery, accredited = rng.choice(PROVIDERS)
                records.append(
                    {
                        **stamp,
                        "staff_id": m.id,
                        "course_id": course.id,
                        "completed_on": when,
                        "expires_on": None,
                        "provider": provider,
                        "delivery": delivery,
                        "accredited": accredited,
                        "notes": "",
                        "attachment_id": None,
                        "archived_at": None,
                    }
                )
                if course.refresher_months is None:
                    break
                nxt = add_months(when, course.refresher_months) - dt.timedelta(
                    days=rng.randint(-25, 45)
                )
                if lapsed and add_months(nxt, course.refresher_months) > day:
                    break  # the last refresher was never booked: expired
                when = nxt
    for i in range(0, len(records), 2000):
        s.execute(insert(TrainingRecord), records[i : i + 2000])
    if standards:
        s.execute(insert(CareCertificateStandard), standards)
    return len(records)


NOTES = {
    "supervision": [
        "Settled and enjoying the rural round.",
        "Some tiredness with double-up calls; rota reviewed.",
        "No safeguarding concerns raised.",
        "Wants to start the Level 3 diploma.",
        "Previous actions completed.",
    ],
    "spot check": [
        "On time, ID badge worn.",
        "Gloves and apron used correctly.",
        "Knocked and asked before entering the bedroom.",
        "Followed the care plan.",
        "MAR chart signed at the time.",
        "Daily notes clear.",
        "Mrs B said she is happy with her carers.",
    ],
}


def _supervision_history(
    s: Session,
    staff: list[StaffMember],
    supervisors: list[StaffMember],
    rng: random.Random,
    day: dt.date,
) -> int:
    """Two years of sessions of every kind for staff in post, a few people running late, some
    spot checks needing improvement with an action on the plan."""
    kinds = {k.kind: k for k in s.scalars(select(SupervisionKind))}
    role_months = {
        (r.kind, r.job_role_id): r.interval_months
        for r in s.scalars(select(SupervisionRoleInterval))
    }
    since = day - dt.timedelta(days=730)
    count = 0
    for m in staff:
        if m.archived_at is not None:
            continue
        bosses = [b for b in supervisors if b.id != m.id] or [staff[0]]
        behind = rng.random() < 0.12  # supervision has slipped for some people
        for kind in kinds.values():
            months = role_months.get((kind.kind, m.job_role_id), kind.interval_months)
            if kind.milestones_months:
                dates = [
                    add_months(m.start_date, int(x)) for x in kind.milestones_months.split(",")
                ]
                # Long-serving staff passed probation long ago; recent starters may be behind.
                settled = (day - m.start_date).days > 365
                dates = [d for d in dates if d <= day and (settled or rng.random() < 0.85)]
            elif months is None:
                continue
            else:
                dates = []
                when = add_months(max(m.start_date, since), months)
                while when <= day:
                    dates.append(when)
                    when = add_months(when, months) + dt.timedelta(days=rng.randint(-10, 12))
                if behind and dates:
                    dates = dates[:-1]
            titles = kind.sections.splitlines()
            for when in dates:
                when = min(day, when + dt.timedelta(days=rng.randint(-7, 7)))
                if when < m.start_date:
                    continue
                boss = rng.choice(bosses)
                outcome = ""
                if kind.has_outcome:
                    outcome = rng.choices(["satisfactory", "needs improvement"], [88, 12])[0]
                notes = NOTES.get(kind.kind, [])
                sections = [[t, notes[i] if i < len(notes) else ""] for i, t in enumerate(titles)]
                record = SupervisionRecord(
                    staff_id=m.id,
                    supervisor_id=boss.id,
                    kind=kind.kind,
                    held_on=when,
                    location="Office" if kind.kind != "spot check" else "Person's home",
                    sections=json.dumps(sections),
                    outcome=outcome,
                    worker_ack_name=f"{m.first_name} {m.last_name}",
                    worker_ack_on=when,
                    supervisor_signed_on=when,
                )
                s.add(record)
                count += 1
                if outcome == "needs improvement":
                    due = when + dt.timedelta(days=28)
                    finished = min(day, due) if due < day and rng.random() < 0.7 else None
                    s.add(
                        Action(
                            description=f"Refresher and re-check for {m.first_name} "
                            f"{m.last_name} after the {kind.name.lower()}",
                            source="spot check" if kind.kind == "spot check" else "supervision",
                            source_ref=f"{kind.kind.capitalize()} {format_date(when)}: "
                            f"{m.first_name} {m.last_name}"[:100],
                            owner_id=boss.id,
                            raised_on=when,
                            due_on=due,
                            completed_on=finished,
                            completion_evidence="Re-observed: satisfactory." if finished else "",
                        )
                    )
        if count % 200 == 0:
            s.flush()
    s.flush()
    return count


COMPLAINTS = (
    ("missed or late visit", "The lunchtime carer arrived 90 minutes late and did not phone."),
    ("missed or late visit", "No one came for the evening call on Sunday."),
    ("staff conduct", "A carer was on her phone during the visit and seemed rushed."),
    ("communication", "Nobody told us the regular carer was on holiday."),
    ("medication", "Evening tablets were left out on the side and not given."),
    ("charges and invoices", "The invoice included two visits that did not happen."),
    ("care quality", "Mum was not helped to shower as her care plan says."),
    ("care quality", "The kitchen was left untidy after breakfast."),
)
PRAISE = (
    "Thank you for the kindness you showed Dad in his last weeks.",
    "The carers are always cheerful and Mum looks forward to their visits.",
    "Very grateful for how quickly you arranged extra calls after the hospital discharge.",
    "She always takes time to chat and never makes me feel rushed.",
    "Thank you for noticing Mum was unwell and calling the GP.",
)


def _complaints(
    s: Session,
    staff: list[StaffMember],
    supervisors: list[StaffMember],
    rng: random.Random,
    day: dt.date,
    who: str,
) -> tuple[int, int]:
    """A year of complaints with every outcome, a few handled late, and compliments."""
    from provider_desk.rules.complaints import add_working_days
    from provider_desk.services.complaints import ComplaintInput, save_complaint_in

    in_post = [m for m in staff if m.archived_at is None]
    names = (
        "Mrs Brown",
        "Mr Patel",
        "Ms Okafor",
        "Mr Hughes",
        "Mrs Kowalska",
        "Mr Davies",
        "Mrs Ahmed",
        "Ms Murphy",
        "Mr Clarke",
        "Mrs Lloyd",
    )
    relations = ("daughter", "son", "the person themselves", "wife", "social worker")
    n = 12
    for i in range(n):
        received = day - dt.timedelta(days=rng.randint(2, 360))
        category, summary = COMPLAINTS[i % len(COMPLAINTS)]
        late = rng.random() < 0.2
        ack = add_working_days(received, rng.randint(1, 2) if not late else 5)
        responded = add_working_days(received, rng.randint(8, 18) if not late else 26)
        done = responded <= day - dt.timedelta(days=3)
        outcome = (
            rng.choice(["upheld", "partly upheld", "not upheld", "not upheld"]) if done else ""
        )
        data = ComplaintInput(
            received_on=received,
            complainant_name=names[i % len(names)],
            complainant_relation=rng.choice(relations),
            summary=summary,
            category=category,
            channel=rng.choice(["phone", "email", "letter", "in person"]),
            person_concerned=f"Person {chr(65 + i)}.",
            severity=rng.choice(["low", "medium"]),
            staff_concerned_id=rng.choice(in_post).id if category == "staff conduct" else None,
            investigator_id=rng.choice(supervisors).id,
            acknowledged_on=ack if ack <= day else None,
            responded_on=responded if done else None,
            findings="Rota records and call logs checked; staff spoken to." if done else "",
            outcome=outcome,
            apology_given=outcome in ("upheld", "partly upheld"),
            lessons_learned="Shared at the team meeting; rota checks tightened." if done else "",
            complainant_satisfied=rng.choice(["yes", "yes", "no"]) if done else "",
            closed_on=min(day, responded + dt.timedelta(days=7))
            if done and rng.random() < 0.8
            else None,
        )
        save_complaint_in(s, data, today=day, who=who)
    count = 0
    for _ in range(30):
        m = rng.choice(in_post)
        s.add(
            Compliment(
                received_on=day - dt.timedelta(days=rng.randint(1, 360)),
                from_name=rng.choice(names) + " (family)",
                staff_id=m.id,
                about_person=rng.choice(["", "Mrs B.", "Mr P."]),
                what_was_said=rng.choice(PRAISE),
                channel=rng.choice(["card", "phone", "email", "survey"]),
            )
        )
        count += 1
    s.flush()
    return n, count


FINDINGS = (
    "Found on 2 of the 5 files sampled.",
    "Not in place for one person; the rest fine.",
    "Out of date since the summer; the new version is not yet filed.",
    "Seen on the spot checks this month: talked through with the carers concerned.",
    "No record kept for the period.",
    "Partly done: the office copy is missing.",
)


def _audits(
    s: Session,
    in_post: list[StaffMember],
    supervisors: list[StaffMember],
    manager: StaffMember,
    rng: random.Random,
    day: dt.date,
) -> int:
    """A year of audits of every template at its frequency: most pass, some find problems whose
    actions are on the plan (some done, some overdue); a re-audit, a revision and a draft."""
    from provider_desk.models import AuditRun, AuditTemplate, AuditTemplateVersion
    from provider_desk.rules import audits as r

    templates = list(s.scalars(select(AuditTemplate).order_by(AuditTemplate.id)))
    runs: list[AuditRun] = []
    raised: list[tuple[Action, AuditRun, int, str]] = []
    count = 0
    auditors = [*supervisors, manager]
    for t_index, tpl in enumerate(templates):
        version = s.scalar(
            select(AuditTemplateVersion).where(
                AuditTemplateVersion.template_id == tpl.id,
                AuditTemplateVersion.number == tpl.current_version,
            )
        )
        assert version is not None
        template = r.parse_sections(version.sections)
        months = r.FREQUENCIES[tpl.frequency]
        when = add_months(day, -12) + dt.timedelta(days=rng.randint(0, 20))
        # Two templates slip: their latest audit is late, so they show as overdue today.
        slip = t_index in (1, 5)
        previous: AuditRun | None = None
        previous_weak = False
        # ... by stopping a month and a half before the others.
        cutoff = day - dt.timedelta(days=45 if slip else 2)
        while True:
            nxt = when if previous is None else add_months(previous.audited_on, months)
            nxt += dt.timedelta(days=rng.randint(-4, 6))
            if nxt > cutoff:
                break
            weak = rng.random() < 0.25
            answers: dict[str, r.Answer] = {}
            for item in template.items:
                roll = rng.random()
                if item.answer_type == "score":
                    answers[item.id] = r.Answer("score", score=rng.choice([2, 3, 3, 4, 4]))
                elif roll < (0.22 if weak else 0.06):
                    answers[item.id] = r.Answer("no", comment=rng.choice(FINDINGS))
                elif roll > 0.95 and "N/A" in item.guidance:
                    answers[item.id] = r.Answer("na")
                else:
                    answers[item.id] = r.Answer("yes")
            follow_up = previous is not None and previous_weak and rng.random() < 0.7
            run = AuditRun(
                reference=f"~{count}",  # numbered in date order below
                template_id=tpl.id,
                template_version_id=version.id,
                audited_on=nxt,
                auditor_id=rng.choice(auditors).id,
                scope_note=_demo_scope(tpl.scope, tpl.sample_size, in_post, rng),
                answers=r.dump_answers(answers),
                summary=(
                    "Several gaps found: actions agreed with the team leads."
                    if weak
                    else "Good overall; minor points fed back."
                ),
                finished_on=nxt + dt.timedelta(days=rng.randint(0, 2)),
                manager_signed_by=manager.first_name + " " + manager.last_name,
                manager_signed_on=nxt + dt.timedelta(days=rng.randint(1, 9)),
                follow_up_of_id=(previous.revision_of_id or previous.id)
                if follow_up and previous
                else None,
            )
            if run.finished_on and run.finished_on > day:
                run.finished_on = day
            if run.manager_signed_on and run.manager_signed_on > day:
                run.manager_signed_on = None
            s.add(run)
            s.flush()
            runs.append(run)
            count += 1
            numbers = {item.id: n for n, _, item in template.numbered()}
            for item in template.items:
                if r.is_failed(item, answers[item.id]) and rng.random() < 0.8:
                    due = nxt + dt.timedelta(days=rng.choice([14, 21, 28, 42]))
                    done = due < day and rng.random() < 0.7
                    action = Action(
                        description=f"Put right: {item.question}",
                        source="audit",
                        owner_id=rng.choice(auditors).id,
                        raised_on=nxt,
                        due_on=due,
                        completed_on=min(day, due - dt.timedelta(days=rng.randint(0, 7)))
                        if done
                        else None,
                        completion_evidence="Checked at the next audit." if done else "",
                        audit_run_id=run.id,
                        audit_item=item.id,
                    )
                    s.add(action)
                    raised.append((action, run, numbers[item.id], tpl.name))
            previous = run
            previous_weak = weak
        if t_index == 0 and previous is not None:
            # A correction after finishing: revision 2 with its reason.
            s.add(
                AuditRun(
                    reference="(revision)",
                    template_id=tpl.id,
                    template_version_id=version.id,
                    audited_on=previous.audited_on,
                    auditor_id=previous.auditor_id,
                    scope_note=previous.scope_note,
                    answers=previous.answers,
                    summary=previous.summary + " Corrected: one MAR was filed late, not missing.",
                    finished_on=previous.finished_on,
                    revision=2,
                    revision_of_id=previous.id,
                    revision_reason="A MAR chart marked missing was found in the wrong folder.",
                )
            )
        if t_index == 2:
            # An audit started today and not finished yet.
            half = {i.id: r.Answer("yes") for i in template.items[: len(template.items) // 2]}
            draft = AuditRun(
                reference=f"~{count}",  # numbered in date order below
                template_id=tpl.id,
                template_version_id=version.id,
                audited_on=day,
                auditor_id=manager.id,
                scope_note="Whole service",
                answers=r.dump_answers(half),
            )
            s.add(draft)
            runs.append(draft)
            count += 1
    s.flush()
    # References in date order, as they would have been given (AUD-2026-001 …).
    counters: dict[int, int] = {}
    for run in sorted(runs, key=lambda x: (x.audited_on, x.id)):
        counters[run.audited_on.year] = counters.get(run.audited_on.year, 0) + 1
        run.reference = f"AUD-{run.audited_on.year}-{counters[run.audited_on.year]:03d}"
    s.flush()
    for rev in s.scalars(select(AuditRun).where(AuditRun.revision_of_id.is_not(None))):
        first = s.get(AuditRun, rev.revision_of_id)
        assert first is not None
        rev.reference = first.reference
    for action, run, number, name in raised:
        action.source_ref = f"{run.reference} Q{number}: {name}"[:100]
    s.flush()
    return count


def _demo_scope(
    scope: str, sample: int | None, in_post: list[StaffMember], rng: random.Random
) -> str:
    n = sample or 3
    if scope == "staff files":
        picked = rng.sample(in_post, min(n, len(in_post)))
        return "Staff files: " + ", ".join(f"{m.first_name} {m.last_name}" for m in picked)
    if scope == "care files":
        return "Care files: " + ", ".join(
            f"Person {chr(65 + i)}." for i in sorted(rng.sample(range(26), n))
        )
    if scope == "visits":
        return "Visits observed: " + ", ".join(
            f"Person {chr(65 + i)}. ({rng.choice(['morning', 'lunch', 'tea', 'bed'])})"
            for i in sorted(rng.sample(range(26), n))
        )
    return "Whole service"


STREETS = ("Mill Lane", "Church Street", "Station Road", "Park Avenue", "Victoria Road",
           "Green Close", "The Crescent", "Orchard Way", "Meadow View", "King Street")  # fmt: skip
PLAN_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "personal care": {
        "needs": ("Needs help to wash and dress in the morning; can wash face and hands.",
                  "Strip wash at the sink; full shower twice a week with one carer."),
        "outcomes": ("To feel clean and fresh and choose own clothes.",
                     "To keep showering at home rather than move to a care home."),
        "support": ("Run the shower, help with back and feet, lay out two outfits to choose from.",
                    "Prompt and supervise; help with buttons and shoes."),
        "preferences": ("Likes a bath towel warmed on the radiator. Female carers only.",
                        "Prefers an electric razor; likes to shave without help."),
    },
    "medication": {
        "needs": ("Medicines in a pharmacy blister pack, 8am and 6pm.",
                  "Eye drops twice a day; paracetamol when required for knee pain."),
        "outcomes": ("To take medicines safely and on time.",),
        "support": ("Assist: pop tablets from the pack, offer a drink, record on the MAR.",
                    "Prompt only: takes them independently; carer checks and records."),
        "preferences": ("Takes tablets one at a time with orange juice.",),
    },
    "nutrition": {
        "needs": ("Poor appetite since the winter; weight checked monthly by the district nurse.",
                  "Soft diet (IDDSI level 6) on SALT advice."),
        "outcomes": ("To eat two good meals a day and drink enough.",),
        "support": ("Prepare breakfast and a hot lunch; leave a jug of squash within reach.",),
        "preferences": ("Porridge with honey; no pork; tea with two sugars.",),
    },
    "mobility": {
        "needs": ("Walks with a frame indoors; two falls this year.",
                  "Hoist with two carers for all transfers (sling size M)."),
        "outcomes": ("To move around the home safely and sit in the garden in summer.",),
        "support": ("Check the frame is within reach; stand-by when walking to the bathroom.",
                    "Two carers, ceiling hoist, follow the moving and handling plan."),
        "preferences": ("Likes to sit by the window in the afternoon.",),
    },
    "skin": {
        "needs": ("Fragile skin on heels; at risk of pressure damage.",),
        "outcomes": ("To keep skin intact.",),
        "support": ("Apply barrier cream as prescribed; check heels and report redness.",),
        "preferences": ("",),
    },
    "communication": {
        "needs": ("Hard of hearing in the left ear; wears a hearing aid.",
                  "Speaks Polish; good spoken English but reads Polish more easily."),
        "outcomes": ("To understand and be understood.",),
        "support": ("Face the person when speaking; check the hearing aid battery each morning.",),
        "preferences": ("Large print for letters.",),
    },
    "mental health": {
        "needs": ("Diagnosed with Alzheimer's disease; can be anxious in the evening.",
                  "Low mood since a bereavement last year."),
        "outcomes": ("To feel calm and safe at home.",),
        "support": ("Talk about the day, play favourite music; tell the office about any change.",),
        "preferences": ("Likes Radio 2 and talking about the garden.",),
    },
    "social": {
        "needs": ("Lives alone; daughter visits at weekends.",),
        "outcomes": ("To keep going to the lunch club on Wednesdays.",),
        "support": ("Help to get ready by 11am on Wednesdays for the minibus.",),
        "preferences": ("Catholic; likes to watch Mass on television on Sundays.",),
    },
    "home": {
        "needs": ("Key safe by the front door (code held in the office).",
                  "Has a dog; keep it in the kitchen during personal care."),
        "outcomes": ("To stay safe at home.",),
        "support": ("Check smoke alarm monthly; lock the back door on leaving.",),
        "preferences": ("",),
    },
}  # fmt: skip


def _next_of_kin(rng: random.Random) -> str:
    relation, title = rng.choice(
        [("daughter", "Mrs"), ("son", "Mr"), ("niece", "Miss"), ("husband", "Mr"), ("wife", "Mrs")]
    )
    return f"{title} {rng.choice(LAST)} ({relation}), 07700 900{rng.randint(100, 999)}"


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _people(
    s: Session,
    in_post: list[StaffMember],
    supervisors: list[StaffMember],
    rng: random.Random,
    day: dt.date,
    count: int,
    years: int,
) -> int:
    """People we support: long-term and reablement, plans with several versions, reviews (some
    overdue), risk assessments (some overdue), goals, a few ended and some in hospital."""
    from provider_desk.models import CarePlan, CareReview, Goal, Person, RiskAssessment
    from provider_desk.resources import risk_kinds
    from provider_desk.rules.people import DAYS, Visit
    from provider_desk.services.people import visits_json

    titles = ("Mrs", "Mr", "Miss", "Ms")
    carers = [m for m in in_post if m not in supervisors] or in_post
    for n in range(count):
        # The last one is a new referral whose plan is not written yet.
        new_referral = n == count - 1
        reablement = rng.random() < 0.2 and not new_referral
        if new_referral:
            start = day - dt.timedelta(days=3)
        elif reablement:
            start = day - dt.timedelta(days=rng.randint(10, 300))
        else:
            start = day - dt.timedelta(days=rng.randint(20, 365 * years + 300))
        ended_on = None
        if reablement and (day - start).days > 42:
            ended_on = start + dt.timedelta(days=rng.randint(28, 42))
        elif rng.random() < 0.1 and not new_referral:
            ended_on = start + dt.timedelta(days=rng.randint(30, max(31, (day - start).days - 1)))
            ended_on = min(ended_on, day - dt.timedelta(days=1))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        person = Person(
            reference=f"P-{n + 1:04d}",
            first_name=first,
            last_name=last,
            preferred_name=rng.choice(["", "", "", first[:3]]) if len(first) > 4 else "",
            date_of_birth=dt.date(rng.randint(1928, 1962), rng.randint(1, 12), rng.randint(1, 28)),
            nhs_number=_nhs_number(rng),
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, Anytown",
            postcode=f"AN{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
            f"{rng.choice('LNPQRSTUW')}",
            funding=rng.choices(
                [
                    "local authority",
                    "NHS continuing healthcare",
                    "self-funded",
                    "direct payment",
                    "mixed",
                ],
                [55, 10, 20, 10, 5],
            )[0],
            service_type="reablement" if reablement else "long-term",
            start_date=start,
            end_date=ended_on,
            status="ended" if ended_on else rng.choices(["active", "in hospital"], [94, 6])[0],
            key_worker_id=rng.choice(carers).id,
            next_of_kin=_next_of_kin(rng),
            power_of_attorney=rng.choice(
                [
                    "",
                    "",
                    "",
                    "LPA health and welfare: daughter (registered)",
                    "LPA property and financial affairs: son",
                ]
            ),
        )
        if reablement:
            person.reablement_start_hours = float(rng.choice([7, 10.5, 14, 17.5, 21]))
            if ended_on:
                person.reablement_end_hours = rng.choice(
                    [0.0, 0.0, 3.5, 5.25, 7.0, person.reablement_start_hours]
                )
        if ended_on:
            person.archived_at = utcnow()
        s.add(person)
        s.flush()
        if new_referral:
            continue
        # Plan versions: the first at the start, then changes as needs change.
        versions = 1 if reablement else rng.choice([1, 1, 2, 2, 3, 4])
        last_day = ended_on or day
        dates = sorted(
            {start}
            | {
                start + dt.timedelta(days=rng.randint(30, max(31, (last_day - start).days)))
                for _ in range(versions - 1)
            }
        )
        areas = rng.sample(list(PLAN_TEXT), rng.randint(4, len(PLAN_TEXT)))
        visits_per_day = rng.choice([1, 2, 2, 3, 4])
        times = ["08:00", "12:30", "17:00", "20:30"][:visits_per_day]
        two = rng.random() < 0.15
        for i, when in enumerate(dates):
            sections = {
                a: {f: rng.choice(t) for f, t in PLAN_TEXT[a].items() if rng.choice(t)}
                for a in areas
            }
            visits = tuple(
                Visit(
                    DAYS,
                    t,
                    rng.choice([30, 45, 60]) if t != "20:30" else 30,
                    2 if two and t == "08:00" else 1,
                )
                for t in times
            )
            consent = i < len(dates) - 1 or rng.random() < 0.92
            lacks = rng.random() < 0.12
            s.add(
                CarePlan(
                    person_id=person.id,
                    number=i + 1,
                    effective_from=when,
                    change_reason=""
                    if i == 0
                    else rng.choice(
                        [
                            "Review: needs changed after a fall",
                            "Back from hospital",
                            "Family asked for a later tea call",
                            "Now needs two carers to transfer",
                            "Medication support increased to administer",
                        ]
                    ),
                    sections=json.dumps(sections, ensure_ascii=False, sort_keys=True),
                    visits=visits_json(visits),
                    consent_by=("representative" if lacks else "person") if consent else "",
                    consent_name=f"{rng.choice(titles[::2])} {rng.choice(LAST)}"
                    if consent and lacks
                    else "",
                    consent_capacity="LPA for health and welfare, daughter"
                    if consent and lacks
                    else "",
                    consent_on=when if consent else None,
                    mca_needed=lacks,
                    mca_outcome="lacks capacity" if lacks else "",
                    best_interests="Care at home agreed in their best interests with the family "
                    "and social worker."
                    if lacks
                    else "",
                )
            )
        # Reviews: the first about six weeks in (some late), then roughly yearly; about one in
        # six long-term people have slipped past their review date.
        review = start + dt.timedelta(days=rng.randint(35, 60))
        slipped = rng.random() < 0.17
        while review < last_day - dt.timedelta(days=5):
            if slipped and review > day - dt.timedelta(days=400):
                break
            s.add(
                CareReview(
                    person_id=person.id,
                    reviewed_on=review,
                    participants=rng.choice(
                        [
                            f"{first}, key worker, care co-ordinator",
                            f"{first}, daughter, social worker, care co-ordinator",
                            f"{first} and the registered manager",
                        ]
                    ),
                    outcome=rng.choice(
                        [
                            "Plan meeting needs; no change.",
                            "Happy with carers; tea call moved later.",
                            "More help needed with mobility: plan updated.",
                        ]
                    ),
                    needs_changed=rng.random() < 0.3,
                )
            )
            review = add_months(review, rng.choice([6, 9, 11, 12]))
        for kind in rng.sample(risk_kinds()[:8], rng.randint(2, 4)):
            assessed = max(start, day - dt.timedelta(days=rng.randint(10, 420)))
            s.add(
                RiskAssessment(
                    person_id=person.id,
                    kind=kind,
                    hazard=f"Risk of harm from {kind}.",
                    likelihood=rng.randint(1, 5),
                    severity=rng.randint(1, 5),
                    controls=rng.choice(
                        [
                            "Follow the care plan; report changes to the office.",
                            "Equipment checked each visit; two carers for transfers.",
                            "Clear walkways; pendant alarm worn; OT referral made.",
                        ]
                    ),
                    assessed_on=assessed,
                    assessed_by_id=rng.choice(supervisors).id,
                    review_due=add_months(assessed, 12),
                )
            )
        if reablement:
            for text, starting in (
                ("Make a hot drink and a simple meal", "Needs a carer to prepare all food"),
                ("Shower without help", "Help of one to shower"),
                ("Walk to the local shop", "Walks indoors only with a frame"),
            )[: rng.randint(2, 3)]:
                outcome = ""
                if ended_on:
                    outcome = rng.choice(
                        ["achieved", "achieved", "partly achieved", "not achieved"]
                    )
                s.add(
                    Goal(
                        person_id=person.id,
                        goal=text,
                        starting_point=starting,
                        set_on=start,
                        target_date=start + dt.timedelta(weeks=6),
                        progress="Practising daily with the carer watching, not doing."
                        if not outcome
                        else "Reviewed at the end of reablement.",
                        outcome=outcome,
                    )
                )
        if n % 50 == 0:
            s.flush()
    s.flush()
    return count
