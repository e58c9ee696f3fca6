"""Audit templates (versioned), carrying out audits, locking, revisions and actions from findings.

Regulation 17: audits that find problems and actions that fix them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_desk import attachments
from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.services import ActionInput, raise_action_in, validate_action
from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.models import AuditRun, AuditTemplate, AuditTemplateVersion
from provider_desk.areas.staff.models import StaffMember
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import ACTIONS, AUDITS, Changes
from provider_desk.db.references import next_free
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.resources import load_json, quality_statements
from provider_desk.rules import validators as v
from provider_desk.rules.dates import format_date

MAX_WEIGHT = 10
MAX_SAMPLE = 200


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateInput:
    """A template as edited: programme settings and its sections of questions.

    Items without an id are new questions; existing ones keep theirs so re-audits can compare.
    """

    name: str
    frequency: str
    scope: str = "service"
    sample_size: int | None = None
    description: str = ""
    sections: r.Template = field(default_factory=r.Template)
    change_reason: str = ""


def validate_template(data: TemplateInput) -> list[Problem]:
    """Every problem with a template, question by question."""
    problems: list[Problem | None] = [v.required("name", data.name, "The template name")]
    if data.frequency not in r.FREQUENCIES:
        problems.append(Problem("frequency", f"How often is one of: {', '.join(r.FREQUENCIES)}."))
    if data.scope not in r.SCOPES:
        problems.append(Problem("scope", f"Scope is one of: {', '.join(r.SCOPES)}."))
    elif data.scope != "service" and (
        data.sample_size is None or not 1 <= data.sample_size <= MAX_SAMPLE
    ):
        problems.append(
            Problem("sample_size", f"Say how many to sample each time (1 to {MAX_SAMPLE}).")
        )
    if not data.sections.items:
        problems.append(Problem("sections", "Give the template at least one question."))
    known = {q.id for q in quality_statements()}
    for n, section, item in data.sections.numbered():
        where = f"Question {n}"
        if not section.title.strip():
            problems.append(Problem("sections", f"{where}: its section needs a title."))
        if not item.question.strip():
            problems.append(Problem("sections", f"{where}: the question is blank."))
        if item.answer_type not in r.ANSWER_TYPES:
            problems.append(Problem("sections", f"{where}: answer type is yes/no or score."))
        if not 1 <= item.weight <= MAX_WEIGHT:
            problems.append(Problem("sections", f"{where}: weight is 1 to {MAX_WEIGHT}."))
        if item.answer_type == "score" and not 1 <= item.max_score <= MAX_WEIGHT:
            problems.append(Problem("sections", f"{where}: the top score is 1 to {MAX_WEIGHT}."))
        unknown = [st for st in item.statements if st not in known]
        if unknown:
            problems.append(
                Problem("sections", f"{where}: unknown quality statement {', '.join(unknown)}.")
            )
    return [p for p in problems if p is not None]


def _with_ids(template: r.Template, used: set[str]) -> r.Template:
    """Give new questions ids (q1, q2 …) never used before in this template."""
    numbers = [int(m.group(1)) for i in used if (m := re.fullmatch(r"q(\d+)", i))]
    nxt = max(numbers, default=0) + 1
    sections = []
    seen: set[str] = set()
    for section in template.sections:
        items = []
        for item in section.items:
            if not item.id or item.id in seen:
                item = replace(item, id=f"q{nxt}")
                nxt += 1
            seen.add(item.id)
            items.append(
                replace(
                    item,
                    question=item.question.strip(),
                    guidance=item.guidance.strip(),
                    statements=tuple(dict.fromkeys(item.statements)),
                )
            )
        sections.append(r.AuditSection(section.title.strip(), tuple(items)))
    return r.Template(tuple(sections))


def _used_ids(s: Session, template_id: int) -> set[str]:
    ids: set[str] = set()
    for text in s.scalars(
        select(AuditTemplateVersion.sections).where(AuditTemplateVersion.template_id == template_id)
    ):
        ids.update(i.id for i in r.parse_sections(text).items)
    return ids


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "audit"


@requires(Permission.MANAGE_SETTINGS, "change audit templates")
def save_template(
    db: Database,
    template_id: int | None,
    data: TemplateInput,
    *,
    expected_version: int | None,
) -> Changes:
    """Create a template, or change one. Changed questions become a new version (with a reason
    once audits have used the old one); audits already done keep the version they answered."""
    v.raise_if(list(validate_template(data)))
    with db.session() as s:
        if template_id is None:
            key = base = _slug(data.name)
            n = 2
            while s.scalar(select(AuditTemplate.id).where(AuditTemplate.key == key)) is not None:
                key, n = f"{base}-{n}", n + 1
            tpl = AuditTemplate(key=key, current_version=1)
            s.add(tpl)
            _apply_template(tpl, data)
            s.flush()
            s.add(
                AuditTemplateVersion(
                    template_id=tpl.id,
                    number=1,
                    sections=r.dump_sections(_with_ids(data.sections, set())),
                    change_reason=data.change_reason.strip(),
                )
            )
            return Changes.of(AUDITS, ids=(tpl.id,))
        found = s.get(AuditTemplate, template_id)
        if found is None:
            raise ValidationError.single("id", "That template no longer exists.")
        tpl = found
        check_version(tpl, expected_version)
        current = _current_version(s, tpl)
        sections = _with_ids(data.sections, _used_ids(s, tpl.id))
        if r.dump_sections(sections) != r.dump_sections(r.parse_sections(current.sections)):
            used = s.scalar(
                select(func.count())
                .select_from(AuditRun)
                .where(AuditRun.template_version_id == current.id)
            )
            if used and not data.change_reason.strip():
                raise ValidationError.single(
                    "change_reason",
                    f"{used} audit(s) used the current questions. Say why they are changing: "
                    "the change becomes a new version and past audits keep theirs.",
                )
            tpl.current_version = current.number + 1
            s.add(
                AuditTemplateVersion(
                    template_id=tpl.id,
                    number=tpl.current_version,
                    sections=r.dump_sections(sections),
                    change_reason=data.change_reason.strip(),
                )
            )
        _apply_template(tpl, data)
        return Changes.of(AUDITS, ids=(tpl.id,))


def _apply_template(tpl: AuditTemplate, data: TemplateInput) -> None:
    tpl.name = data.name.strip()
    tpl.description = data.description.strip()
    tpl.frequency = data.frequency
    tpl.scope = data.scope
    tpl.sample_size = None if data.scope == "service" else data.sample_size


def _current_version(s: Session, tpl: AuditTemplate) -> AuditTemplateVersion:
    version = s.scalar(
        select(AuditTemplateVersion).where(
            AuditTemplateVersion.template_id == tpl.id,
            AuditTemplateVersion.number == tpl.current_version,
        )
    )
    assert version is not None, "a template always has its current version"
    return version


@requires(Permission.MANAGE_SETTINGS, "change audit templates")
def archive_template(db: Database, template_id: int, *, expected_version: int) -> Changes:
    """Take a template out of the programme (its audits stay)."""
    with db.session() as s:
        tpl = s.get(AuditTemplate, template_id)
        if tpl is None:
            raise ValidationError.single("id", "That template no longer exists.")
        check_version(tpl, expected_version)
        tpl.archived_at = utcnow()
        return Changes.of(AUDITS, ids=(template_id,))


def seed_templates(s: Session) -> None:
    """Add the shipped templates (``resources/audit_templates.json``), questions numbered q1…"""
    for spec in load_json("audit_templates.json")["templates"]:
        sections = r.Template(
            tuple(
                r.AuditSection(
                    sec["title"],
                    tuple(
                        r.AuditItem(
                            id="",
                            question=i["question"],
                            guidance=i["guidance"],
                            answer_type=i["answer_type"],
                            weight=i["weight"],
                            comment_on_no=i["comment_on_no"],
                            statements=tuple(i["statements"]),
                            max_score=i.get("max_score") or 4,
                        )
                        for i in sec["items"]
                    ),
                )
                for sec in spec["sections"]
            )
        )
        tpl = AuditTemplate(
            key=spec["key"],
            name=spec["name"],
            description=spec["description"],
            frequency=spec["frequency"],
            scope=spec["scope"],
            sample_size=spec["sample_size"],
            current_version=1,
        )
        s.add(tpl)
        s.flush()
        s.add(
            AuditTemplateVersion(
                template_id=tpl.id,
                number=1,
                sections=r.dump_sections(_with_ids(sections, set())),
                change_reason="Shipped with Provider Desk",
            )
        )


# --------------------------------------------------------------------------- audits


@dataclass(frozen=True)
class FindingAction:
    """An action raised from a failed question: it goes on the action plan."""

    item_id: str
    description: str
    owner_id: int | None
    due_on: dt.date | None


@dataclass(frozen=True)
class AuditInput:
    """An audit as the auditor enters it."""

    template_id: int | None
    audited_on: dt.date | None
    auditor_id: int | None
    scope_note: str = ""
    answers: Mapping[str, r.Answer] = field(default_factory=dict)
    summary: str = ""
    actions: tuple[FindingAction, ...] = ()
    follow_up_of_id: int | None = None
    files: Mapping[str, Path] = field(default_factory=dict)  # item id -> evidence file


def _template_of(s: Session, version_id: int) -> r.Template:
    version = s.get(AuditTemplateVersion, version_id)
    assert version is not None
    return r.parse_sections(version.sections)


def validate_audit(
    s: Session, data: AuditInput, template: r.Template, today: dt.date, *, finishing: bool
) -> list[Problem]:
    """Problems with an audit. A draft may be incomplete; finishing needs every answer."""
    problems: list[Problem | None] = []
    if data.audited_on is None:
        problems.append(Problem("audited_on", "Enter the date of the audit."))
    problems.append(v.not_in_future("audited_on", data.audited_on, today, "The audit date"))
    auditor = s.get(StaffMember, data.auditor_id) if data.auditor_id else None
    if auditor is None:
        problems.append(Problem("auditor_id", "Choose who carried out the audit."))
    numbered = template.numbered()
    ids = {item.id for _, _, item in numbered}
    for key in data.answers:
        if key not in ids:
            problems.append(Problem("answers", f"Answer to an unknown question '{key}'."))
    for n, _section, item in numbered:
        a = data.answers.get(item.id)
        if a is None:
            continue
        if a.answer and a.answer not in (r.YES, r.NO, r.NA, "score"):
            problems.append(Problem("answers", f"Question {n}: unknown answer '{a.answer}'."))
        if (
            item.answer_type == "score"
            and a.score is not None
            and not 0 <= a.score <= item.max_score
        ):
            problems.append(
                Problem("answers", f"Question {n}: the score is 0 to {item.max_score}.")
            )
    if finishing:
        missing = [
            n for n, _, item in numbered if not r.is_answered(item, data.answers.get(item.id))
        ]
        if missing:
            listed = ", ".join(str(n) for n in missing[:12]) + (" …" if len(missing) > 12 else "")
            problems.append(
                Problem(
                    "answers",
                    f"{len(missing)} question(s) not answered: {listed}. Answer every question "
                    "(N/A where it does not apply) before finishing, or save it as a draft.",
                )
            )
        for n, _section, item in numbered:
            a = data.answers.get(item.id)
            if item.comment_on_no and r.is_failed(item, a) and not (a and a.comment.strip()):
                problems.append(
                    Problem(
                        "answers",
                        f"Question {n} was not met: say what was found in its comment.",
                    )
                )
    for i, act in enumerate(data.actions, start=1):
        if act.item_id not in ids:
            problems.append(Problem("actions", f"Action {i} is for an unknown question."))
        for p in validate_action(
            s, ActionInput(act.description, act.owner_id, act.due_on, raised_on=today), today
        ):
            problems.append(Problem("actions", f"Action {i}: {p.message}"))
    return [p for p in problems if p is not None]


def _next_reference(s: Session, audited_on: dt.date) -> str:
    """AUD-2026-001 onwards, one series a year, from the counter every PC shares."""
    year = audited_on.year
    return next_free(
        s,
        f"audit-{year}",
        lambda n: f"AUD-{year}-{n:03d}",
        lambda ref: (
            s.scalar(select(AuditRun.id).where(AuditRun.reference == ref).limit(1)) is not None
        ),
    )


def _root_id(run: AuditRun) -> int:
    return run.revision_of_id or run.id


def _files(data: AuditInput) -> dict[str, tuple[str, str, bytes]]:
    return {
        item: attachments.read_evidence_file(path, "answers") for item, path in data.files.items()
    }


@requires(Permission.EDIT_RECORDS, "record audits")
def save_audit(
    db: Database,
    run_id: int | None,
    data: AuditInput,
    *,
    finish: bool = False,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Start or continue an audit; ``finish`` checks it is complete and locks it.

    Raises:
        ValidationError: problems with the answers (nothing is saved), or the audit is finished
            and locked (use :func:`revise_audit`).
    """
    files = _files(data)
    with db.session() as s:
        run = save_audit_in(
            s,
            run_id,
            data,
            finish=finish,
            expected_version=expected_version,
            today=today,
            files=files,
        )
        return Changes.of(AUDITS, ACTIONS, ids=(run.id,))


@requires(Permission.EDIT_RECORDS, "record audits")
def save_audit_in(
    s: Session,
    run_id: int | None,
    data: AuditInput,
    *,
    finish: bool = False,
    expected_version: int | None,
    today: dt.date,
    files: Mapping[str, tuple[str, str, bytes]] | None = None,
) -> AuditRun:
    """Start or continue an audit inside an open session (``files``: evidence already read;
    None reads ``data.files``)."""
    if files is None:
        files = _files(data)
    if run_id is None:
        tpl = s.get(AuditTemplate, data.template_id) if data.template_id else None
        if tpl is None or tpl.archived_at is not None:
            raise ValidationError.single("template_id", "Choose which audit this is.")
        version = _current_version(s, tpl)
        run = AuditRun(template_id=tpl.id, template_version_id=version.id, revision=1)
        if data.follow_up_of_id is not None:
            first = s.get(AuditRun, data.follow_up_of_id)
            if first is None or first.template_id != tpl.id:
                raise ValidationError.single(
                    "follow_up_of_id", "A re-audit follows an earlier audit of the same kind."
                )
            run.follow_up_of_id = _root_id(first)
    else:
        found = s.get(AuditRun, run_id)
        if found is None or found.archived_at is not None:
            raise ValidationError.single("id", "That audit no longer exists.")
        run = found
        check_version(run, expected_version)
        if run.finished_on is not None:
            raise ValidationError.single(
                "id",
                f"{run.reference} was finished on {format_date(run.finished_on)} and is "
                "locked: use Revise to change it (the change becomes a new revision with a "
                "reason).",
            )
    template = _template_of(s, run.template_version_id)
    v.raise_if(list(validate_audit(s, data, template, today, finishing=finish)))
    assert data.audited_on is not None and data.auditor_id is not None
    if run_id is None:
        run.reference = _next_reference(s, data.audited_on)
        s.add(run)
    run.audited_on = data.audited_on
    run.auditor_id = data.auditor_id
    run.scope_note = data.scope_note.strip()
    run.summary = data.summary.strip()
    answers = {k: replace(a, comment=a.comment.strip()) for k, a in data.answers.items()}
    for item_id, content in files.items():
        answers[item_id] = replace(
            answers.get(item_id, r.Answer()), attachment_id=attachments.store(s, *content).id
        )
    run.answers = r.dump_answers(answers)
    if finish:
        run.finished_on = today
    s.flush()
    _raise_findings(s, run, template, data.actions, today)
    return run


def _raise_findings(
    s: Session,
    run: AuditRun,
    template: r.Template,
    actions: tuple[FindingAction, ...],
    today: dt.date,
) -> list[int]:
    numbers = {item.id: (n, item) for n, _, item in template.numbered()}
    tpl = s.get(AuditTemplate, run.template_id)
    assert tpl is not None
    ids = []
    for act in actions:
        n, item = numbers[act.item_id]
        action = raise_action_in(
            s,
            ActionInput(
                act.description,
                act.owner_id,
                act.due_on,
                raised_on=today,
                source="audit",
                source_ref=f"{run.reference} Q{n}: {tpl.name}"[:100],
            ),
            today=today,
        )
        action.audit_run_id = _root_id(run)
        action.audit_item = item.id
        ids.append(action.id)
    return ids


@requires(Permission.EDIT_RECORDS, "raise actions")
def raise_finding_action(
    db: Database, run_id: int, action: FindingAction, *, today: dt.date
) -> Changes:
    """Raise an action from a question of any audit, finished or not (it does not change the
    findings, so a locked audit allows it)."""
    day = today
    with db.session() as s:
        run = s.get(AuditRun, run_id)
        if run is None or run.archived_at is not None:
            raise ValidationError.single("id", "That audit no longer exists.")
        template = _template_of(s, run.template_version_id)
        if action.item_id not in {i.id for i in template.items}:
            raise ValidationError.single("item_id", "That question is not in this audit.")
        ids = _raise_findings(s, run, template, (action,), day)
        return Changes.of(AUDITS, ACTIONS, ids=tuple(ids))


@requires(Permission.EDIT_RECORDS, "revise audits")
def revise_audit(
    db: Database, run_id: int, reason: str, *, expected_version: int, today: dt.date
) -> Changes:
    """Open a finished audit for correction: a new draft revision, copied, with the reason.

    The finished revision stays as it was (read-only). Returns the new revision's id.
    """
    with db.session() as s:
        new = revise_audit_in(s, run_id, reason, expected_version=expected_version, today=today)
        return Changes.of(AUDITS, ids=(new.id,))


@requires(Permission.EDIT_RECORDS, "revise audits")
def revise_audit_in(
    s: Session, run_id: int, reason: str, *, expected_version: int, today: dt.date
) -> AuditRun:
    """Open a finished audit for correction inside an open session."""
    del today  # the revision is dated when it is finished
    v.raise_if([v.required("revision_reason", reason, "The reason for changing a finished audit")])
    run = s.get(AuditRun, run_id)
    if run is None or run.archived_at is not None:
        raise ValidationError.single("id", "That audit no longer exists.")
    check_version(run, expected_version)
    root = _root_id(run)
    latest = s.scalar(
        select(func.max(AuditRun.revision)).where(
            (AuditRun.id == root) | (AuditRun.revision_of_id == root)
        )
    )
    if run.revision != latest:
        raise ValidationError.single(
            "id", f"Revision {latest} of {run.reference} exists: change that one."
        )
    if run.finished_on is None:
        raise ValidationError.single("id", f"{run.reference} is still a draft: change it directly.")
    new = AuditRun(
        reference=run.reference,
        template_id=run.template_id,
        template_version_id=run.template_version_id,
        audited_on=run.audited_on,
        auditor_id=run.auditor_id,
        scope_note=run.scope_note,
        answers=run.answers,
        summary=run.summary,
        revision=run.revision + 1,
        revision_of_id=root,
        revision_reason=reason.strip(),
        follow_up_of_id=run.follow_up_of_id,
    )
    s.add(new)
    s.flush()
    return new


@requires(Permission.EDIT_RECORDS, "sign off audits")
def sign_off_audit(
    db: Database,
    run_id: int,
    *,
    name: str,
    signed_on: dt.date | None,
    expected_version: int,
    today: dt.date,
) -> Changes:
    """The registered manager's sign-off of a finished audit."""
    with db.session() as s:
        sign_off_audit_in(
            s,
            run_id,
            name=name,
            signed_on=signed_on,
            expected_version=expected_version,
            today=today,
        )
        return Changes.of(AUDITS, ids=(run_id,))


@requires(Permission.EDIT_RECORDS, "sign off audits")
def sign_off_audit_in(
    s: Session,
    run_id: int,
    *,
    name: str,
    signed_on: dt.date | None,
    expected_version: int,
    today: dt.date,
) -> AuditRun:
    """The registered manager's sign-off inside an open session."""
    run = s.get(AuditRun, run_id)
    if run is None or run.archived_at is not None:
        raise ValidationError.single("id", "That audit no longer exists.")
    check_version(run, expected_version)
    problems: list[Problem | None] = [
        v.required("manager_signed_by", name, "The registered manager's name")
    ]
    if run.finished_on is None:
        problems.append(
            Problem("id", "Finish the audit before the registered manager signs it off.")
        )
    if signed_on is None:
        problems.append(Problem("manager_signed_on", "Enter the date of the sign-off."))
    problems.append(v.not_in_future("manager_signed_on", signed_on, today, "The sign-off date"))
    problems.append(
        v.not_before("manager_signed_on", signed_on, run.audited_on, "The sign-off", "the audit")
    )
    v.raise_if(problems)
    run.manager_signed_by = name.strip()
    run.manager_signed_on = signed_on
    return run


@requires(Permission.EDIT_RECORDS, "archive audits")
def archive_audit(db: Database, run_id: int, *, expected_version: int) -> Changes:
    """Remove an audit entered by mistake, every revision of it (kept in the change log).

    Actions it raised stay on the action plan.
    """
    with db.session() as s:
        run = s.get(AuditRun, run_id)
        if run is None:
            raise ValidationError.single("id", "That audit no longer exists.")
        check_version(run, expected_version)
        root = _root_id(run)
        now = utcnow()
        for each in s.scalars(
            select(AuditRun).where((AuditRun.id == root) | (AuditRun.revision_of_id == root))
        ):
            each.archived_at = now
        return Changes.of(AUDITS, ids=(run_id,))


def open_actions_count(s: Session, root_id: int) -> int:
    """Actions raised from an audit not yet done."""
    return int(
        s.scalar(
            select(func.count())
            .select_from(Action)
            .where(
                Action.audit_run_id == root_id,
                Action.completed_on.is_(None),
                Action.archived_at.is_(None),
            )
        )
        or 0
    )
