"""Subject access: every area's records for one person (or staff member) in the ZIP and the PDF,
their documents, nothing about anyone else, and the export in the change log."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from provider_desk.cli import main
from provider_desk.db.changelog import verify_chain
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.privacy.export import export_subject_access, resolve_subject
from provider_desk.privacy.subject_access import PERSON, STAFF
from tests.conftest import TODAY
from tests.core.privacy_world import World, build

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


@pytest.fixture
def world(db: Database) -> World:
    return build(db)


def _pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def _zip(path: Path) -> tuple[dict[str, list[list[str]]], dict[str, bytes]]:
    """The ZIP's CSV files as rows, and every file's bytes."""
    with zipfile.ZipFile(path) as z:
        blobs = {n: z.read(n) for n in z.namelist()}
    tables = {
        n: list(csv.reader(io.StringIO(b.decode("utf-8-sig"))))
        for n, b in blobs.items()
        if n.endswith(".csv")
    }
    return tables, blobs


def _section(tables: dict[str, list[list[str]]], slug: str) -> list[list[str]]:
    (name,) = [n for n in tables if n.startswith("records/") and n.endswith(f"-{slug}.csv")]
    return tables[name][1:]


def _all_text(tables: dict[str, list[list[str]]]) -> str:
    return " ".join(c for rows in tables.values() for row in rows for c in row)


NORA = ("Nora", "P-0002", "Nora makes a cup of tea", "Nora trips", "Nora's tea", "Lovely carers")


def test_person_export_holds_every_area_and_nobody_else(
    db: Database, world: World, tmp_path: Path
) -> None:
    target = tmp_path / "peter.zip"
    result = export_subject_access(db, PERSON, world.peter, target, today=TODAY)
    assert result.zip_path == target and result.pdf_path == tmp_path / "peter.pdf"
    tables, blobs = _zip(target)
    expected = {
        "personal-details": "Past",
        "care-plans": "Peter walks with a frame",
        "care-reviews": "Peter is happy with the visits",
        "risk-assessments": "Peter trips on the rug",
        "goals": "Peter makes a cup of tea",
        "complaints-about-them-or-made-by-them": "C-2018-001",
        "complaint-timelines": "Acknowledged",
        "compliments-about-them-or-from-them": "Lucy was wonderful with Dad",
        "actions-raised-from-their-records": "Ask the OT to visit Peter",
        "changes-to-these-records": "insert",
    }
    for slug, text in expected.items():
        rows = _section(tables, slug)
        assert rows, f"{slug} is empty"
        assert any(text in cell for row in rows for cell in row), f"{text} not in {slug}"
    actions = _section(tables, "actions-raised-from-their-records")
    assert {row[0] for row in actions} == {
        "Ask the OT to visit Peter",
        "Remind carers about Peter's times",
    }
    # Every record of theirs has its change-log entries, and only theirs.
    log = _section(tables, "changes-to-these-records")
    assert (
        len(log) == 10
    )  # person, plan, review, risk, goal, action x2, complaint, event, compliment
    assert "peter.pdf" in blobs and "index.csv" in tables
    index = {row[0] for row in tables["index.csv"][1:]}
    assert index == set(blobs) - {"index.csv"}
    pdf = _pdf_text(result.pdf_path)
    for text in expected.values():
        if text != "insert":
            assert text in pdf, text
    assert "Page 1 of" in pdf and "23 Nov 2026" in pdf
    everything = _all_text(tables) + pdf
    for other in (*NORA, "Edna", "Cathy settling in"):
        assert other not in everything, other


def test_staff_export_holds_their_records_documents_and_roles_only(
    db: Database, world: World, tmp_path: Path
) -> None:
    result = export_subject_access(db, STAFF, world.lucy, tmp_path / "lucy.zip", today=TODAY)
    tables, blobs = _zip(result.zip_path)
    expected = {
        "staff-record": "Leaver",
        "recruitment-checks": "001234567890",
        "training-records": "Lucy's trainer",
        "care-certificate-standards": "Mary",
        "supervision-spot-checks-and-appraisals": "Lucy is thinking of moving away",
        "complaints-about-them-or-made-by-them": "C-2026-001",
        "compliments-about-them-or-from-them": "Lucy was wonderful with Dad",
        "actions-they-own-or-agreed-at-their-sessions": "Book Lucy on the refresher",
        "records-about-others-that-name-them-in-their-role": "Key worker",
    }
    for slug, text in expected.items():
        rows = _section(tables, slug)
        assert any(text in cell for row in rows for cell in row), f"{text} not in {slug}"
    roles = {
        row[0] for row in _section(tables, "records-about-others-that-name-them-in-their-role")
    }
    assert roles == {"Key worker", "Assessor", "Line manager"}
    documents = {n: b for n, b in blobs.items() if n.startswith("documents/")}
    assert sorted(documents.values()) == sorted(
        [b"%PDF-1.4 certificate dbs of lucy", b"%PDF-1.4 certificate moving and handling"]
    )
    assert result.files == 2
    pdf = _pdf_text(result.pdf_path)
    assert "Lucy is thinking of moving away" in pdf and "Training certificate" in pdf
    # Named in other people's records by role only: not Nora's or Cathy's details.
    everything = _all_text(tables) + pdf
    for other in ("Cathy", "Current", "Peter walks", "Nora walks", "Nora trips"):
        assert other not in everything, other


def test_held_staff_member_sees_the_session_they_led_without_the_worker(
    db: Database, world: World, tmp_path: Path
) -> None:
    result = export_subject_access(db, STAFF, world.harry, tmp_path / "harry.zip", today=TODAY)
    tables, _ = _zip(result.zip_path)
    named = _section(tables, "records-about-others-that-name-them-in-their-role")
    assert named == [["Supervisor", "Supervision of another worker", "2017-12-01"]]
    assert "Cathy" not in _all_text(tables) + _pdf_text(result.pdf_path)


def test_export_is_logged_and_cli_finds_subjects(
    db: Database, world: World, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sar" / "peter.zip"
    code = main(
        [
            "subject-access",
            "--database",
            str(db_path),
            "--person",
            "p-0001",
            "--out",
            str(out),
            "--format",
            "xlsx",
            "--today",
            "23/11/2026",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "Peter Past (P-0001)" in capsys.readouterr().out
    with zipfile.ZipFile(out) as z:
        assert any(n.endswith("care-plans.xlsx") for n in z.namelist())
    assert out.with_suffix(".pdf").is_file()
    with db.reading() as s:
        entry = s.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "subject access"))
        assert entry is not None
        assert (entry.table_name, entry.row_id) == ("person", world.peter)
        body = json.loads(entry.changes)
        assert body["subject"][1] == "Peter Past (P-0001)"
        assert body["file"][1] == "peter.zip"
        assert verify_chain(s) is None
    assert resolve_subject(db, person=None, staff="lucy  leaver") == (STAFF, world.lucy)
    assert resolve_subject(db, person=None, staff=str(world.harry)) == (STAFF, world.harry)
    for person, staff in (("P-9999", None), (None, "Nobody"), (None, None)):
        with pytest.raises(ValidationError):
            resolve_subject(db, person=person, staff=staff)
    code = main(["subject-access", "--database", str(db_path), "--staff", "Zed", "--out", "x.zip"])
    assert code == 2 and "No staff member is called 'Zed'" in capsys.readouterr().err
