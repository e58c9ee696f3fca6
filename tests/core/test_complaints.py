"""Complaints: working-day deadlines, statuses, the timeline, letters, the summary, logs."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import pytest

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.actions.services import AgreedAction
from provider_desk.areas.complaints.exports import (
    export_complaints,
    export_compliments,
    summary_csv,
    summary_pdf,
)
from provider_desk.areas.complaints.imports import import_complaints, import_compliments
from provider_desk.areas.complaints.letters import fill_letter, letter_pdf
from provider_desk.areas.complaints.queries import (
    complaint_timeline,
    complaints_summary,
    letter_templates,
    list_complaints,
    list_compliments,
)
from provider_desk.areas.complaints.rules import (
    ComplaintStatus,
    add_working_days,
    working_days_between,
)
from provider_desk.areas.complaints.services import (
    ComplaintInput,
    ComplimentInput,
    save_complaint,
    save_compliment,
    save_letter_template,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.rules.due import Level
from provider_desk.settings.queries import get_settings
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, letter_version, new_staff, settings_version, version_of

BASE = ComplaintInput(
    dt.date(2026, 11, 2),
    "Mrs Jean Brown",
    "Carer arrived 90 minutes late",
    complainant_relation="daughter",
    category="missed or late visit",
)


def only(db: Database) -> object:
    (row,) = list_complaints(db, TODAY)
    return row


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 20), 3, dt.date(2026, 11, 25)),  # Friday: skips the weekend
        (dt.date(2026, 12, 23), 3, dt.date(2026, 12, 30)),  # Christmas, Boxing Day (observed)
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7)),  # Good Friday and Easter Monday
        (dt.date(2026, 11, 2), 20, dt.date(2026, 11, 30)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(
    start: dt.date, days: int, expected: dt.date
) -> None:
    assert add_working_days(start, days) == expected
    assert working_days_between(start, expected) == days


def test_new_complaint_gets_reference_deadlines_and_status(db: Database) -> None:
    save_complaint(db, BASE, today=TODAY, expected_version=None)
    c = only(db)
    assert c.reference == "CMP-2026-001"
    assert (c.acknowledgement_due, c.response_due) == (dt.date(2026, 11, 5), dt.date(2026, 11, 30))
    assert c.status == ComplaintStatus.ACK_OVERDUE
    save_complaint(
        db,
        dataclasses.replace(BASE, complainant_name="Mr Patel"),
        today=TODAY,
        expected_version=None,
    )
    assert {r.reference for r in list_complaints(db, TODAY)} == {"CMP-2026-001", "CMP-2026-002"}


def test_progress_statuses_and_timeline(db: Database) -> None:
    boss = new_staff(db, "Joanna", "Whitfield")
    save_complaint(db, BASE, today=TODAY, expected_version=None)
    c = only(db)
    save_complaint(
        db,
        dataclasses.replace(BASE, acknowledged_on=dt.date(2026, 11, 4), investigator_id=boss),
        c.id,
        expected_version=c.version,
        today=TODAY,
    )
    assert only(db).status == ComplaintStatus.INVESTIGATING
    assert only(db).acknowledged_on_time
    extended = dataclasses.replace(
        BASE,
        acknowledged_on=dt.date(2026, 11, 4),
        response_due_extended_to=dt.date(2026, 12, 11),
        extension_reason="Waiting for the GP's reply; agreed with Mrs Brown",
        new_step="Phoned Mrs Brown",
    )
    save_complaint(
        db, extended, c.id, today=TODAY, expected_version=version_of(db, "Complaint", c.id)
    )
    assert only(db).response_due == dt.date(2026, 12, 11)
    closed = dataclasses.replace(
        extended,
        responded_on=dt.date(2026, 11, 20),
        outcome="upheld",
        apology_given=True,
        closed_on=dt.date(2026, 11, 23),
        new_step="",
        lessons_learned="Rota checks added",
        actions=(AgreedAction("Audit late calls weekly", boss, dt.date(2026, 12, 31)),),
    )
    save_complaint(
        db, closed, c.id, today=TODAY, expected_version=version_of(db, "Complaint", c.id)
    )
    row = only(db)
    assert (row.status, row.responded_on_time) == (ComplaintStatus.CLOSED, True)
    steps = [e.what for e in complaint_timeline(db, c.id)]
    assert steps[0] == "Received (phone)"
    assert "Acknowledged" in steps and "Full response sent" in steps and "Closed" in steps
    assert any(s.startswith("Response date extended to 11 Dec 2026: Waiting") for s in steps)
    assert "Phoned Mrs Brown" in steps
    assert all(e.who == "test.manager" for e in complaint_timeline(db, c.id))
    (action,) = list_actions(db, TODAY)
    assert (action.source, action.source_ref) == ("complaint", "CMP-2026-001")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"received_on": TODAY + dt.timedelta(days=1)}, "received_on", "in the future"),
        ({"acknowledged_on": dt.date(2026, 11, 1)}, "acknowledged_on", "before the date received"),
        (
            {"acknowledged_on": dt.date(2026, 11, 10), "responded_on": dt.date(2026, 11, 5)},
            "responded_on",
            "before the acknowledgement",
        ),
        ({"responded_on": dt.date(2026, 11, 5)}, "acknowledged_on", "before the response"),
        (
            {
                "acknowledged_on": dt.date(2026, 11, 3),
                "responded_on": dt.date(2026, 11, 5),
                "closed_on": dt.date(2026, 11, 6),
            },
            "outcome",
            "before closing",
        ),
        ({"response_due_extended_to": dt.date(2026, 12, 20)}, "extension_reason", "Say why"),
        ({"complainant_name": " "}, "complainant_name", "required"),
    ],
)
def test_bad_input_is_refused(
    db: Database, change: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        save_complaint(db, dataclasses.replace(BASE, **change), today=TODAY, expected_version=None)  # type: ignore[arg-type]
    assert any(p.field == field and words in p.message for p in info.value.problems), (
        info.value.problems
    )
    assert list_complaints(db, TODAY) == []


def test_deadlines_follow_the_settings(db: Database) -> None:
    save_complaint(db, BASE, today=TODAY, expected_version=None)
    update_settings(
        db,
        SettingsInput(
            "Meadowbank", complaint_ack_working_days=5, complaint_response_working_days=28
        ),
        expected_version=settings_version(db),
    )
    c = only(db)
    assert (c.acknowledgement_due, c.response_due) == (dt.date(2026, 11, 9), dt.date(2026, 12, 10))


def test_letters_from_editable_templates(db: Database, tmp_path: Path) -> None:
    update_settings(
        db,
        SettingsInput(
            "Meadowbank Home Care",
            registered_manager="Joanna Whitfield",
            address="Unit 4, Canal Wharf",
        ),
        expected_version=settings_version(db),
    )
    save_complaint(
        db,
        dataclasses.replace(BASE, complainant_address="1 High St\nAnytown"),
        today=TODAY,
        expected_version=None,
    )
    c, org = only(db), get_settings(db)
    text = fill_letter(letter_templates(db)["acknowledgement"], c, org, TODAY)
    assert "Dear Mrs Jean Brown" in text and "CMP-2026-001" in text
    assert "by 30 Nov 2026" in text and "Local Government and Social Care Ombudsman" in text
    pdf = letter_pdf(text, tmp_path / "ack.pdf", org, c, TODAY)
    out = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Meadowbank Home Care" in out and "1 High St" in out and "Joanna Whitfield" in out
    with pytest.raises(ValidationError) as info:
        save_letter_template(
            db,
            "acknowledgement",
            "Dear {complainant}, ...",
            expected_version=letter_version(db, "acknowledgement"),
        )
    assert "Unknown placeholder" in info.value.message
    save_letter_template(
        db,
        "acknowledgement",
        "Dear {complainant_name}, thanks.",
        expected_version=letter_version(db, "acknowledgement"),
    )
    assert letter_templates(db)["acknowledgement"] == "Dear {complainant_name}, thanks."


@pytest.mark.parametrize(
    ("funding", "named", "not_named"),
    [
        ("self-funded", ["Local Government and Social Care Ombudsman"], ["Health Service"]),
        ("direct payment", ["Local Government and Social Care Ombudsman"], ["Health Service"]),
        (
            "local authority",
            ["council", "Local Government and Social Care Ombudsman"],
            ["Health Service"],
        ),
        (
            "NHS continuing healthcare",
            ["NHS complaints procedure", "Parliamentary and Health Service Ombudsman"],
            ["Local Government"],
        ),
        (
            "",  # not recorded: both, for the manager to choose
            ["Local Government and Social Care Ombudsman", "Parliamentary and Health Service"],
            [],
        ),
        ("mixed", ["Local Government and Social Care", "Parliamentary and Health Service"], []),
    ],
)
def test_letters_name_the_escalation_body_for_who_funds_the_care(
    db: Database, funding: str, named: list[str], not_named: list[str]
) -> None:
    save_complaint(
        db, dataclasses.replace(BASE, funding=funding), today=TODAY, expected_version=None
    )
    c = only(db)
    assert c.funding == funding  # type: ignore[attr-defined]
    for kind, text in letter_templates(db).items():
        letter = fill_letter(text, c, get_settings(db), TODAY)  # type: ignore[arg-type]
        for words in named:
            assert words in letter, (kind, words)
        for words in not_named:
            assert words not in letter, (kind, words)


def test_funding_must_be_a_known_type(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        save_complaint(
            db, dataclasses.replace(BASE, funding="council"), today=TODAY, expected_version=None
        )
    assert info.value.problems[0].field == "funding"


def test_summary_for_cqc(db: Database, tmp_path: Path) -> None:
    save_complaint(
        db,
        dataclasses.replace(
            BASE,
            acknowledged_on=dt.date(2026, 11, 3),
            responded_on=dt.date(2026, 11, 10),
            outcome="partly upheld",
            findings="The rota left too little travel time.",
            apology_given=True,
            closed_on=dt.date(2026, 11, 11),
            new_step="Letter from Mrs Brown thanking us for the response",
        ),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        dataclasses.replace(
            BASE,
            complainant_name="Mr Patel",
            category="charges and invoices",
            received_on=dt.date(2026, 10, 1),
            acknowledged_on=dt.date(2026, 10, 12),
            responded_on=dt.date(2026, 11, 20),
            outcome="not upheld",
        ),
        today=TODAY,
        expected_version=None,
    )
    save_complaint(
        db,
        dataclasses.replace(BASE, received_on=dt.date(2025, 1, 5)),
        today=TODAY,
        expected_version=None,
    )
    save_compliment(
        db,
        ComplimentInput(dt.date(2026, 11, 10), "Mr Green", "Wonderful care"),
        today=TODAY,
        expected_version=None,
    )
    s = complaints_summary(db, dt.date(2026, 1, 1), dt.date(2026, 11, 30), TODAY)
    assert (
        s.received,
        s.upheld_percent,
        s.acknowledged_on_time_percent,
        s.responded_on_time_percent,
        s.still_open,
        s.compliments,
    ) == (2, 50.0, 50.0, 50.0, 1, 1)
    assert s.by_category == {"missed or late visit": 1, "charges and invoices": 1}
    text = subprocess.run(
        ["pdftotext", "-layout", str(summary_pdf(s, tmp_path / "s.pdf", "Meadowbank", TODAY)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Regulation 16(3)" in text and "Complaints received" in text and "CMP-2026-001" in text
    rows = list(
        csv.reader(summary_csv(s, tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert ["received", "2"] in rows and ["upheld_percent", "50%"] in rows
    # Regulation 16(3): the responses made and further correspondence, not only the complaints.
    assert [e.what for e in s.correspondence["CMP-2026-001"]][1:] == [
        "Acknowledged",
        "Full response sent",
        "Closed",
        "Letter from Mrs Brown thanking us for the response",
    ]
    flat = " ".join(text.split())
    assert "Responses made and further correspondence" in flat
    assert "Letter from Mrs Brown thanking us for the response" in flat
    assert "Findings: The rota left too little travel time." in flat
    assert "Response sent 10 Nov 2026: partly upheld; an apology was given." in flat
    assert any(
        r[0] == "CMP-2026-001" and r[2] == "Letter from Mrs Brown thanking us for the response"
        for r in rows
    )


def test_logs_out_and_in(db: Database, tmp_path: Path) -> None:
    staff = new_staff(db, "Amy", "Smith")
    save_complaint(
        db,
        dataclasses.replace(BASE, acknowledged_on=dt.date(2026, 11, 3), funding="self-funded"),
        today=TODAY,
        expected_version=None,
    )
    save_compliment(
        db,
        ComplimentInput(dt.date(2026, 11, 10), "Mr Green", "Amy is lovely", staff_id=staff),
        today=TODAY,
        expected_version=None,
    )
    out = tmp_path / "complaints.csv"
    assert export_complaints(db, out, TODAY) == 1
    (row,) = csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())
    assert (
        row["reference"],
        row["received_on"],
        row["acknowledgement_due"],
        row["acknowledged_on"],
        row["response_due"],
        row["status"],
        row["funding"],
    ) == (
        "CMP-2026-001",
        "2026-11-02",
        "2026-11-05",
        "2026-11-03",
        "2026-11-30",
        "investigating",
        "self-funded",
    )
    assert export_compliments(db, tmp_path / "c.xlsx") == 1
    log = tmp_path / "old-log.csv"
    log.write_text(
        "Date received,Complainant,Nature of complaint,Type,Acknowledged,Responded,Outcome\n"
        "05/03/2026,Mr Khan,Rude on the phone,Staff conduct,06/03/2026,20/03/2026,Partly\n"
        "07/03/2026,Ms Lee,Invoice wrong,Charges and invoices,06/03/2026,,\n"
        "08/03/2026,Ms Ode,Late again,,,,Maybe\n",
        encoding="utf-8",
    )
    report = import_complaints(db, log, today=TODAY)
    assert report.imported == 1
    reasons = " ".join(s.reason for s in report.skipped)
    assert "before the date received" in reasons and "Maybe" in reasons
    khan = next(r for r in list_complaints(db, TODAY) if r.complainant_name == "Mr Khan")
    assert (khan.outcome, khan.category, khan.status) == (
        "partly upheld",
        "staff conduct",
        ComplaintStatus.RESPONDED,
    )
    assert import_complaints(db, log, today=TODAY).unchanged == 1
    # The exported log goes back in unchanged, funding included; a funding type we do not know
    # is refused (it decides which Ombudsman the letters name), a blank one is allowed.
    assert import_complaints(db, out, today=TODAY).unchanged == 1
    funded = tmp_path / "funded.csv"
    funded.write_text(
        "Date received,Complainant,Nature of complaint,Funded by\n"
        "01/11/2026,Mr Old,Carer late,NHS Continuing Healthcare\n"
        "02/11/2026,Ms New,Carer rude,Lottery\n"
        "03/11/2026,Mr Blank,Missed call,\n",
        encoding="utf-8",
    )
    report = import_complaints(db, funded, today=TODAY)
    assert report.imported == 2
    (skipped,) = report.skipped
    assert "Lottery" in skipped.reason and "NHS continuing healthcare" in skipped.reason
    by_name = {r.complainant_name: r.funding for r in list_complaints(db, TODAY)}
    assert (by_name["Mr Old"], by_name["Mr Blank"]) == ("NHS continuing healthcare", "")
    comp = tmp_path / "compliments.csv"
    comp.write_text(
        "Date,From,Comment,Staff\n01/11/2026,Mrs Ali,Amy was so kind,Amy Smith\n", encoding="utf-8"
    )
    assert import_compliments(db, comp, today=TODAY).imported == 1
    assert [c.what_was_said for c in list_compliments(db, staff_id=staff)] == [
        "Amy is lovely",
        "Amy was so kind",
    ]


def test_every_stage_has_a_level_and_late_stages_are_overdue() -> None:
    late = {s for s in ComplaintStatus if s.level.needs_action}
    assert late == {ComplaintStatus.ACK_OVERDUE, ComplaintStatus.RESPONSE_OVERDUE}
    assert ComplaintStatus.AWAITING_ACK.level is Level.DUE_SOON
    assert ComplaintStatus.CLOSED.level is Level.NOT_REQUIRED


def test_bank_holiday_table_is_the_holidays_librarys_answer() -> None:
    from provider_desk.areas.complaints import bank_holidays as bh

    for year in range(bh.FIRST_YEAR, bh.LAST_YEAR + 1):
        assert bh.bank_holidays(year) == bh.from_library(year), (
            f"The bank holidays of {year} in resources/{bh.TABLE} differ from the holidays "
            "library's: run `python -m provider_desk.areas.complaints.bank_holidays` to write "
            "the table again."
        )
    assert dt.date(2026, 12, 28) in bh.bank_holidays(2026)  # Boxing Day on a Saturday: Monday
    assert bh.bank_holidays(1999) == bh.from_library(1999)  # outside the table: the library
