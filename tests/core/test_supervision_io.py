"""Supervision logs in, the log out, and a session printed for signing."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from pathlib import Path

from provider_desk.areas.supervision.exports import export_session_pdf, export_supervisions
from provider_desk.areas.supervision.imports import import_supervisions
from provider_desk.areas.supervision.queries import supervision_records
from provider_desk.areas.supervision.services import (
    AgreedAction,
    SupervisionInput,
    record_supervision,
)
from provider_desk.db.session import Database
from tests.conftest import TODAY, new_staff


def people(db: Database) -> tuple[int, int]:
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    return boss, amy


def test_import_a_log(db: Database, tmp_path: Path) -> None:
    people(db)
    path = tmp_path / "log.csv"
    path.write_text(
        "Date,Staff name,Supervised by,Type,Notes,Outcome\n"
        "01/10/2026,Smith Amy,Joanna Whitfield,1:1,Going well,\n"
        "02/10/2026,Amy Smith,Joanna Whitfield,Spot check,On time,Pass\n"
        "03/10/2026,Amy Smith,Joanna Whitfield,Spot check,Late,\n"
        "04/10/2026,Amy Smith,Amy Smith,Appraisal,,\n"
        "05/10/2026,Amy Smith,Joanna Whitfield,Coffee,,\n"
        "06/10/2026,Amy Smith,Nobody,Appraisal,,\n"
        "31/09/2026,Amy Smith,Joanna Whitfield,Appraisal,,\n",
        encoding="utf-8",
    )
    report = import_supervisions(db, path, today=TODAY)
    assert report.imported == 2
    reasons = {s.where: s.reason for s in report.skipped}
    assert "needs an outcome" in reasons["line 4"]
    assert "cannot be the worker" in reasons["line 5"]
    assert "not a kind of session" in reasons["line 6"]
    assert "Supervisor:" in reasons["line 7"]
    assert "not a real date" in reasons["line 8"]
    recs = {r.kind: r for r in supervision_records(db)}
    assert recs["supervision"].sections == (("Wellbeing and workload", "Going well"),)
    assert recs["spot check"].outcome == "satisfactory"
    again = import_supervisions(db, path, today=TODAY)
    assert (again.imported, again.unchanged) == (0, 2)


def test_export_log_with_next_due_and_status(db: Database, tmp_path: Path) -> None:
    boss, amy = people(db)
    record_supervision(
        db, SupervisionInput(amy, boss, "supervision", dt.date(2026, 10, 1)), today=TODAY
    )
    out = tmp_path / "sup.csv"
    assert export_supervisions(db, out, TODAY) == 1
    (row,) = csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())
    assert (
        row["worker"],
        row["kind"],
        row["date"],
        row["supervisor"],
        row["next_due"],
        row["status"],
    ) == (
        "Amy Smith",
        "One-to-one supervision",
        "2026-10-01",
        "Joanna Whitfield",
        "2027-01-01",
        "in date",
    )


def test_printable_record(db: Database, tmp_path: Path) -> None:
    boss, amy = people(db)
    record_supervision(
        db,
        SupervisionInput(
            amy,
            boss,
            "spot check",
            dt.date(2026, 11, 2),
            location="Mrs B's home",
            sections=(("Infection prevention and PPE", "Gloves & apron <correct>"),),
            outcome="needs improvement",
            worker_ack_name="Amy Smith",
            worker_ack_on=dt.date(2026, 11, 3),
            actions=(AgreedAction("Refresher on MAR recording", amy, dt.date(2026, 12, 1)),),
        ),
        today=TODAY,
    )
    (rec,) = supervision_records(db)
    pdf = export_session_pdf(
        rec,
        tmp_path / "spot.pdf",
        "Meadowbank Home Care",
        [("Refresher on MAR recording", "Amy Smith", dt.date(2026, 12, 1))],
        today=TODAY,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The title on its own line (not only in the page header), the provider under it.
    assert re.search(r"^Spot check / observed practice$", text, re.M)
    assert re.search(r"^Meadowbank Home Care$", text, re.M)
    for words in (
        "Mrs B's home",
        "Gloves & apron <correct>",
        "Needs improvement",
        "Refresher on MAR recording",
        "Signature:",
        "3 Nov 2026",
        "Page 1 of 1",
    ):
        assert words in text, words


def test_our_own_export_imports_back_unchanged(db: Database, tmp_path: Path) -> None:
    """The export names kinds as the app does ('One-to-one supervision', 'Spot check / observed
    practice', 'Medication competency assessment'): importing it back refuses nothing."""
    from provider_desk.demo import generate

    generate(db, today=TODAY)
    out = tmp_path / "supervisions.csv"
    written = export_supervisions(db, out, TODAY)
    report = import_supervisions(db, out, today=TODAY)
    assert report.skipped == [] and report.conflicts == []
    assert (report.imported, report.unchanged) == (0, written)
