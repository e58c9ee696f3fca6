"""Retention: the rule per record type, the past-retention list on a fixed day, the reviewed purge
(exactly what was chosen, with what belongs to it, logged), and who may do it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from provider_desk.areas.actions.models import Action
from provider_desk.areas.audits.models import AuditRun
from provider_desk.areas.complaints.models import Complaint, ComplaintEvent, Compliment
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import RecruitmentCheck, StaffMember
from provider_desk.areas.supervision.models import SupervisionRecord
from provider_desk.areas.training.models import CareCertificateStandard, TrainingRecord
from provider_desk.auth.roles import Actor, Role
from provider_desk.db.changelog import verify_chain
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, PermissionDenied, ValidationError
from provider_desk.models.attachment import Attachment
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.privacy.retention import past_retention, purge_past_retention
from provider_desk.rules import retention as r
from provider_desk.settings.retention import retention_settings, update_retention
from tests.conftest import TODAY
from tests.core.privacy_world import World, build

D = dt.date


# ----------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("event", "months", "until"),
    [
        (D(2016, 2, 29), 12, D(2017, 2, 28)),  # 29 Feb: no 29 Feb next year
        (D(2016, 2, 29), 48, D(2020, 2, 29)),  # ... but four years on there is
        (D(2016, 2, 29), 96, D(2024, 2, 29)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # month end into a leap February
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2020, 8, 31), 72, D(2026, 8, 31)),
        (D(2020, 10, 31), 13, D(2021, 11, 30)),  # 31st into a 30-day month
        (D(2019, 12, 31), 72, D(2025, 12, 31)),  # year end
    ],
)
def test_kept_until_clamps_to_month_end(event: D, months: int, until: D) -> None:
    assert r.kept_until(event, months) == until


def test_past_retention_from_the_day_after_it_ends() -> None:
    ended = D(2016, 2, 29)
    assert not r.is_past_retention(ended, 12, D(2017, 2, 28))
    assert r.is_past_retention(ended, 12, D(2017, 3, 1))
    assert not r.is_past_retention(None, 12, D(2099, 1, 1))  # still in care: never


def test_words() -> None:
    assert r.months_text(96) == "8 years"
    assert r.months_text(18) == "1 year 6 months"
    assert r.months_text(1) == "1 month"
    assert r.span_text(D(2024, 2, 29), D(2026, 11, 23)) == "2 years 8 months"
    assert r.span_text(D(2026, 11, 1), D(2026, 11, 13)) == "12 days"
    assert r.span_text(D(2026, 1, 31), D(2026, 2, 28)) == "1 month"


# ------------------------------------------------------------------------------ settings


def _shown(db: Database) -> dict[str, int | None]:
    """The versions a form opened now would show."""
    return {x.key: x.version for x in retention_settings(db)}


def test_defaults_come_from_the_migration_with_their_source(db: Database) -> None:
    rows = {row.key: row for row in retention_settings(db)}
    assert set(rows) == {t.key for t in r.TYPES}
    for row in rows.values():
        assert row.months == row.default_months  # the migration wrote §9.3's defaults
        assert "§9.3" in row.source and "UNCONFIRMED" in row.source
    assert rows[r.PEOPLE].period == "8 years after end of care"
    assert rows[r.STAFF].period == "6 years after leaving date"
    assert rows[r.AUDITS].period == "3 years after audit finished"


def test_manager_changes_a_period_and_bad_ones_are_refused(db: Database) -> None:
    update_retention(db, {r.COMPLAINTS: 36}, expected_versions=_shown(db))
    assert {x.key: x.months for x in retention_settings(db)}[r.COMPLAINTS] == 36
    with pytest.raises(ValidationError) as exc:
        update_retention(db, {r.PEOPLE: 6, "letters": 24}, expected_versions=_shown(db))
    fields = {p.field for p in exc.value.problems}
    assert fields == {r.PEOPLE, "letters"}
    assert {x.key: x.months for x in retention_settings(db)}[r.PEOPLE] == 96


def test_a_period_changed_since_the_form_opened_is_not_put_back(db: Database) -> None:
    opened = _shown(db)
    update_retention(db, {r.COMPLAINTS: 36}, expected_versions=opened)
    # A second form opened before that save still shows complaints at 72 months.
    stale = {t.key: t.default_months for t in r.TYPES} | {r.PEOPLE: 120}
    with pytest.raises(ConflictError, match=r"Changed by .* reload to see their changes"):
        update_retention(db, stale, expected_versions=opened)
    months = {x.key: x.months for x in retention_settings(db)}
    assert months[r.COMPLAINTS] == 36 and months[r.PEOPLE] == 96  # nothing of it was saved
    # Opened again, it saves; a period given without the version it was shown at is a bug.
    update_retention(db, stale | {r.COMPLAINTS: 36}, expected_versions=_shown(db))
    assert {x.key: x.months for x in retention_settings(db)}[r.PEOPLE] == 120
    with pytest.raises(TypeError, match="people"):
        update_retention(db, {r.PEOPLE: 96}, expected_versions={})


# ------------------------------------------------------------------------------ the list


@pytest.fixture
def world(db: Database) -> World:
    return build(db)


def _keys(db: Database, day: D) -> set[tuple[str, int]]:
    return {p.key for p in past_retention(db, day)}


def test_past_retention_list_on_a_fixed_day(db: Database, world: World) -> None:
    items = {p.key: p for p in past_retention(db, TODAY)}
    assert set(items) == {
        (r.PEOPLE, world.peter),
        (r.STAFF, world.lucy),
        (r.STAFF, world.harry),
        (r.COMPLAINTS, world.old_complaint),
        (r.COMPLIMENTS, world.old_compliment),
        (r.AUDITS, world.old_audit),
    }
    peter = items[(r.PEOPLE, world.peter)]
    assert peter.what == "Peter Past (P-0001)"
    assert peter.event_on == D(2016, 2, 29)
    assert peter.kept_until == D(2024, 2, 29)
    assert peter.retention == "8 years after end of care"
    assert peter.past_by == "2 years 8 months"
    assert peter.includes == "1 care plan version, 1 review, 1 risk assessment, 1 goal, 1 action"
    audit = items[(r.AUDITS, world.old_audit)]
    assert audit.event_on == D(2021, 2, 28)  # the latest revision's finish
    assert audit.includes == "1 revision, 1 action"
    lucy = items[(r.STAFF, world.lucy)]
    assert lucy.can_purge and lucy.kept_until == D(2025, 5, 31)
    assert "1 training record" in lucy.includes and "1 supervision record" in lucy.includes
    harry = items[(r.STAFF, world.harry)]
    assert not harry.can_purge and "supervisor in 1 session of other staff" in harry.held
    # Longest past first.
    listed = past_retention(db, TODAY)
    assert [p.days_past for p in listed] == sorted((p.days_past for p in listed), reverse=True)


def test_boundaries_move_with_the_day_and_the_settings(db: Database, world: World) -> None:
    edna = (r.PEOPLE, world.edna)  # care ended 23 Nov 2018, kept 8 years: until TODAY
    assert edna not in _keys(db, TODAY)
    assert edna in _keys(db, TODAY + dt.timedelta(days=1))
    peter = (r.PEOPLE, world.peter)  # ended 29 Feb 2016
    # 10 years 9 months: until 30 Nov 2026.
    update_retention(db, {r.PEOPLE: 129}, expected_versions=_shown(db))
    assert peter not in _keys(db, TODAY)
    assert peter in _keys(db, D(2026, 12, 1))
    # A leaver's register entry waits for the longest of staff, training and supervision.
    update_retention(db, {r.SUPERVISION: 10 * 12}, expected_versions=_shown(db))
    assert (r.STAFF, world.lucy) not in _keys(db, TODAY)
    assert (r.TRAINING, world.lucy) in _keys(db, TODAY)  # training may go on its own
    assert (r.SUPERVISION, world.lucy) not in _keys(db, TODAY)


# ----------------------------------------------------------------------------- the purge


def _count(db: Database, model: type, **where: object) -> int:
    with db.reading() as s:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return int(s.scalar(q) or 0)


def _snapshot(db: Database) -> dict[str, set[int]]:
    with db.reading() as s:
        return {
            m.__tablename__: set(s.scalars(select(m.id)))
            for m in (
                Person,
                CarePlan,
                CareReview,
                RiskAssessment,
                Goal,
                StaffMember,
                RecruitmentCheck,
                TrainingRecord,
                CareCertificateStandard,
                SupervisionRecord,
                Complaint,
                ComplaintEvent,
                Compliment,
                AuditRun,
                Action,
                Attachment,
            )
        }


def test_purge_removes_exactly_the_reviewed_records_and_what_belongs_to_them(
    db: Database, world: World, db_path: Path
) -> None:
    before = _snapshot(db)
    chosen = [p.key for p in past_retention(db, TODAY) if p.can_purge]
    result = purge_past_retention(db, chosen, today=TODAY)
    after = _snapshot(db)
    gone = {t: before[t] - after[t] for t in before}
    assert all(after[t] <= before[t] for t in before)  # nothing added
    assert gone["person"] == {world.peter}
    assert len(gone["care_plan"]) == len(gone["care_review"]) == 1
    assert len(gone["risk_assessment"]) == len(gone["goal"]) == 1
    assert gone["staff_member"] == {world.lucy}  # Harry is held
    assert len(gone["training_record"]) == len(gone["recruitment_check"]) == 1
    assert len(gone["care_certificate_standard"]) == len(gone["supervision_record"]) == 1
    assert gone["complaint"] == {world.old_complaint}
    assert len(gone["complaint_event"]) == 1
    assert gone["compliment"] == {world.old_compliment}
    assert len(gone["audit_run"]) == 2  # the audit and its revision, not the follow-up
    # Actions: Peter's review, Lucy's session, the old complaint and the old audit.
    assert len(gone["action"]) == 4
    # Lucy's DBS scan and the audit's photo go; the certificate Cathy shares stays.
    assert gone["attachment"] == {world.lucy_check_file, world.audit_file}
    assert result.records == 5
    assert result.rows == sum(len(v) for v in gone.values())
    assert result.files == 2

    # Kept records lose the link to Lucy, not themselves.
    with db.reading() as s:
        assert s.get(Person, world.nora).key_worker_id is None  # type: ignore[union-attr]
        assert s.get(StaffMember, world.cathy).line_manager_id is None  # type: ignore[union-attr]
        assert s.get(Complaint, world.open_complaint).staff_concerned_id is None  # type: ignore[union-attr]
        assert s.get(AuditRun, world.follow_up_audit).follow_up_of_id is None  # type: ignore[union-attr]
        nora_risk = s.scalar(select(RiskAssessment).where(RiskAssessment.person_id == world.nora))
        assert nora_risk is not None and nora_risk.assessed_by_id is None
        # Logged: one delete entry per deleted row, and the summary naming the reviewer.
        deletes = s.scalar(
            select(func.count())
            .select_from(ChangeLogEntry)
            .where(ChangeLogEntry.action == "delete")
        )
        assert deletes == result.rows
        summary = s.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "purge"))
        assert summary is not None and summary.who == "test.manager"
        body = json.loads(summary.changes)
        assert body["summary"][1] == ("purged 5 records past retention, reviewed by test.manager")
        assert any("Peter Past (P-0001)" in line for line in body["records"][1])
        person_delete = s.scalar(
            select(ChangeLogEntry).where(
                ChangeLogEntry.action == "delete",
                ChangeLogEntry.table_name == "person",
                ChangeLogEntry.row_id == world.peter,
            )
        )
        assert person_delete is not None
        assert json.loads(person_delete.changes)["last_name"] == ["Past", None]
        assert verify_chain(s) is None
    db.dispose()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _keys(db, TODAY) == {(r.STAFF, world.harry)}


def test_purge_of_one_record_leaves_every_other(db: Database, world: World) -> None:
    before = _snapshot(db)
    purge_past_retention(db, [(r.COMPLIMENTS, world.old_compliment)], today=TODAY)
    after = _snapshot(db)
    assert {t for t in before if before[t] != after[t]} == {"compliment"}
    assert before["compliment"] - after["compliment"] == {world.old_compliment}
    assert len(_keys(db, TODAY)) == 5


def test_purge_refuses_what_is_not_past_or_is_held_and_deletes_nothing(
    db: Database, world: World
) -> None:
    before = _snapshot(db)
    for keys in (
        [(r.COMPLIMENTS, world.old_compliment), (r.PEOPLE, world.nora)],  # Nora is in care
        [(r.COMPLIMENTS, world.old_compliment), (r.STAFF, world.harry)],  # held
        [(r.PEOPLE, world.edna)],  # kept until today
        [],
    ):
        with pytest.raises(ValidationError):
            purge_past_retention(db, keys, today=TODAY)
    assert _snapshot(db) == before
    assert _count(db, ChangeLogEntry, action="purge") == 0


def test_only_the_manager_may_purge_or_change_periods(db: Database, world: World) -> None:
    for role in (Role.COORDINATOR, Role.FIELD_SUPERVISOR, Role.READ_ONLY):
        other = Database(db.url, actor=Actor(7, "Olive Office", role))
        try:
            with pytest.raises(PermissionDenied, match=r"Your role \(.*\) cannot purge"):
                purge_past_retention(other, [(r.COMPLIMENTS, world.old_compliment)], today=TODAY)
            with pytest.raises(PermissionDenied):
                update_retention(other, {r.PEOPLE: 120}, expected_versions=_shown(db))
            assert len(past_retention(other, TODAY)) == 6  # reading the list is allowed
        finally:
            other.dispose()
    assert _count(db, Compliment, id=world.old_compliment) == 1
    assert {x.key: x.months for x in retention_settings(db)}[r.PEOPLE] == 96
