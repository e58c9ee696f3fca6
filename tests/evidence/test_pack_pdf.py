"""The evidence pack as a PDF and from the command line: every key question and quality statement
by its exact name, the figures, bookmarks, no supported person's name unless asked, the bundle,
cancel, and clear errors for a bad period or an unwritable path."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from provider_desk.areas.training.queries import list_courses
from provider_desk.areas.training.services import TrainingInput, record_training
from provider_desk.cli import main
from provider_desk.db.session import Database
from provider_desk.evidence import build_evidence_pack
from provider_desk.progress import Cancelled
from provider_desk.reading import Period
from provider_desk.resources import load_json, quality_statements
from tests.conftest import TODAY
from tests.dashboard.test_figures import build_service

YEAR = Period.year_to(TODAY)
CREATED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
PEOPLE = ("Emily Baker", "Mary Green", "Frank Hill")
COMPLAINANTS = ("Mr Patel", "Mrs Jones", "Mr Singh", "Mrs Khan", "Mr Lee")


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", out.stdout)


@pytest.fixture
def built(db: Database) -> Database:
    build_service(db)
    return db


def test_the_pack_names_every_statement_and_figure(built: Database, tmp_path: Path) -> None:
    result = build_evidence_pack(built, YEAR, tmp_path / "pack.pdf", today=TODAY, created=CREATED)
    text = _text(result.pdf)
    framework = load_json("cqc_framework.json")
    for kq in framework["key_questions"]:
        assert kq["name"] in text
    for st in quality_statements():
        assert st.name in text, st.name
    h = result.pack.headline
    assert f"Required training in date {h.training.percent:.0f}% ({h.training.done} of" in text
    assert "Complaints answered on time 100% (2 of 2)" in text
    assert "Actions open (of which overdue) 3 (1)" in text
    assert "Gaps to act on" in text and "Held outside Provider Desk" in text
    for name in (*PEOPLE, *COMPLAINANTS):
        assert name not in text, name
    assert "Page 1 of" in text and f"Page {result.pages} of {result.pages}" in text
    reader = PdfReader(result.pdf)
    assert len(reader.pages) == result.pages
    meta = reader.metadata
    assert meta is not None and meta.title == "Evidence for inspection"
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top == [
        "Summary",
        "Gaps to act on",
        "Safe",
        "Effective",
        "Caring",
        "Responsive",
        "Well-led",
        "Appendices",
    ]
    # The contents (page 2 on) are links to their sections.
    links = [
        a.get_object()
        for page in reader.pages[1:4]
        for a in page.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= 34 + 8
    raw = reader.outline
    safe = raw[
        next(i for i, o in enumerate(raw) if not isinstance(o, list) and o.title == "Safe") + 1
    ]
    assert [o.title for o in safe] == [
        s.name for s in quality_statements() if s.key_question == "safe"
    ]


def test_names_only_when_asked(built: Database, tmp_path: Path) -> None:
    result = build_evidence_pack(
        built, YEAR, tmp_path / "own.pdf", today=TODAY, created=CREATED, names=True
    )
    text = _text(result.pdf)
    assert all(name in text for name in PEOPLE)


def test_same_data_same_bytes(built: Database, tmp_path: Path) -> None:
    one = build_evidence_pack(built, YEAR, tmp_path / "1.pdf", today=TODAY, created=CREATED)
    two = build_evidence_pack(built, YEAR, tmp_path / "2.pdf", today=TODAY, created=CREATED)
    assert one.pdf.read_bytes() == two.pdf.read_bytes()


def test_cancel_writes_nothing(built: Database, tmp_path: Path) -> None:
    seen: list[str] = []

    def cancel_while_laying_out(done: int, total: int, what: str) -> bool:
        seen.append(what)
        return what != "Laying out the pages"

    with pytest.raises(Cancelled):
        build_evidence_pack(
            built, YEAR, tmp_path / "pack.pdf", today=TODAY, progress=cancel_while_laying_out
        )
    assert seen[0] == "Reading the records"
    assert not [p for p in tmp_path.iterdir() if "pack" in p.name]


def test_bundle_holds_the_pdf_registers_and_the_periods_certificates(
    built: Database, tmp_path: Path
) -> None:
    cert = tmp_path / "fire cert.pdf"
    cert.write_bytes(b"%PDF-1.4 certificate")
    fire = next(c.id for c in list_courses(built) if c.name == "Fire safety")
    amy = 1
    record_training(
        built,
        amy,
        TrainingInput(fire, dt.date(2026, 11, 1), certificate_path=cert),
        today=TODAY,
    )
    out = tmp_path / "out"
    result = build_evidence_pack(
        built, YEAR, out / "pack.pdf", today=TODAY, created=CREATED, bundle=out / "pack.zip"
    )
    with zipfile.ZipFile(out / "pack.zip") as z:
        names = z.namelist()
        index = z.read("index.csv").decode("utf-8-sig")
        docs = [n for n in names if n.startswith("certificates/")]
        assert len(docs) == 1 and z.read(docs[0]) == b"%PDF-1.4 certificate"
    assert "pack.pdf" in names and "registers/staff.xlsx" in names
    assert "registers/people supported.xlsx" not in names  # names people we support
    assert "registers/people supported.xlsx" in index and "Left out" in index
    assert docs[0] in index and "Fire safety certificate" in index
    assert result.bundled_files == len(names)
    assert sorted(p.name for p in out.iterdir()) == ["pack.pdf", "pack.zip"]


def test_command_line(
    built: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["evidence-pack", "--database", str(db_path), "--today", "2026-11-23"]
    out = tmp_path / "pack.pdf"
    code = main([*base, "--from", "24/11/2025", "--to", "23/11/2026", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and out.is_file()
    assert re.search(r"Wrote the evidence pack \(\d+ pages, \d+ gaps to act on\)", printed)
    # A period that ends before it starts, or after today; an unwritable path.
    for start, end, target, message in (
        ("23/11/2026", "24/11/2025", out, "ends (24 Nov 2025) before it starts"),
        ("24/11/2025", "24/11/2026", out, "runs past today"),
        ("31/02/2026", "23/11/2026", out, "31/02/2026"),
        ("24/11/2025", "23/11/2026", out / "inside-a-file.pdf", "could not be written"),
        ("24/11/2025", "23/11/2026", tmp_path / "pack.txt", "should end in .pdf"),
    ):
        code = main([*base, "--from", start, "--to", end, "--out", str(target)])
        err = capsys.readouterr().err
        assert code == 2 and message in err, (start, end, err)


def test_cancel_while_bundling_keeps_the_earlier_files(built: Database, tmp_path: Path) -> None:
    pdf, bundle = tmp_path / "pack.pdf", tmp_path / "pack.zip"
    pdf.write_bytes(b"the earlier pack")
    bundle.write_bytes(b"the earlier bundle")
    stages: list[str] = []

    def cancel_at_the_registers(done: int, total: int, what: str) -> bool:
        stages.append(what)
        return what != "Writing the registers"

    with pytest.raises(Cancelled):
        build_evidence_pack(
            built, YEAR, pdf, today=TODAY, bundle=bundle, progress=cancel_at_the_registers
        )
    assert "Laying out the pages" in stages  # the new pack was made, then dropped
    assert pdf.read_bytes() == b"the earlier pack"
    assert bundle.read_bytes() == b"the earlier bundle"
    assert sorted(p.name for p in tmp_path.iterdir() if "pack" in p.name) == [
        "pack.pdf",
        "pack.zip",
    ]
