"""The audit programme, audits done, one audit in full, score trends and the year's calendar.

Scores and statuses are computed here from the answers, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.rules import ActionStatus, action_status
from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.models import AuditRun, AuditTemplate, AuditTemplateVersion
from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import Choice, staff_choices_in
from provider_desk.db.session import Database
from provider_desk.rules.due import Level
from provider_desk.settings.queries import get_settings_in

DRAFT = "draft"
AWAITING_SIGN_OFF = "awaiting sign-off"
SIGNED_OFF = "signed off"


@dataclass(frozen=True)
class ProgrammeRow:
    """One template in the programme: how often, what was found last time, when next due."""

    template_id: int
    key: str
    name: str
    description: str
    frequency: str
    scope: str
    sample_size: int | None
    version_number: int
    questions: int
    last_done: dt.date | None
    last_score: float | None
    last_reference: str
    next_due: dt.date | None  # None: the programme has not started (see programme_start)
    status: Level  # missing reads "never done"
    drafts: int
    row_version: int

    @property
    def scope_text(self) -> str:
        """The scope in words: a sample of 5 care files, or the whole service."""
        if self.scope == "service" or not self.sample_size:
            return r.SCOPES.get(self.scope, self.scope)
        return f"a sample of {self.sample_size} {self.scope}"


@dataclass(frozen=True)
class AuditRow:
    """One audit (its latest revision) in the list of audits done."""

    id: int
    root_id: int
    reference: str
    revision: int
    template_id: int
    template: str
    audited_on: dt.date
    auditor_id: int
    auditor: str
    scope_note: str
    score: float | None
    failed: int
    status: str
    finished_on: dt.date | None
    manager_signed_by: str
    manager_signed_on: dt.date | None
    open_actions: int
    actions: int
    follow_up_of: str
    version: int

    @property
    def locked(self) -> bool:
        """Finished audits are read-only; a change is a new revision."""
        return self.finished_on is not None


@dataclass(frozen=True)
class FindingActionRow:
    """An action raised from one question of an audit."""

    id: int
    item_id: str
    description: str
    owner: str
    due_on: dt.date
    completed_on: dt.date | None
    status: ActionStatus


@dataclass(frozen=True)
class RevisionRow:
    """One revision of an audit: when it was made and why."""

    id: int
    revision: int
    reason: str
    finished_on: dt.date | None


@dataclass(frozen=True)
class AuditDetail:
    """An audit in full, for the audit window and the printed report."""

    row: AuditRow
    template: r.Template
    version_number: int
    answers: dict[str, r.Answer]
    summary: str
    actions: tuple[FindingActionRow, ...]
    revisions: tuple[RevisionRow, ...]
    is_latest: bool
    attachment_names: dict[int, str]
    previous: AuditRow | None  # the audit this one re-audits
    previous_answers: dict[str, r.Answer]
    previous_template: r.Template | None


def _name(first: str, last: str) -> str:
    return f"{first} {last}"


@dataclass
class _Loaded:
    runs: list[tuple[AuditRun, str, str]]
    templates: dict[int, AuditTemplate]
    versions: dict[int, r.Template]
    version_numbers: dict[int, int]
    current: dict[int, int]  # template id -> id of its current version
    actions: dict[int, list[Action]]


def _load(s: Session) -> _Loaded:
    templates = {t.id: t for t in s.scalars(select(AuditTemplate))}
    versions: dict[int, r.Template] = {}
    numbers: dict[int, int] = {}
    current: dict[int, int] = {}
    for vid, tid, number, text in s.execute(
        select(
            AuditTemplateVersion.id,
            AuditTemplateVersion.template_id,
            AuditTemplateVersion.number,
            AuditTemplateVersion.sections,
        )
    ):
        versions[vid] = r.parse_sections(text)
        numbers[vid] = number
        if number == templates[tid].current_version:
            current[tid] = vid
    runs = [
        (run, first, last)
        for run, first, last in s.execute(
            select(AuditRun, StaffMember.first_name, StaffMember.last_name)
            .join(StaffMember, StaffMember.id == AuditRun.auditor_id)
            .where(AuditRun.archived_at.is_(None))
            .order_by(AuditRun.audited_on, AuditRun.id)
        )
    ]
    actions: dict[int, list[Action]] = defaultdict(list)
    for a in s.scalars(
        select(Action).where(Action.audit_run_id.is_not(None), Action.archived_at.is_(None))
    ):
        assert a.audit_run_id is not None
        actions[a.audit_run_id].append(a)
    return _Loaded(runs, templates, versions, numbers, current, actions)


def _latest(runs: list[tuple[AuditRun, str, str]]) -> list[tuple[AuditRun, str, str]]:
    """Only the latest revision of each audit, in date order."""
    best: dict[int, tuple[AuditRun, str, str]] = {}
    for entry in runs:
        root = entry[0].revision_of_id or entry[0].id
        if root not in best or entry[0].revision > best[root][0].revision:
            best[root] = entry
    return sorted(best.values(), key=lambda e: (e[0].audited_on, e[0].id))


def _row(run: AuditRun, first: str, last: str, loaded: _Loaded, refs: dict[int, str]) -> AuditRow:
    template = loaded.versions[run.template_version_id]
    answers = r.parse_answers(run.answers)
    root = run.revision_of_id or run.id
    acts = loaded.actions.get(root, [])
    if run.finished_on is None:
        status = DRAFT
    elif run.manager_signed_on is None:
        status = AWAITING_SIGN_OFF
    else:
        status = SIGNED_OFF
    return AuditRow(
        id=run.id,
        root_id=root,
        reference=run.reference,
        revision=run.revision,
        template_id=run.template_id,
        template=loaded.templates[run.template_id].name,
        audited_on=run.audited_on,
        auditor_id=run.auditor_id,
        auditor=_name(first, last),
        scope_note=run.scope_note,
        score=r.score(template, answers),
        failed=sum(1 for i in template.items if r.is_failed(i, answers.get(i.id))),
        status=status,
        finished_on=run.finished_on,
        manager_signed_by=run.manager_signed_by,
        manager_signed_on=run.manager_signed_on,
        open_actions=sum(1 for a in acts if a.completed_on is None),
        actions=len(acts),
        follow_up_of=refs.get(run.follow_up_of_id, "") if run.follow_up_of_id else "",
        version=run.version,
    )


def _audit_rows(loaded: _Loaded) -> list[AuditRow]:
    refs = {run.id: run.reference for run, _, _ in loaded.runs}
    return [_row(run, first, last, loaded, refs) for run, first, last in _latest(loaded.runs)]


def list_audits_in(s: Session, *, template_id: int | None = None) -> list[AuditRow]:
    """As :func:`list_audits`, reading inside the session ``s``."""
    loaded = _load(s)
    return [a for a in _audit_rows(loaded) if template_id is None or a.template_id == template_id]


def list_audits(db: Database, *, template_id: int | None = None) -> list[AuditRow]:
    """Every audit (latest revision of each), oldest first."""
    with db.reading() as s:
        return list_audits_in(s, template_id=template_id)


def programme_start(setting: dt.date | None, audits: list[AuditRow]) -> dt.date | None:
    """When the audit programme started: the date set in the settings, else the first finished
    audit's date; None while neither (a new programme: nothing is due yet)."""
    if setting is not None:
        return setting
    finished = [a.audited_on for a in audits if a.finished_on is not None]
    return min(finished) if finished else None


def _programme(
    loaded: _Loaded,
    audits: list[AuditRow],
    today: dt.date,
    window: int,
    starts: dt.date | None = None,
) -> list[ProgrammeRow]:
    rows_by_template: dict[int, list[AuditRow]] = defaultdict(list)
    for a in audits:
        rows_by_template[a.template_id].append(a)
    out = []
    for tpl in sorted(loaded.templates.values(), key=lambda t: t.name.lower()):
        if tpl.archived_at is not None:
            continue
        done = [a for a in rows_by_template[tpl.id] if a.finished_on is not None]
        last = done[-1] if done else None
        due = r.programme_due(
            last.audited_on if last else None,
            tpl.frequency,
            today=today,
            window_days=window,
            starts=starts,
        )
        out.append(
            ProgrammeRow(
                template_id=tpl.id,
                key=tpl.key,
                name=tpl.name,
                description=tpl.description,
                frequency=tpl.frequency,
                scope=tpl.scope,
                sample_size=tpl.sample_size,
                version_number=tpl.current_version,
                questions=len(loaded.versions[loaded.current[tpl.id]].items),
                last_done=last.audited_on if last else None,
                last_score=last.score if last else None,
                last_reference=last.reference if last else "",
                next_due=due.due_on,
                status=due.level,
                drafts=sum(1 for a in rows_by_template[tpl.id] if a.finished_on is None),
                row_version=tpl.version,
            )
        )
    return out


def audit_programme_in(s: Session, today: dt.date) -> list[ProgrammeRow]:
    """As :func:`audit_programme`, reading inside the session ``s``."""
    settings = get_settings_in(s)
    loaded = _load(s)
    audits = _audit_rows(loaded)
    starts = programme_start(settings.audit_programme_start, audits)
    return _programme(loaded, audits, today, settings.audit_due_soon_days, starts)


def audit_programme(db: Database, today: dt.date) -> list[ProgrammeRow]:
    """Every template in use with its last finished audit and when the next is due."""
    with db.reading() as s:
        return audit_programme_in(s, today)


def audit_detail_in(s: Session, run_id: int, today: dt.date) -> AuditDetail | None:
    """As :func:`audit_detail`, reading inside the session ``s``."""
    window = get_settings_in(s).due_soon_days
    loaded = _load(s)
    by_id = {run.id: (run, first, last) for run, first, last in loaded.runs}
    if run_id not in by_id:
        return None
    refs = {run.id: run.reference for run, _, _ in loaded.runs}
    run, first, last = by_id[run_id]
    root = run.revision_of_id or run.id
    chain = sorted(
        (e[0] for e in loaded.runs if (e[0].revision_of_id or e[0].id) == root),
        key=lambda x: x.revision,
    )
    answers = r.parse_answers(run.answers)
    attachment_ids = {a.attachment_id for a in answers.values() if a.attachment_id}
    names: dict[int, str] = {}
    if attachment_ids:
        from provider_desk.models.attachment import Attachment

        names = dict(
            s.execute(
                select(Attachment.id, Attachment.filename).where(Attachment.id.in_(attachment_ids))
            ).all()
        )
    owners = dict(
        s.execute(
            select(StaffMember.id, StaffMember.first_name + " " + StaffMember.last_name)
        ).all()
    )
    previous = previous_template = None
    previous_answers: dict[str, r.Answer] = {}
    if run.follow_up_of_id is not None:
        latest_prev = [
            e
            for e in _latest(loaded.runs)
            if e[0].id == run.follow_up_of_id or e[0].revision_of_id == run.follow_up_of_id
        ]
        if latest_prev:
            prev_run, pf, pl = latest_prev[0]
            previous = _row(prev_run, pf, pl, loaded, refs)
            previous_answers = r.parse_answers(prev_run.answers)
            previous_template = loaded.versions[prev_run.template_version_id]
    acts = tuple(
        FindingActionRow(
            id=a.id,
            item_id=a.audit_item,
            description=a.description,
            owner=owners.get(a.owner_id, ""),
            due_on=a.due_on,
            completed_on=a.completed_on,
            status=action_status(a.due_on, a.completed_on, today, window),
        )
        for a in sorted(loaded.actions.get(root, []), key=lambda a: (a.due_on, a.id))
    )
    return AuditDetail(
        row=_row(run, first, last, loaded, refs),
        template=loaded.versions[run.template_version_id],
        version_number=loaded.version_numbers[run.template_version_id],
        answers=answers,
        summary=run.summary,
        actions=acts,
        revisions=tuple(
            RevisionRow(x.id, x.revision, x.revision_reason, x.finished_on) for x in chain
        ),
        is_latest=chain[-1].id == run.id,
        attachment_names=names,
        previous=previous,
        previous_answers=previous_answers,
        previous_template=previous_template,
    )


def audit_detail(db: Database, run_id: int, today: dt.date) -> AuditDetail | None:
    """One audit revision in full, with the audit it re-audits for comparison."""
    with db.reading() as s:
        return audit_detail_in(s, run_id, today)


@dataclass(frozen=True)
class TrendPoint:
    """One finished audit's score, for the trend chart."""

    audited_on: dt.date
    score: float
    reference: str


def score_trend_in(s: Session, template_id: int) -> list[TrendPoint]:
    """As :func:`score_trend`, reading inside the session ``s``."""
    return [
        TrendPoint(a.audited_on, a.score, a.reference)
        for a in list_audits_in(s, template_id=template_id)
        if a.finished_on is not None and a.score is not None
    ]


def score_trend(db: Database, template_id: int) -> list[TrendPoint]:
    """Finished audits of a template with their scores, oldest first."""
    with db.reading() as s:
        return score_trend_in(s, template_id)


@dataclass(frozen=True)
class CalendarRow:
    """A template's year: audits done and due dates, by month (index 0 = January)."""

    template_id: int
    name: str
    frequency: str
    done: tuple[tuple[AuditRow, ...], ...]
    due: tuple[tuple[tuple[dt.date, str], ...], ...]  # (date, "due" / "overdue" / "late")


def _calendar(
    programme: list[ProgrammeRow],
    audits: list[AuditRow],
    year: int,
    today: dt.date,
    starts: dt.date | None = None,
) -> list[CalendarRow]:
    out = []
    for p in programme:
        finished = [a for a in audits if a.template_id == p.template_id and a.finished_on]
        done: list[list[AuditRow]] = [[] for _ in range(12)]
        for a in finished:
            if a.audited_on.year == year:
                done[a.audited_on.month - 1].append(a)
        due: list[list[tuple[dt.date, str]]] = [[] for _ in range(12)]
        dates = [a.audited_on for a in finished]
        for d, state in r.planned_dates(dates, p.frequency, year, today, starts):
            due[d.month - 1].append((d, state))
        out.append(
            CalendarRow(
                p.template_id,
                p.name,
                p.frequency,
                tuple(tuple(x) for x in done),
                tuple(tuple(x) for x in due),
            )
        )
    return out


def audit_calendar_in(s: Session, year: int, today: dt.date) -> list[CalendarRow]:
    """As :func:`audit_calendar`, reading inside the session ``s``."""
    return audit_overview_in(s, year, today).calendar


def audit_calendar(db: Database, year: int, today: dt.date) -> list[CalendarRow]:
    """The audit calendar for ``year``: for each template, what was done and what is due when."""
    with db.reading() as s:
        return audit_calendar_in(s, year, today)


@dataclass(frozen=True)
class AuditOverview:
    """Everything the Audits page shows, read in one pass."""

    programme: list[ProgrammeRow]
    audits: list[AuditRow]
    calendar: list[CalendarRow]
    starts: dt.date | None = None  # when the programme started (None: not started yet)
    settings_version: int = 0  # the settings row's version, for setting the start


def audit_overview_in(s: Session, year: int, today: dt.date) -> AuditOverview:
    """As :func:`audit_overview`, reading inside the session ``s``."""
    settings = get_settings_in(s)
    loaded = _load(s)
    audits = _audit_rows(loaded)
    starts = programme_start(settings.audit_programme_start, audits)
    programme = _programme(loaded, audits, today, settings.audit_due_soon_days, starts)
    return AuditOverview(
        programme,
        audits,
        _calendar(programme, audits, year, today, starts),
        starts,
        settings.version,
    )


def audit_overview(db: Database, year: int, today: dt.date) -> AuditOverview:
    """The programme, every audit and the calendar for ``year`` from one read."""
    with db.reading() as s:
        return audit_overview_in(s, year, today)


@dataclass(frozen=True)
class TemplateVersionRow:
    """One version of a template's questions."""

    number: int
    reason: str
    created_at: dt.datetime
    audits: int


@dataclass(frozen=True)
class TemplateDetail:
    """A template for the editor: its settings, current questions and versions."""

    id: int
    name: str
    description: str
    frequency: str
    scope: str
    sample_size: int | None
    template: r.Template
    versions: tuple[TemplateVersionRow, ...]
    row_version: int


def template_detail_in(s: Session, template_id: int) -> TemplateDetail | None:
    """As :func:`template_detail`, reading inside the session ``s``."""
    tpl = s.get(AuditTemplate, template_id)
    if tpl is None:
        return None
    versions = list(
        s.scalars(
            select(AuditTemplateVersion)
            .where(AuditTemplateVersion.template_id == template_id)
            .order_by(AuditTemplateVersion.number)
        )
    )
    used: dict[int, int] = defaultdict(int)
    for vid in s.scalars(
        select(AuditRun.template_version_id).where(AuditRun.template_id == template_id)
    ):
        used[vid] += 1
    current = next(x for x in versions if x.number == tpl.current_version)
    return TemplateDetail(
        id=tpl.id,
        name=tpl.name,
        description=tpl.description,
        frequency=tpl.frequency,
        scope=tpl.scope,
        sample_size=tpl.sample_size,
        template=r.parse_sections(current.sections),
        versions=tuple(
            TemplateVersionRow(x.number, x.change_reason, x.created_at, used[x.id])
            for x in versions
        ),
        row_version=tpl.version,
    )


def template_detail(db: Database, template_id: int) -> TemplateDetail | None:
    """A template with its current questions and the history of its versions."""
    with db.reading() as s:
        return template_detail_in(s, template_id)


@dataclass(frozen=True)
class AuditSetup:
    """What the audit window needs to start or continue an audit."""

    template_id: int
    template_name: str
    template: r.Template
    version_number: int
    scope: str
    sample_size: int | None
    staff: tuple[Choice, ...]
    detail: AuditDetail | None = None  # an audit already started or finished
    people: tuple[str, ...] = ()  # "P-0004 Mary Brown", for sampling care files
    previous: AuditDetail | None = None  # the audit being re-audited


def audit_setup_in(
    s: Session,
    today: dt.date,
    *,
    template_id: int | None = None,
    run_id: int | None = None,
    follow_up_id: int | None = None,
) -> AuditSetup:
    """As :func:`audit_setup`, reading inside the session ``s``."""
    detail = audit_detail_in(s, run_id, today) if run_id is not None else None
    previous = audit_detail_in(s, follow_up_id, today) if follow_up_id is not None else None
    tid = detail.row.template_id if detail else template_id
    assert tid is not None
    tpl = template_detail_in(s, tid)
    assert tpl is not None
    return AuditSetup(
        template_id=tid,
        template_name=tpl.name,
        template=detail.template if detail else tpl.template,
        version_number=detail.version_number if detail else tpl.versions[-1].number,
        scope=tpl.scope,
        sample_size=tpl.sample_size,
        staff=tuple(staff_choices_in(s)),
        detail=detail,
        previous=previous,
    )


def audit_setup(
    db: Database,
    today: dt.date,
    *,
    template_id: int | None = None,
    run_id: int | None = None,
    follow_up_id: int | None = None,
) -> AuditSetup:
    """Set up an audit: a new one of ``template_id`` (with its current questions), the audit
    ``run_id`` already started or finished (with the questions it was done against), or a
    re-audit of ``follow_up_id``; with the staff who may carry it out. ``people`` is left empty:
    the People area fills it for care-file audits."""
    with db.reading() as s:
        return audit_setup_in(
            s, today, template_id=template_id, run_id=run_id, follow_up_id=follow_up_id
        )


def draft_to_continue(audits: Sequence[AuditRow], template_id: int) -> AuditRow | None:
    """The draft of this template to carry on with instead of starting another (the last one
    listed), or None."""
    drafts = [a for a in audits if a.template_id == template_id and a.status == DRAFT]
    return drafts[-1] if drafts else None
