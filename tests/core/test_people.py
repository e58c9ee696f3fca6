"""People we support: details, NHS numbers, versioned care plans, reviews, risks and goals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.people import rules
from provider_desk.areas.people.queries import (
    care_plans,
    care_reviews,
    compare_plans,
    goals,
    list_people,
    person_detail,
    reablement_summary,
    risk_assessments,
)
from provider_desk.areas.people.services import (
    CarePlanInput,
    GoalInput,
    PersonInput,
    ReviewAction,
    ReviewInput,
    RiskInput,
    archive_record,
    record_review,
    save_care_plan,
    save_goal,
    save_person,
    save_risk,
)
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, ValidationError
from provider_desk.rules.due import Level
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, settings_version, version_of

START = dt.date(2026, 3, 2)


def add_person(db: Database, first: str = "Mary", last: str = "Brown", **kw: object) -> int:
    data = PersonInput(first, last, kw.pop("start_date", START), **kw)  # type: ignore[arg-type]
    return save_person(db, None, data, today=TODAY, expected_version=None).ids[0]


def plan(**kw: object) -> CarePlanInput:
    base: dict[str, object] = {
        "effective_from": START,
        "sections": {"personal care": {"needs": "Help to shower", "preferences": "Mornings"}},
        "visits": (rules.Visit(("Mon", "Tue", "Wed", "Thu", "Fri"), "08:00", 45, 1),),
        "consent_by": "person",
        "consent_on": START,
    }
    base.update(kw)
    return CarePlanInput(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765919", True),
        ("4010232137", True),
        ("943 476 5918", False),  # wrong check digit
        ("123456789", False),  # nine digits
        ("94347659190", False),
        ("ABC4765919", False),
    ],
)
def test_nhs_number_modulus_11(text: str, ok: bool) -> None:
    assert (rules.nhs_number_problem("nhs_number", text) is None) is ok


def test_person_details_are_validated_and_duplicates_refused(db: Database) -> None:
    pid = add_person(db, nhs_number="943-476-5919", date_of_birth=dt.date(1938, 4, 2))
    (row,) = list_people(db, TODAY)
    assert (row.reference, row.nhs_number, row.status) == ("P-0001", "943 476 5919", "active")
    bad = PersonInput(
        "",
        "Smith",
        dt.date(2026, 5, 1),
        nhs_number="943 476 5918",
        date_of_birth=dt.date(1890, 1, 1),
        end_date=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as err:
        save_person(db, None, bad, today=TODAY, expected_version=None)
    messages = " | ".join(p.message for p in err.value.problems)
    assert "First name is required." in messages
    assert "not a valid NHS number" in messages
    assert "over 120 years ago" in messages
    assert "The end date (1 Apr 2026) is before the start date" in messages
    future = PersonInput("Baby", "Future", START, date_of_birth=TODAY + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="in the future"):
        save_person(db, None, future, today=TODAY, expected_version=None)
    with pytest.raises(ValidationError, match="already recorded for Mary Brown"):
        save_person(
            db,
            None,
            PersonInput("Other", "One", START, nhs_number="9434765919"),
            today=TODAY,
            expected_version=None,
        )
    with pytest.raises(ValidationError, match="already recorded"):
        save_person(
            db,
            None,
            PersonInput("mary", "BROWN", START, date_of_birth=dt.date(1938, 4, 2)),
            today=TODAY,
            expected_version=None,
        )
    detail = person_detail(db, pid, TODAY)
    assert detail is not None
    # Ending the service archives the person: off the everyday list, still there when asked.
    ended = PersonInput(
        "Mary",
        "Brown",
        START,
        status="ended",
        end_date=dt.date(2026, 11, 1),
        nhs_number="9434765919",
    )
    save_person(db, pid, ended, expected_version=detail.row.version, today=TODAY)
    assert list_people(db, TODAY) == []
    assert [p.status for p in list_people(db, TODAY, include_ended=True)] == ["ended"]
    with pytest.raises(ConflictError):
        save_person(db, pid, ended, expected_version=detail.row.version, today=TODAY)


def test_plans_are_versioned_and_old_versions_never_change(db: Database) -> None:
    pid = add_person(db)
    (row,) = list_people(db, TODAY)
    assert row.review_status is Level.MISSING and row.needs_attention
    save_care_plan(db, pid, plan(), today=TODAY)
    with pytest.raises(ValidationError, match="already has a current plan"):
        save_care_plan(db, pid, plan(), today=TODAY)
    with pytest.raises(ValidationError, match="Say why the plan is changing"):
        save_care_plan(db, pid, plan(), based_on=1, today=TODAY)
    changed = plan(
        effective_from=dt.date(2026, 6, 1),
        change_reason="Back from hospital: needs two carers",
        sections={
            "personal care": {"needs": "Help to shower and dress", "preferences": "Mornings"},
            "mobility": {"needs": "Hoist for transfers"},
        },
        visits=(rules.Visit(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "08:00", 45, 2),),
    )
    save_care_plan(db, pid, changed, based_on=1, today=TODAY)
    # A second PC still editing version 1 cannot overwrite version 2.
    with pytest.raises(ConflictError, match=r"^Changed by test\.manager .*saved version 2"):
        save_care_plan(db, pid, changed, based_on=1, today=TODAY)
    v1, v2 = care_plans(db, pid)
    assert (v1.number, v1.is_current, v2.number, v2.is_current) == (1, False, 2, True)
    assert v1.planned_hours == 3.8 and v2.planned_hours == 10.5
    assert v1.sections["personal care"]["needs"] == "Help to shower"
    diff = {d.what: d for d in compare_plans(v1, v2)}
    assert diff["Personal care: Needs"].after == "Help to shower and dress"
    assert diff["Mobility and moving and handling: Needs"].before == ""
    assert "10.5 hours a week" in diff["Planned visits"].after
    assert "Personal care: Their preferences" not in diff
    (row,) = list_people(db, TODAY)
    assert (row.plan_number, row.planned_hours, row.consent_recorded) == (2, 10.5, True)


def test_plan_validation(db: Database) -> None:
    pid = add_person(db)
    bad = plan(
        effective_from=dt.date(2026, 2, 1),
        review_due=dt.date(2026, 1, 1),
        consent_by="representative",
        consent_on=TODAY + dt.timedelta(days=1),
        mca_needed=True,
        visits=(rules.Visit(("Mon",), "8am", 2, 1),),
    )
    with pytest.raises(ValidationError) as err:
        save_care_plan(db, pid, bad, today=TODAY)
    messages = " | ".join(p.message for p in err.value.problems)
    assert "before Mary Brown's start of care" in messages
    assert "The review date (1 Jan 2026) is before the plan (1 Feb 2026)." in messages
    assert "The representative's name is required." in messages
    assert "Record the outcome of the mental capacity assessment." in messages
    assert "Visit 1: the time is like 08:30." in messages
    assert "Visit 1: the length is 5 minutes" in messages
    assert "consent date" in messages
    lacks = plan(mca_needed=True, mca_outcome="lacks capacity")
    with pytest.raises(ValidationError, match="best-interests decision"):
        save_care_plan(db, pid, lacks, today=TODAY)
    with pytest.raises(ValidationError, match="at least one section"):
        save_care_plan(db, pid, plan(sections={}), today=TODAY)


def test_review_dates_first_at_six_weeks_then_the_interval(db: Database) -> None:
    owner = new_staff(db, "Olu", "Owner")
    pid = add_person(db, start_date=dt.date(2026, 10, 26))
    save_care_plan(db, pid, plan(effective_from=dt.date(2026, 10, 26)), today=TODAY)
    (row,) = list_people(db, TODAY)
    assert row.review_due == dt.date(2026, 12, 7)  # six weeks after care started
    assert row.review_status is Level.DUE_SOON  # 14 days away; window 28
    old = add_person(db, "Ken", "Old", start_date=dt.date(2025, 1, 6))
    save_care_plan(db, old, plan(effective_from=dt.date(2025, 1, 6)), today=TODAY)
    row = next(r for r in list_people(db, TODAY) if r.id == old)
    assert row.review_status is Level.OVERDUE
    with pytest.raises(ValidationError) as err:
        record_review(db, old, ReviewInput(TODAY + dt.timedelta(days=2), "", ""), today=TODAY)
    assert len(err.value.problems) == 3
    record_review(
        db,
        old,
        ReviewInput(
            dt.date(2026, 1, 15),
            "Ken, daughter, care co-ordinator",
            "Plan working well",
            actions=(ReviewAction("Order a new key safe", owner, dt.date(2026, 2, 15)),),
        ),
        today=TODAY,
    )
    row = next(r for r in list_people(db, TODAY) if r.id == old)
    assert row.review_due == dt.date(2027, 1, 15) and row.last_review == dt.date(2026, 1, 15)
    assert row.review_status is Level.IN_DATE
    (review,) = care_reviews(db, old)
    assert review.plan_number == 1
    assert not row.plan_needs_update
    # A review that finds needs have changed flags the plan until a new version is written.
    record_review(
        db, old, ReviewInput(TODAY, "Ken", "Needs more help", needs_changed=True), today=TODAY
    )
    row = next(r for r in list_people(db, TODAY) if r.id == old)
    assert row.plan_needs_update and row.needs_attention
    save_care_plan(
        db, old, plan(effective_from=TODAY, change_reason="More help"), based_on=1, today=TODAY
    )
    row = next(r for r in list_people(db, TODAY) if r.id == old)
    assert not row.plan_needs_update
    (action,) = list_actions(db, TODAY)
    assert action.source == "care review" and action.source_ref == "P-0002 review 15 Jan 2026"


def test_plan_review_rule_which_event_starts_which_clock() -> None:
    due = rules.plan_review_due
    start = dt.date(2026, 1, 5)
    first = start + dt.timedelta(weeks=6)
    # Long-term: 6 weeks after the start of care; a new version without a review does not move it.
    assert due(start_date=start, reviews=[], interval_months=12) == first
    assert due(start_date=start, reviews=[], interval_months=12, plan_from=dt.date(2026, 2, 1)) == (
        first
    )
    # Then the interval from the latest review, never more than 12 months (NICE QS123 st. 5).
    review = dt.date(2026, 2, 10)
    assert due(start_date=start, reviews=[review], interval_months=6) == dt.date(2026, 8, 10)
    assert due(start_date=start, reviews=[review], interval_months=24) == dt.date(2027, 2, 10)
    # A date set by hand on the plan wins until a review after the plan answers it.
    hand = dt.date(2026, 5, 22)
    kw = {"start_date": start, "interval_months": 12, "override": hand}
    assert due(reviews=[], plan_from=dt.date(2026, 4, 1), **kw) == hand  # type: ignore[arg-type]
    assert due(reviews=[dt.date(2026, 5, 20)], plan_from=dt.date(2026, 4, 1), **kw) == (  # type: ignore[arg-type]
        dt.date(2027, 5, 20)
    )
    # Reablement: no 6-week-then-yearly rule; reviewed at the end of the reablement period.
    end = start + dt.timedelta(weeks=rules.REABLEMENT_PERIOD_WEEKS)
    assert due(start_date=start, reviews=[], interval_months=12, service_type="reablement") == end
    assert due(
        start_date=start, reviews=[end], interval_months=12, service_type="reablement"
    ) == end + dt.timedelta(weeks=rules.REABLEMENT_PERIOD_WEEKS)  # period extended at the review
    agreed = dt.date(2026, 3, 30)  # the real end of this person's period, set on the plan
    assert (
        due(
            start_date=start,
            reviews=[],
            interval_months=12,
            plan_from=start,
            override=agreed,
            service_type="reablement",
        )
        == agreed
    )


def test_a_new_version_after_a_review_leaves_no_stale_review_date(db: Database) -> None:
    """The demo's P-0045 case: a hand-set review date on the plan, a review held, then a new
    version: the person is not left overdue since the old date."""
    start = dt.date(2026, 4, 10)
    pid = add_person(db, start_date=start)
    save_care_plan(
        db, pid, plan(effective_from=start, review_due=dt.date(2026, 5, 22)), today=TODAY
    )
    (row,) = list_people(db, TODAY)
    assert (row.review_due, row.review_status) == (dt.date(2026, 5, 22), Level.OVERDUE)
    record_review(db, pid, ReviewInput(dt.date(2026, 5, 20), "Mary", "Going well"), today=TODAY)
    (row,) = list_people(db, TODAY)
    assert (row.review_due, row.review_status) == (dt.date(2027, 5, 20), Level.IN_DATE)
    save_care_plan(
        db,
        pid,
        plan(effective_from=dt.date(2026, 6, 1), change_reason="Tea call later"),
        based_on=1,
        today=TODAY,
    )
    (row,) = list_people(db, TODAY)
    assert (row.review_due, row.review_status) == (dt.date(2027, 5, 20), Level.IN_DATE)


def test_reablement_is_reviewed_at_the_end_of_its_period_not_at_six_weeks_then_yearly(
    db: Database,
) -> None:
    start = TODAY - dt.timedelta(days=30)
    pid = add_person(db, start_date=start, service_type="reablement")
    save_care_plan(db, pid, plan(effective_from=start, consent_on=start), today=TODAY)
    record_review(db, pid, ReviewInput(TODAY, "Mary, OT", "Progressing"), today=TODAY)
    (row,) = list_people(db, TODAY)
    # Long-term care would now be due in 12 months; reablement at the end of the next period.
    assert row.review_due == TODAY + dt.timedelta(weeks=6)


def test_care_plan_reviews_at_least_every_12_months(db: Database) -> None:
    update_settings(
        db,
        SettingsInput("Meadowbank", care_plan_review_months=12),
        expected_version=settings_version(db),
    )
    with pytest.raises(ValidationError, match="1 to 12 months") as err:
        update_settings(
            db,
            SettingsInput("Meadowbank", care_plan_review_months=13),
            expected_version=settings_version(db),
        )
    assert err.value.problems[0].field == "care_plan_review_months"


def test_risks_goals_and_reablement_figures(db: Database) -> None:
    assessor = new_staff(db, "Rita", "Assessor")
    pid = add_person(
        db, service_type="reablement", reablement_start_hours=14, reablement_end_hours=3.5
    )
    add_person(
        db,
        "Ann",
        "Able",
        service_type="reablement",
        reablement_start_hours=7,
        reablement_end_hours=0,
    )
    with pytest.raises(ValidationError) as err:
        save_risk(
            db, pid, None, RiskInput("dragons", 6, 0, "", None), today=TODAY, expected_version=None
        )
    assert len(err.value.problems) == 5
    save_risk(
        db,
        pid,
        None,
        RiskInput(
            "falls",
            4,
            4,
            "Frame within reach; pendant alarm",
            dt.date(2025, 10, 1),
            assessed_by_id=assessor,
        ),
        today=TODAY,
        expected_version=None,
    )
    (risk,) = risk_assessments(db, TODAY, person_id=pid)
    assert (risk.score, risk.level, risk.review_due) == (16, "high", dt.date(2026, 10, 1))
    assert risk.review_status is Level.OVERDUE and risk.assessed_by == "Rita Assessor"
    row = next(r for r in list_people(db, TODAY) if r.id == pid)
    assert (row.risks_overdue, row.high_risks, row.needs_attention) == (1, 1, True)
    save_risk(
        db,
        pid,
        risk.id,
        RiskInput("falls", 2, 4, "Frame; alarm; OT visit done", TODAY),
        expected_version=risk.version,
        today=TODAY,
    )
    (risk,) = risk_assessments(db, TODAY, person_id=pid)
    assert risk.level == "medium" and risk.review_status is Level.IN_DATE
    with pytest.raises(ValidationError, match="target date"):
        save_goal(
            db,
            pid,
            None,
            GoalInput("Make a cup of tea", TODAY, target_date=START),
            today=TODAY,
            expected_version=None,
        )
    save_goal(
        db,
        pid,
        None,
        GoalInput("Shower without help", START, "Needs help of one"),
        today=TODAY,
        expected_version=None,
    )
    (goal,) = goals(db, pid)
    save_goal(
        db,
        pid,
        goal.id,
        GoalInput("Shower without help", START, outcome="achieved"),
        expected_version=goal.version,
        today=TODAY,
    )
    assert goals(db, pid)[0].outcome == "achieved"
    summary = reablement_summary(db)
    assert (summary.finished, summary.less_care, summary.no_ongoing_care) == (2, 1, 1)
    assert (summary.hours_at_start, summary.hours_at_end) == (21.0, 3.5)
    archive_record(db, "risk", risk.id, expected_version=version_of(db, "risk", risk.id))
    assert risk_assessments(db, TODAY, person_id=pid) == []


def test_import_people_checks_nhs_numbers_per_row_and_is_idempotent(
    db: Database, tmp_path: Path
) -> None:
    from provider_desk.areas.people.imports import import_people

    sheet = tmp_path / "clients.csv"
    sheet.write_text(
        "Client ref,Client name,DOB,NHS No,Start of care,Funding,Postcode\n"
        'C001,"Brown, Mary",02/04/1938,943 476 5919,01/03/2026,LA,an1 2bc\n'
        "C002,John Smith,01/01/1950,943 476 5918,01/03/2026,Private,\n"
        "C003,Ann Jones,01/01/2030,,01/03/2026,,\n"
        "C004,Ken Patel,31/02/1940,,01/03/2026,,\n"
        "C005,Zoë Kowalska,03/03/1941,401 023 2137,15/06/2025,Direct payment,\n",
        encoding="utf-8",
    )
    dry = import_people(db, sheet, dry_run=True, today=TODAY)
    assert (dry.imported, len(dry.skipped)) == (2, 3)
    assert list_people(db, TODAY) == []
    report = import_people(db, sheet, today=TODAY)
    reasons = {s.where: s.reason for s in report.skipped}
    assert "not a valid NHS number" in reasons["line 3"]
    assert "Date of birth" in reasons["line 4"] and "in the future" in reasons["line 4"]
    assert "Date of birth" in reasons["line 5"]
    people = {p.reference: p for p in list_people(db, TODAY)}
    assert set(people) == {"C001", "C005"}
    assert people["C001"].funding == "local authority" and people["C001"].postcode == "AN1 2BC"
    assert people["C005"].funding == "direct payment" and people["C005"].first_name == "Zoë"
    again = import_people(db, sheet, today=TODAY)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)


def test_nhs_numbers_from_number_cells_get_their_leading_zeros_back(
    db: Database, tmp_path: Path
) -> None:
    import openpyxl

    from provider_desk.areas.people.imports import import_people

    assert rules.nhs_number_from_cell(123456789) == "0123456789"
    assert rules.nhs_number_from_cell(12345679.0) == "0012345679"
    assert rules.nhs_number_from_cell("123456789") == "123456789"  # text is taken as written
    problem = rules.nhs_number_problem("nhs_number", "123456789")
    assert problem is not None
    assert "has 10 digits" in problem.message and "this has 9" in problem.message
    assert "leading zeros may have been lost" in problem.message
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Client ref", "First name", "Last name", "NHS No", "Start of care"])
    sheet.append(["C001", "Mary", "Brown", 123456789, "01/03/2026"])  # was 012 345 6789
    sheet.append(["C002", "John", "Smith", 400000008, "01/03/2026"])  # was 040 000 0008
    path = tmp_path / "clients.xlsx"
    book.save(path)
    report = import_people(db, path, today=TODAY)
    assert (report.imported, report.skipped) == (2, [])
    numbers = {p.reference: p.nhs_number for p in list_people(db, TODAY)}
    assert numbers == {"C001": "012 345 6789", "C002": "040 000 0008"}


def test_exports_cli_and_demo(db: Database, db_path: Path, tmp_path: Path) -> None:
    import csv
    import subprocess

    from provider_desk.cli import main
    from provider_desk.demo import generate

    counts = generate(db, today=TODAY)
    people = list_people(db, TODAY, include_ended=True)
    assert len(people) == counts["people"] >= 40
    assert {p.service_type for p in people} == {"long-term", "reablement"}
    current = [p for p in people if p.status != "ended"]
    statuses = {p.review_status for p in current}
    assert Level.OVERDUE in statuses and Level.MISSING in statuses
    assert any(p.plan_number and p.plan_number > 2 for p in people)
    assert any(not p.consent_recorded and p.plan_number for p in current)
    assert any(p.risks_overdue for p in current)
    assert reablement_summary(db).finished > 0
    out = tmp_path / "plans.csv"
    assert main(["export", "care-plans", "--database", str(db_path), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {"person_reference", "version", "effective_from", "review_due", "status"} <= set(rows[0])
    assert {r["status"] for r in rows} >= {"current", "superseded"}
    assert all(r["review_due"] == "" for r in rows if r["status"] == "superseded")
    people_csv = tmp_path / "people.csv"
    assert main(["export", "people", "--database", str(db_path), "--out", str(people_csv)]) == 0
    # The export reads back in unchanged.
    from provider_desk.areas.people.imports import import_people

    back = import_people(db, people_csv, dry_run=True, today=TODAY)
    assert back.skipped == [] and back.imported == 0
    with_plan = next(p for p in current if p.plan_number and p.plan_number > 1)
    pdf = tmp_path / "plan.pdf"
    args = ["export", "care-plan", with_plan.reference, "--database", str(db_path)]
    assert main([*args, "--out", str(pdf)]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Care plan — {with_plan.first_name}" in text and "Current plan" in text
    assert "Consent and capacity" in text and "Page 1 of" in text
    assert main([*args, "--version", "1", "--out", str(pdf)]) == 0
    assert (
        "Superseded"
        in subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert main([*args, "--version", "99", "--out", str(pdf)]) == 2


def test_printed_care_plan_reads_the_person_risks_and_goals_section_by_section(
    db: Database, tmp_path: Path
) -> None:
    import subprocess

    from provider_desk.areas.people.care_plan_pdf import print_care_plan

    pid = add_person(db, nhs_number="943 476 5919")
    save_care_plan(db, pid, plan(), today=TODAY)
    (current,) = care_plans(db, pid)
    pdf = print_care_plan(db, pid, current, tmp_path / "plan.pdf", TODAY)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    order = ["Care plan — Mary Brown", "943 476 5919", "Planned visits", "Help to shower"]
    order += ["Consent and capacity", "Signatures"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Risk assessments" not in text and "Goals" not in text
    save_risk(
        db,
        pid,
        None,
        RiskInput("falls", 4, 4, "Pendant alarm", TODAY),
        today=TODAY,
        expected_version=None,
    )
    save_goal(
        db, pid, None, GoalInput("Shower without help", START), today=TODAY, expected_version=None
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(print_care_plan(db, pid, current, pdf, TODAY)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    order = ["Consent and capacity", "Risk assessments", "Pendant alarm", "Goals"]
    order += ["Shower without help", "Signatures"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_importing_someone_of_a_name_already_there_says_so(db: Database, tmp_path: Path) -> None:
    from provider_desk.areas.people.imports import import_people

    path = tmp_path / "people.csv"
    path.write_text("Name,Start date\nMary Brown,01/03/2026\n", encoding="utf-8")
    first = import_people(db, path, today=TODAY)
    assert first.imported == 1 and first.notices == []
    again = import_people(db, path, today=TODAY)
    assert again.imported == 1
    (notice,) = again.notices
    assert notice.startswith("line 2: there is already Mary Brown (P-")
    assert "started 1 Mar 2026); this row adds another" in notice
