"""Demo audits: a year of every template at its frequency. Most pass; some find problems whose
actions are on the plan (some done, some overdue); a re-audit, a revision and a draft."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.services import complete_action_in
from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.models import AuditRun, AuditTemplate, AuditTemplateVersion
from provider_desk.areas.audits.services import (
    AuditInput,
    FindingAction,
    revise_audit_in,
    save_audit_in,
    sign_off_audit_in,
)
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.db.versions import current_version
from provider_desk.demo.staff import Worker, Workforce, keep_loaded
from provider_desk.rules.dates import add_months

FINDINGS = (
    "Found on 2 of the 5 files sampled.",
    "Not in place for one person; the rest fine.",
    "Out of date since the summer; the new version is not yet filed.",
    "Seen on the spot checks this month: talked through with the carers concerned.",
    "No record kept for the period.",
    "Partly done: the office copy is missing.",
)
# Two templates slip: their latest audit is late, so they show as overdue today.
SLIPPING = (1, 5)


@dataclass
class _Run:
    """An audit as planned, before it is entered."""

    data: AuditInput
    finished_on: dt.date | None  # None: a draft
    signed_on: dt.date | None = None
    follow_up_of: _Run | None = None
    completions: list[dt.date | None] = field(default_factory=list)  # one per finding action
    order: int = 0
    saved_id: int = 0


@program_write("builds demo data through the services' _in forms, which check permissions")
def generate(db: Database, rng: random.Random, day: dt.date, team: Workforce) -> int:
    """Enter the year's audits in date order (so references run in date order) in one
    transaction. Returns how many audits (revisions not counted)."""
    auditors = [*team.supervisors, team.manager]
    with db.session() as s:
        _register = keep_loaded(s)
        templates = list(s.scalars(select(AuditTemplate).order_by(AuditTemplate.id)))
        versions = []  # held in the session: saving an audit reads its template version
        runs: list[_Run] = []
        revised: _Run | None = None
        for t_index, tpl in enumerate(templates):
            version = s.scalar(
                select(AuditTemplateVersion).where(
                    AuditTemplateVersion.template_id == tpl.id,
                    AuditTemplateVersion.number == tpl.current_version,
                )
            )
            assert version is not None
            versions.append(version)
            template = r.parse_sections(version.sections)
            planned = _plan_template(rng, day, tpl, template, auditors, team.in_post, t_index)
            runs.extend(planned)
            if t_index == 0 and planned:
                revised = planned[-1]  # corrected after it was finished
            if t_index == 2:
                # An audit started today and not finished yet.
                half = {i.id: r.Answer("yes") for i in template.items[: len(template.items) // 2]}
                data = AuditInput(tpl.id, day, team.manager.id, "Whole service", half)
                runs.append(_Run(data, None, order=10**6))
        for run in sorted(runs, key=lambda x: (x.data.audited_on or day, x.order)):
            data = run.data
            if run.follow_up_of is not None:
                data = replace(data, follow_up_of_id=run.follow_up_of.saved_id)
            saved = save_audit_in(
                s,
                None,
                data,
                finish=run.finished_on is not None,
                today=run.finished_on or day,
                expected_version=None,
            )
            run.saved_id = saved.id
            if run.signed_on is not None:
                name = f"{team.manager.first_name} {team.manager.last_name}"
                sign_off_audit_in(
                    s,
                    saved.id,
                    name=name,
                    signed_on=run.signed_on,
                    expected_version=saved.version,
                    today=day,
                )
        if revised is not None:
            new = revise_audit_in(
                s,
                revised.saved_id,
                "A MAR chart marked missing was found in the wrong folder.",
                expected_version=current_version(s, AuditRun, revised.saved_id),
                today=day,
            )
            assert revised.finished_on is not None
            summary = revised.data.summary + " Corrected: one MAR was filed late, not missing."
            fixed = replace(revised.data, summary=summary, actions=())
            finished = min(day, revised.finished_on + dt.timedelta(days=1))
            save_audit_in(
                s, new.id, fixed, finish=True, expected_version=new.version, today=finished
            )
        # Finding actions were raised in the order the audits were entered: complete them.
        planned_done = [
            done for run in sorted(runs, key=lambda x: x.saved_id) for done in run.completions
        ]
        raised = s.scalars(
            select(Action.id).where(Action.source == "audit").order_by(Action.id)
        ).all()
        for action_id, done in zip(raised, planned_done, strict=True):
            if done is not None:
                complete_action_in(
                    s,
                    action_id,
                    done,
                    "Checked at the next audit.",
                    expected_version=current_version(s, Action, action_id),
                    today=day,
                )
    return len(runs)


def _plan_template(
    rng: random.Random,
    day: dt.date,
    tpl: AuditTemplate,
    template: r.Template,
    auditors: list[Worker],
    in_post: list[Worker],
    t_index: int,
) -> list[_Run]:
    """One template's audits over the last year, at its frequency."""
    months = r.FREQUENCIES[tpl.frequency]
    first = add_months(day, -12) + dt.timedelta(days=rng.randint(0, 20))
    # A slipping template stops a month and a half before the others.
    cutoff = day - dt.timedelta(days=45 if t_index in SLIPPING else 2)
    runs: list[_Run] = []
    previous_weak = False
    while True:
        nxt = first if not runs else add_months(runs[-1].data.audited_on or day, months)
        nxt += dt.timedelta(days=rng.randint(-4, 6))
        if nxt > cutoff:
            break
        weak = rng.random() < 0.25
        answers: dict[str, r.Answer] = {}
        for item in template.items:
            roll = rng.random()
            if item.answer_type == "score":
                answer = r.Answer("score", score=rng.choice([2, 3, 3, 4, 4]))
                if r.is_failed(item, answer):  # a low score says what was found, as a "no" does
                    answer = r.Answer("score", score=answer.score, comment=rng.choice(FINDINGS))
                answers[item.id] = answer
            elif roll < (0.22 if weak else 0.06):
                answers[item.id] = r.Answer("no", comment=rng.choice(FINDINGS))
            elif roll > 0.95 and "N/A" in item.guidance:
                answers[item.id] = r.Answer("na")
            else:
                answers[item.id] = r.Answer("yes")
        follow_up = bool(runs) and previous_weak and rng.random() < 0.7
        auditor = rng.choice(auditors)
        scope = _scope(tpl.scope, tpl.sample_size, in_post, rng)
        finished = min(day, nxt + dt.timedelta(days=rng.randint(0, 2)))
        # The registered manager signs it off within days of it being finished.
        signed: dt.date | None = max(finished, nxt + dt.timedelta(days=rng.randint(1, 9)))
        if signed is not None and signed > day:
            signed = None
        actions: list[FindingAction] = []
        completions: list[dt.date | None] = []
        for item in template.items:
            if r.is_failed(item, answers[item.id]) and rng.random() < 0.8:
                due = nxt + dt.timedelta(days=rng.choice([14, 21, 28, 42]))
                done = due < day and rng.random() < 0.7
                actions.append(
                    FindingAction(
                        item.id, f"Put right: {item.question}", rng.choice(auditors).id, due
                    )
                )
                completions.append(
                    min(day, due - dt.timedelta(days=rng.randint(0, 7))) if done else None
                )
        data = AuditInput(
            template_id=tpl.id,
            audited_on=nxt,
            auditor_id=auditor.id,
            scope_note=scope,
            answers=answers,
            summary="Several gaps found: actions agreed with the team leads."
            if weak
            else "Good overall; minor points fed back.",
            actions=tuple(actions),
        )
        runs.append(
            _Run(
                data,
                finished,
                signed,
                follow_up_of=runs[-1] if follow_up else None,
                completions=completions,
                order=t_index * 1000 + len(runs),
            )
        )
        previous_weak = weak
    return runs


def _scope(scope: str, sample: int | None, in_post: list[Worker], rng: random.Random) -> str:
    """What the audit looked at, named as an auditor would."""
    n = sample or 3
    if scope == "staff files":
        picked = rng.sample(in_post, min(n, len(in_post)))
        return "Staff files: " + ", ".join(m.name for m in picked)
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
