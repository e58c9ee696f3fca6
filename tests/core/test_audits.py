"""Audit templates, carrying out audits, locking and revisions, actions, programme and calendar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.actions.services import complete_action
from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import (
    AWAITING_SIGN_OFF,
    DRAFT,
    SIGNED_OFF,
    audit_calendar,
    audit_detail,
    audit_programme,
    list_audits,
    score_trend,
    template_detail,
)
from provider_desk.areas.audits.services import (
    AuditInput,
    FindingAction,
    TemplateInput,
    archive_audit,
    raise_finding_action,
    revise_audit,
    save_audit,
    save_template,
    sign_off_audit,
)
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, ValidationError
from provider_desk.resources import load_json, quality_statements
from provider_desk.rules.due import Level
from provider_desk.settings.services import set_audit_programme_start
from tests.conftest import TODAY, new_staff, settings_version, version_of

Y, N, NA = r.Answer("yes"), r.Answer("no", comment="Two gaps on the MAR"), r.Answer("na")


def _programme(db: Database, key: str) -> int:
    return next(p.template_id for p in audit_programme(db, TODAY) if p.key == key)


def _all(db: Database, template_id: int, answer: r.Answer = Y) -> dict[str, r.Answer]:
    detail = template_detail(db, template_id)
    assert detail is not None
    return {
        i.id: (r.Answer("score", score=4) if i.answer_type == "score" else answer)
        for i in detail.template.items
    }


def _items(db: Database, template_id: int) -> list[r.AuditItem]:
    detail = template_detail(db, template_id)
    assert detail is not None
    return list(detail.template.items)


def test_shipped_templates_are_real_and_linked_to_quality_statements(db: Database) -> None:
    spec = load_json("audit_templates.json")["templates"]
    keys = {t["key"] for t in spec}
    assert {
        "medication",
        "care-file",
        "ipc",
        "staff-file",
        "spot-check",
        "call-monitoring",
        "complaints",
        "health-safety",
        "information-governance",
    } <= keys
    known = {q.id for q in quality_statements()}
    assert len(known) == 34
    programme = audit_programme(db, TODAY)
    assert {p.key for p in programme} == keys
    for p in programme:
        items = _items(db, p.template_id)
        assert len(items) >= 10, p.name
        assert all(i.statements and set(i.statements) <= known for i in items), p.name
        assert len({i.id for i in items}) == len(items)
        assert p.status is Level.NOT_REQUIRED and p.next_due is None  # not started yet
    set_audit_programme_start(
        db, TODAY + dt.timedelta(days=30), expected_version=settings_version(db)
    )
    for p in audit_programme(db, TODAY):
        assert p.status is Level.IN_DATE and p.next_due == TODAY + dt.timedelta(days=30)
    set_audit_programme_start(db, TODAY, expected_version=settings_version(db))
    assert {p.status for p in audit_programme(db, TODAY)} == {Level.DUE_SOON}
    set_audit_programme_start(
        db, TODAY - dt.timedelta(days=1), expected_version=settings_version(db)
    )
    assert {p.status for p in audit_programme(db, TODAY)} == {Level.MISSING}


def test_score_is_weighted_percentage_of_applicable_items() -> None:
    t = r.Template(
        (
            r.AuditSection(
                "A",
                (
                    r.AuditItem("q1", "One", weight=2),
                    r.AuditItem("q2", "Two"),
                    r.AuditItem("q3", "Three"),
                    r.AuditItem("q4", "Score", answer_type="score", max_score=4),
                ),
            ),
        )
    )
    assert r.score(t, {}) is None
    answers = {"q1": Y, "q2": N, "q3": NA, "q4": r.Answer("score", score=2)}
    # met 2 + 0 + 0.5 of applicable 2 + 1 + 1
    assert r.score(t, answers) == 62.5
    assert r.is_failed(t.items[3], answers["q4"]) and r.is_failed(t.items[1], N)
    assert not r.is_failed(t.items[2], NA)
    assert r.answer_text(t.items[3], answers["q4"]) == "2 of 4"
    assert r.compare(t.items[1], N, Y) is r.Change.IMPROVED
    assert r.compare(t.items[0], Y, N) is r.Change.WORSE


def test_finish_needs_every_answer_and_a_comment_on_no(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    tid = _programme(db, "medication")
    items = _items(db, tid)
    answers = _all(db, tid)
    del answers[items[4].id]
    answers[items[0].id] = r.Answer("no")  # no comment
    data = AuditInput(tid, dt.date(2026, 11, 20), auditor, answers=answers)
    with pytest.raises(ValidationError) as err:
        save_audit(db, None, data, finish=True, today=TODAY, expected_version=None)
    text = err.value.message
    assert "1 question(s) not answered: 5" in text
    assert "Question 1 was not met: say what was found" in text
    assert list_audits(db) == []
    # The same answers save fine as a draft.
    run_id = save_audit(db, None, data, today=TODAY, expected_version=None).ids[0]
    (row,) = list_audits(db)
    assert row.id == run_id and row.status == DRAFT and row.reference == "AUD-2026-001"


def test_future_date_blank_auditor_and_action_without_owner_are_refused(db: Database) -> None:
    tid = _programme(db, "ipc")
    items = _items(db, tid)
    data = AuditInput(
        tid,
        TODAY + dt.timedelta(days=1),
        None,
        actions=(FindingAction(items[0].id, "Retrain", None, None),),
    )
    with pytest.raises(ValidationError) as err:
        save_audit(db, None, data, today=TODAY, expected_version=None)
    messages = [p.message for p in err.value.problems]
    assert any("in the future" in m for m in messages)
    assert "Choose who carried out the audit." in messages
    assert "Action 1: Every action needs an owner." in messages
    assert "Action 1: Every action needs a due date." in messages


def test_finished_audit_is_locked_and_revised_with_a_reason(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    tid = _programme(db, "ipc")
    items = _items(db, tid)
    answers = _all(db, tid)
    answers[items[1].id] = r.Answer("no", comment="Three carers overdue")
    data = AuditInput(tid, dt.date(2026, 11, 2), auditor, answers=answers)
    run_id = save_audit(db, None, data, finish=True, today=TODAY, expected_version=None).ids[0]
    (row,) = list_audits(db)
    assert row.status == AWAITING_SIGN_OFF and row.locked and row.failed == 1
    assert row.score is not None and row.score < 100
    with pytest.raises(ValidationError, match="locked: use Revise"):
        save_audit(
            db,
            run_id,
            data,
            finish=True,
            today=TODAY,
            expected_version=version_of(db, "AuditRun", run_id),
        )
    with pytest.raises(ValidationError, match="reason"):
        revise_audit(
            db, run_id, "  ", today=TODAY, expected_version=version_of(db, "AuditRun", run_id)
        )
    new_id = revise_audit(
        db,
        run_id,
        "Training matrix was out of date",
        today=TODAY,
        expected_version=version_of(db, "AuditRun", run_id),
    ).ids[0]
    answers[items[1].id] = Y
    save_audit(
        db,
        new_id,
        AuditInput(tid, row.audited_on, auditor, answers=answers),
        finish=True,
        today=TODAY,
        expected_version=version_of(db, "AuditRun", new_id),
    )
    (latest,) = list_audits(db)
    assert latest.id == new_id and latest.revision == 2 and latest.score == 100.0
    old = audit_detail(db, run_id, TODAY)
    assert old is not None and not old.is_latest and old.row.score == row.score
    detail = audit_detail(db, new_id, TODAY)
    assert detail is not None and [x.reason for x in detail.revisions][1] == (
        "Training matrix was out of date"
    )
    with pytest.raises(ValidationError, match="Revision 2"):
        revise_audit(
            db, run_id, "again", today=TODAY, expected_version=version_of(db, "AuditRun", run_id)
        )


def test_manager_sign_off(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    tid = _programme(db, "complaints")
    run_id = save_audit(
        db,
        None,
        AuditInput(tid, dt.date(2026, 11, 2), auditor, answers=_all(db, tid)),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    with pytest.raises(ValidationError, match="Finish the audit"):
        sign_off_audit(
            db,
            run_id,
            name="Jo Manager",
            signed_on=TODAY,
            today=TODAY,
            expected_version=version_of(db, "AuditRun", run_id),
        )
    save_audit(
        db,
        run_id,
        AuditInput(tid, dt.date(2026, 11, 2), auditor, answers=_all(db, tid)),
        finish=True,
        today=TODAY,
        expected_version=version_of(db, "AuditRun", run_id),
    )
    with pytest.raises(ValidationError, match="before the audit"):
        sign_off_audit(
            db,
            run_id,
            name="Jo",
            signed_on=dt.date(2026, 11, 1),
            today=TODAY,
            expected_version=version_of(db, "AuditRun", run_id),
        )
    sign_off_audit(
        db,
        run_id,
        name="Jo Manager",
        signed_on=TODAY,
        today=TODAY,
        expected_version=version_of(db, "AuditRun", run_id),
    )
    (row,) = list_audits(db)
    assert row.status == SIGNED_OFF and row.manager_signed_by == "Jo Manager"


def test_no_answers_raise_actions_on_the_plan_linked_to_the_audit(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    owner = new_staff(db, "Olu", "Owner")
    tid = _programme(db, "medication")
    items = _items(db, tid)
    answers = _all(db, tid)
    answers[items[2].id] = N
    data = AuditInput(
        tid,
        dt.date(2026, 11, 20),
        auditor,
        answers=answers,
        actions=(FindingAction(items[2].id, "Remind carers to sign every MAR", owner, TODAY),),
    )
    run_id = save_audit(db, None, data, finish=True, today=TODAY, expected_version=None).ids[0]
    raise_finding_action(
        db, run_id, FindingAction(items[2].id, "Check next month's MARs", owner, TODAY), today=TODAY
    )
    acts = [a for a in list_actions(db, TODAY) if a.source == "audit"]
    assert len(acts) == 2
    assert acts[0].source_ref.startswith("AUD-2026-001 Q3: Medication")
    (row,) = list_audits(db)
    assert (row.actions, row.open_actions) == (2, 2)
    complete_action(
        db,
        acts[0].id,
        completed_on=TODAY,
        evidence="Memo sent",
        today=TODAY,
        expected_version=version_of(db, "Action", acts[0].id),
    )
    (row,) = list_audits(db)
    assert row.open_actions == 1
    detail = audit_detail(db, run_id, TODAY)
    assert detail is not None and {a.item_id for a in detail.actions} == {items[2].id}


def test_reaudit_compares_with_the_first(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    tid = _programme(db, "medication")
    items = _items(db, tid)
    first_answers = _all(db, tid)
    first_answers[items[2].id] = N
    first = save_audit(
        db,
        None,
        AuditInput(tid, dt.date(2026, 10, 1), auditor, answers=first_answers),
        finish=True,
        today=TODAY,
        expected_version=None,
    ).ids[0]
    follow = save_audit(
        db,
        None,
        AuditInput(
            tid, dt.date(2026, 11, 1), auditor, answers=_all(db, tid), follow_up_of_id=first
        ),
        finish=True,
        today=TODAY,
        expected_version=None,
    ).ids[0]
    detail = audit_detail(db, follow, TODAY)
    assert detail is not None and detail.previous is not None
    assert detail.previous.reference == "AUD-2026-001"
    assert detail.row.follow_up_of == "AUD-2026-001"
    item = items[2]
    assert (
        r.compare(item, detail.previous_answers[item.id], detail.answers[item.id])
        is r.Change.IMPROVED
    )
    trend = score_trend(db, tid)
    assert [p.reference for p in trend] == ["AUD-2026-001", "AUD-2026-002"]
    assert trend[0].score < trend[1].score == 100.0
    other = _programme(db, "ipc")
    with pytest.raises(ValidationError, match="same kind"):
        save_audit(
            db,
            None,
            AuditInput(other, TODAY, auditor, follow_up_of_id=first),
            today=TODAY,
            expected_version=None,
        )


def test_programme_due_dates_and_calendar(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    med = _programme(db, "medication")  # monthly
    ipc = _programme(db, "ipc")  # quarterly
    save_audit(
        db,
        None,
        AuditInput(med, dt.date(2026, 9, 10), auditor, answers=_all(db, med)),
        finish=True,
        today=TODAY,
        expected_version=None,
    )
    save_audit(
        db,
        None,
        AuditInput(ipc, dt.date(2026, 9, 1), auditor, answers=_all(db, ipc)),
        finish=True,
        today=TODAY,
        expected_version=None,
    )
    rows = {p.key: p for p in audit_programme(db, TODAY)}
    assert rows["medication"].next_due == dt.date(2026, 10, 10)
    assert rows["medication"].status is Level.OVERDUE
    assert rows["ipc"].next_due == dt.date(2026, 12, 1)
    assert rows["ipc"].status is Level.DUE_SOON  # 8 days, window 14
    assert rows["medication"].last_score == 100.0
    assert rows["staff-file"].scope_text == "a sample of 5 staff files"
    cal = {c.name: c for c in audit_calendar(db, 2026, TODAY)}
    med_row = cal[rows["medication"].name]
    assert [a.reference for a in med_row.done[8]] == ["AUD-2026-001"]
    assert med_row.due[9] == ((dt.date(2026, 10, 10), "overdue"),)
    assert med_row.due[10] == ((dt.date(2026, 11, 10), "overdue"),)
    assert med_row.due[11] == ((dt.date(2026, 12, 10), "due"),)
    assert not med_row.due[8]  # the month it was done


def test_calendar_marks_late_audits_and_leaves_out_ones_done_on_time() -> None:
    done = [dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 4, 20)]
    marks = r.planned_dates(done, "monthly", 2026, dt.date(2026, 5, 1))
    assert (dt.date(2026, 2, 5), "late") not in marks  # done 1 Feb, before 5 Feb
    assert (dt.date(2026, 3, 1), "late") in marks  # due 1 Mar, done 20 Apr
    assert marks[-1] == (dt.date(2026, 12, 20), "due")
    assert (dt.date(2026, 5, 20), "due") in marks
    assert r.planned_dates([], "quarterly", 2026, dt.date(2026, 11, 23)) == []  # not started
    never = r.planned_dates(
        [], "quarterly", 2026, dt.date(2026, 11, 23), starts=dt.date(2026, 6, 1)
    )
    assert never == [
        (dt.date(2026, 6, 1), "overdue"),
        (dt.date(2026, 9, 1), "overdue"),
        (dt.date(2026, 12, 1), "due"),
    ]


def test_template_changes_are_new_versions_past_audits_keep_theirs(db: Database) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    tid = _programme(db, "ipc")
    detail = template_detail(db, tid)
    assert detail is not None
    run_id = save_audit(
        db,
        None,
        AuditInput(tid, TODAY, auditor, answers=_all(db, tid)),
        finish=True,
        today=TODAY,
        expected_version=None,
    ).ids[0]
    extra = r.AuditSection(
        "Extra", (r.AuditItem("", "Is there hand gel in every car?", statements=("safe-7",)),)
    )
    changed = TemplateInput(
        name=detail.name,
        frequency="monthly",
        scope="service",
        sections=r.Template((*detail.template.sections, extra)),
    )
    with pytest.raises(ValidationError, match="Say why they are changing"):
        save_template(db, tid, changed, expected_version=detail.row_version)
    save_template(
        db,
        tid,
        TemplateInput(**{**changed.__dict__, "change_reason": "Car hygiene added"}),
        expected_version=detail.row_version,
    )
    after = template_detail(db, tid)
    assert after is not None and [v.number for v in after.versions] == [1, 2]
    new_item = after.template.items[-1]
    assert new_item.id == f"q{len(detail.template.items) + 1}"
    assert after.frequency == "monthly"
    old = audit_detail(db, run_id, TODAY)
    assert old is not None and len(old.template.items) == len(detail.template.items)
    assert old.version_number == 1
    with pytest.raises(ConflictError):
        save_template(db, tid, changed, expected_version=detail.row_version)


def test_template_validation_lists_every_problem() -> None:
    from provider_desk.areas.audits.services import validate_template

    bad = TemplateInput(
        name=" ",
        frequency="fortnightly",
        scope="care files",
        sample_size=None,
        sections=r.Template(
            (r.AuditSection("S", (r.AuditItem("", " ", weight=0, statements=("nope",)),)),)
        ),
    )
    messages = [p.message for p in validate_template(bad)]
    assert "The template name is required." in messages
    assert any("How often" in m for m in messages)
    assert any("how many to sample" in m for m in messages)
    assert "Question 1: the question is blank." in messages
    assert any("weight is 1 to" in m for m in messages)
    assert "Question 1: unknown quality statement nope." in messages


def test_new_template_and_evidence_file(db: Database, tmp_path: Path) -> None:
    auditor = new_staff(db, "Rita", "Auditor")
    save_template(
        db,
        None,
        TemplateInput(
            name="Rota audit",
            frequency="yearly",
            sections=r.Template((r.AuditSection("Rota", (r.AuditItem("", "Enough staff?"),)),)),
        ),
        expected_version=None,
    )
    tid = _programme(db, "rota-audit")
    qid = _items(db, tid)[0].id
    evidence = tmp_path / "rota.pdf"
    evidence.write_bytes(b"%PDF-1.4 test")
    run_id = save_audit(
        db,
        None,
        AuditInput(tid, TODAY, auditor, answers={qid: Y}, files={qid: evidence}),
        finish=True,
        today=TODAY,
        expected_version=None,
    ).ids[0]
    detail = audit_detail(db, run_id, TODAY)
    assert detail is not None
    att = detail.answers[qid].attachment_id
    assert att is not None and detail.attachment_names[att] == "rota.pdf"
    archive_audit(db, run_id, expected_version=version_of(db, "AuditRun", run_id))
    assert list_audits(db) == []


def test_demo_has_a_year_of_audits_and_exports(db: Database, db_path: Path, tmp_path: Path) -> None:
    import csv
    import subprocess

    from provider_desk.areas.actions.queries import list_actions
    from provider_desk.cli import main
    from provider_desk.demo import generate

    counts = generate(db, today=TODAY)
    audits = list_audits(db)
    assert counts["audits"] == len(audits) >= 20
    assert {a.template for a in audits} == {p.name for p in audit_programme(db, TODAY)}
    assert any(a.follow_up_of for a in audits) and any(a.revision == 2 for a in audits)
    assert any(a.status == DRAFT for a in audits)
    statuses = {a.status for a in list_actions(db, TODAY) if a.source == "audit"}
    assert {"done", "overdue"} <= {str(s) for s in statuses}
    assert any(p.status is Level.OVERDUE for p in audit_programme(db, TODAY))
    refs = [a.reference for a in sorted(audits, key=lambda a: (a.audited_on, a.root_id))]
    assert refs == sorted(refs, key=lambda x: (x[4:8], x))  # numbered in date order

    out = tmp_path / "audits.csv"
    assert main(["export", "audits", "--database", str(db_path), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(audits)
    assert set(rows[0]) >= {"template", "audited_on", "auditor", "score_percent", "open_actions"}
    follow = next(a for a in audits if a.follow_up_of and a.finished_on)
    pdf = tmp_path / "report.pdf"
    code = main(
        ["export", "audit-report", follow.reference, "--database", str(db_path), "--out", str(pdf)]
    )
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert follow.reference in text
    assert re.search(rf"Re-audit of\s+{follow.follow_up_of}", text)
    assert "Since last" in text and "Registered manager" in text and "Page 1 of" in text
    assert (
        main(
            [
                "export",
                "audit-report",
                "AUD-1999-999",
                "--database",
                str(db_path),
                "--out",
                str(pdf),
            ]
        )
        == 2
    )


def test_audit_due_soon_window_is_a_setting(db: Database) -> None:
    from provider_desk.settings.services import SettingsInput, update_settings

    auditor = new_staff(db, "Rita", "Auditor")
    ipc = _programme(db, "ipc")
    save_audit(
        db,
        None,
        AuditInput(ipc, dt.date(2026, 9, 1), auditor, answers=_all(db, ipc)),
        finish=True,
        today=TODAY,
        expected_version=None,
    )
    assert {p.key: p for p in audit_programme(db, TODAY)}["ipc"].status is (Level.DUE_SOON)
    update_settings(
        db,
        SettingsInput("Meadowbank", audit_due_soon_days=5),
        expected_version=settings_version(db),
    )
    assert {p.key: p for p in audit_programme(db, TODAY)}["ipc"].status is (Level.IN_DATE)
    with pytest.raises(ValidationError, match="audit window"):
        update_settings(
            db,
            SettingsInput("Meadowbank", audit_due_soon_days=0),
            expected_version=settings_version(db),
        )


def _pdf_text(pdf: Path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_audit_report_is_assembled_from_the_database_section_by_section(
    db: Database, tmp_path: Path
) -> None:
    from provider_desk.areas.audits.report_pdf import audit_report

    tid = _programme(db, "ipc")
    auditor = new_staff(db, "Rita", "Auditor")
    answers = _all(db, tid)
    first_item = _items(db, tid)[0].id
    answers[first_item] = N
    data = AuditInput(tid, dt.date(2026, 10, 1), auditor, answers=answers, summary="One gap.")
    first = save_audit(db, None, data, finish=True, today=TODAY, expected_version=None).ids[0]
    pdf = audit_report(db, first, tmp_path / "first.pdf", TODAY)
    text = _pdf_text(pdf)
    order = ["audit report", "Summary", "One gap.", "CQC quality statements"]
    order += ["Actions raised from this audit", "None.", "Sign-off", "Registered manager"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Two gaps on the MAR" in text
    assert "Re-audit of" not in text and "Since last" not in text
    assert "Score trend for this audit" not in text and "Revisions" not in text
    # A re-audit compares with last time and shows the trend so far.
    again = AuditInput(
        tid, dt.date(2026, 11, 1), auditor, answers=_all(db, tid), follow_up_of_id=first
    )
    second = save_audit(db, None, again, finish=True, today=TODAY, expected_version=None).ids[0]
    text = _pdf_text(audit_report(db, second, tmp_path / "second.pdf", TODAY))
    assert re.search(r"Re-audit of\s+AUD-2026-001", text)
    assert "Since last" in text and "Score trend for this audit" in text
    with pytest.raises(ValidationError) as err:
        audit_report(db, 9999, tmp_path / "none.pdf", TODAY)
    assert err.value.problems[0].field == "id"


def test_audit_setup_new_continued_and_reaudit(db: Database) -> None:
    from provider_desk.areas.audits.queries import audit_setup, draft_to_continue

    tid = _programme(db, "ipc")
    auditor = new_staff(db, "Rita", "Auditor")
    new = audit_setup(db, TODAY, template_id=tid)
    current = template_detail(db, tid)
    assert current is not None
    assert (new.template_id, new.template_name, new.scope) == (tid, current.name, current.scope)
    assert new.version_number == current.versions[-1].number
    assert new.template == current.template and new.detail is None and new.previous is None
    assert [c.id for c in new.staff] == [auditor] and new.people == ()
    assert draft_to_continue(list_audits(db), tid) is None
    first = save_audit(
        db,
        None,
        AuditInput(tid, TODAY, auditor, answers=_all(db, tid)),
        finish=True,
        today=TODAY,
        expected_version=None,
    ).ids[0]
    draft = save_audit(
        db, None, AuditInput(tid, TODAY, auditor), today=TODAY, expected_version=None
    ).ids[0]
    assert draft_to_continue(list_audits(db), tid).id == draft  # type: ignore[union-attr]
    assert draft_to_continue(list_audits(db), _programme(db, "medication")) is None
    carry_on = audit_setup(db, TODAY, run_id=draft)
    assert carry_on.template_id == tid and carry_on.detail is not None
    assert carry_on.detail.row.id == draft
    again = audit_setup(db, TODAY, template_id=tid, follow_up_id=first)
    assert again.previous is not None and again.previous.row.id == first
