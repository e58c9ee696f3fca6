"""Every PDF the app prints is a Renderer subclass: each renders from small hand-built data with
its metadata and "Page x of y" on every page, the complaints summary keeps long cells in their
columns, and nothing outside provider_desk/pdf/ makes its own styles, templates or canvases."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from provider_desk.areas.actions.exports import actions_pdf
from provider_desk.areas.actions.queries import ActionRow
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.areas.audits import rules as ar
from provider_desk.areas.audits.queries import (
    AuditDetail,
    AuditRow,
    FindingActionRow,
    RevisionRow,
    TrendPoint,
)
from provider_desk.areas.audits.report_pdf import audit_report_pdf
from provider_desk.areas.complaints.exports import summary_pdf
from provider_desk.areas.complaints.letters import letter_pdf
from provider_desk.areas.complaints.queries import ComplaintRow, ComplaintsSummary
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.areas.people.care_plan_pdf import care_plan_pdf
from provider_desk.areas.people.queries import (
    CarePlanRow,
    GoalRow,
    PersonDetail,
    PersonRow,
    RiskRow,
)
from provider_desk.areas.people.rules import Visit
from provider_desk.areas.supervision.exports import export_session_pdf
from provider_desk.areas.supervision.queries import SessionRow
from provider_desk.areas.training.matrix_pdf import export_matrix_pdf
from provider_desk.areas.training.queries import (
    CourseRow,
    MatrixCell,
    MatrixPerson,
    TrainingMatrix,
)
from provider_desk.rules.due import Level
from provider_desk.settings.queries import SettingsRow

PROVIDER = "Meadowbank Home Care"
TODAY = dt.date(2026, 12, 3)
PRINTED = "printed 3 Dec 2026"
CONFIDENTIAL = "Confidential: contains personal information."
ROOT = Path(__file__).resolve().parents[2]
LONG_CATEGORY = "Communication with family members, advocates and appointed representatives"
LONG_OUTCOME = "Partly upheld after a full investigation by the registered manager and provider"
LONG_SUMMARY = "Carers arrived two hours late on three mornings running and did not call ahead. "


def _complaint(ref: str, category: str, outcome: str, responded: dt.date | None) -> ComplaintRow:
    d = dt.date(2026, 11, 2)
    return ComplaintRow(
        id=1,
        reference=ref,
        received_on=d,
        channel="phone",
        complainant_name="Mrs Jean Brown",
        complainant_relation="daughter",
        complainant_address="1 High Street\nAnytown AN1 2BC",
        person_concerned="Mary Brown",
        staff_concerned_id=None,
        staff_concerned="",
        category=category,
        summary=LONG_SUMMARY * 3,
        severity="low",
        safeguarding=False,
        duty_of_candour=False,
        investigator_id=None,
        investigator="Joanna Whitfield",
        findings="",
        outcome=outcome,
        apology_given=True,
        acknowledged_on=d,
        acknowledgement_due=d,
        response_due=dt.date(2026, 11, 30),
        response_due_extended_to=None,
        extension_reason="",
        responded_on=responded,
        complainant_satisfied="",
        ombudsman_referred_on=None,
        council_referred_on=None,
        lessons_learned="",
        closed_on=None,
        status=ComplaintStatus.AWAITING_ACK if responded is None else ComplaintStatus.RESPONDED,
        version=1,
        funding="self-funded",
    )


def _summary() -> ComplaintsSummary:
    complaints = (
        _complaint("CMP-2026-001", LONG_CATEGORY, LONG_OUTCOME, dt.date(2026, 11, 20)),
        _complaint("CMP-2026-002", "Charges, invoices and direct payment administration", "", None),
    )
    return ComplaintsSummary(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 11, 30),
        complaints=complaints,
        received=2,
        upheld_percent=100.0,
        acknowledged_on_time_percent=100.0,
        responded_on_time_percent=100.0,
        by_category={LONG_CATEGORY.lower(): 1, "charges": 1},
        by_outcome={"partly upheld": 1},
        still_open=1,
        compliments=0,
    )


def _matrix() -> TrainingMatrix:
    courses = tuple(
        CourseRow(i, name, None, "", 12, False, "", (), frozenset({1}), 1)
        for i, name in enumerate(
            [
                "Fire safety",
                "Basic life support",
                "Safeguarding adults",
                "Moving and handling",
                "Medication administration",
                "Infection prevention and control",
                "Food hygiene",
                "Mental Capacity Act",
                "Dementia awareness",
                "Equality and diversity",
            ],
            1,
        )
    )
    people = tuple(
        MatrixPerson(i, first, last, 1, "Care worker", "North", "active")
        for i, (first, last) in enumerate([("Amy", "Smith"), ("Bob", "Jones")], 1)
    )
    levels = [Level.IN_DATE, Level.DUE_SOON, Level.OVERDUE, Level.MISSING, Level.NOT_REQUIRED]
    cells = tuple(
        tuple(
            MatrixCell(
                levels[(p + c) % 5],
                levels[(p + c) % 5] is not Level.NOT_REQUIRED,
                dt.date(2025, 6, 2),
                dt.date(2027, 6, 2),
            )
            for c in range(len(courses))
        )
        for p in range(len(people))
    )
    return TrainingMatrix(TODAY, 30, people, courses, cells)


def _session() -> SessionRow:
    return SessionRow(
        id=1,
        staff_id=1,
        worker="Amy Smith",
        supervisor_id=2,
        supervisor="Joanna Whitfield",
        kind="spot_check",
        kind_name="Spot check / observed practice",
        held_on=dt.date(2026, 11, 2),
        location="Mrs B's home",
        sections=(("Infection prevention and PPE", "Gloves & apron <correct>"),),
        outcome="needs improvement",
        worker_ack_name="Amy Smith",
        worker_ack_on=dt.date(2026, 11, 3),
        supervisor_signed_on=None,
        next_due_override=None,
        version=1,
    )


def _audit() -> tuple[AuditDetail, list[TrendPoint]]:
    items = tuple(
        ar.AuditItem(f"q{i}", f"Question {i}: is the policy reviewed and known by every carer?")
        for i in range(1, 5)
    )
    template = ar.Template((ar.AuditSection("Policy and training", items),))
    row = AuditRow(
        id=2,
        root_id=2,
        reference="AUD-2026-002",
        revision=2,
        template_id=1,
        template="Infection prevention and control",
        audited_on=dt.date(2026, 11, 1),
        auditor_id=1,
        auditor="Rita Auditor",
        scope_note="Office and two homes",
        score=75.0,
        failed=1,
        status="finished",
        finished_on=dt.date(2026, 11, 2),
        manager_signed_by="",
        manager_signed_on=None,
        open_actions=1,
        actions=1,
        follow_up_of="AUD-2026-001",
        version=1,
    )
    answers = {
        "q1": ar.Answer("yes"),
        "q2": ar.Answer("no", comment="Two gaps on the MAR"),
        "q3": ar.Answer("na"),
        "q4": ar.Answer("yes"),
    }
    detail = AuditDetail(
        row=row,
        template=template,
        version_number=1,
        answers=answers,
        summary="One gap.",
        actions=(
            FindingActionRow(
                1,
                "q2",
                "Retrain on MAR",
                "Rita Auditor",
                dt.date(2026, 12, 1),
                None,
                ActionStatus.OPEN,
            ),
        ),
        revisions=(
            RevisionRow(1, 1, "", dt.date(2026, 11, 1)),
            RevisionRow(2, 2, "Typo in a comment", dt.date(2026, 11, 2)),
        ),
        is_latest=True,
        attachment_names={},
        previous=row,
        previous_answers={"q1": ar.Answer("no")},
        previous_template=template,
    )
    trend = [TrendPoint(dt.date(2026, m, 1), 60.0 + m, f"AUD-2026-00{m}") for m in (9, 10, 11)]
    return detail, trend


def _person() -> PersonDetail:
    row = PersonRow(
        id=1,
        reference="P-001",
        first_name="Mary",
        last_name="Brown",
        preferred_name="",
        date_of_birth=dt.date(1940, 2, 1),
        nhs_number="943 476 5919",
        postcode="AN1 2BC",
        funding="local authority",
        service_type="domiciliary",
        status="active",
        start_date=dt.date(2026, 1, 5),
        end_date=None,
        key_worker_id=None,
        key_worker="Amy Smith",
        plan_number=1,
        plan_from=dt.date(2026, 1, 5),
        planned_hours=7.0,
        consent_recorded=True,
        last_review=None,
        review_due=dt.date(2027, 1, 5),
        review_status=Level.IN_DATE,
        risks_overdue=0,
        risks_due_soon=0,
        high_risks=0,
        open_goals=1,
        reablement_outcome="",
        version=1,
    )
    return PersonDetail(row, "1 High Street\nAnytown", "Jean Brown (daughter)", "", None, None, "")


def _plan() -> CarePlanRow:
    return CarePlanRow(
        id=1,
        person_id=1,
        person_reference="P-001",
        person_name="Mary Brown",
        number=1,
        effective_from=dt.date(2026, 1, 5),
        change_reason="",
        sections={
            "personal care": {"needs": "Help to shower", "support": "One carer, mornings"},
            "medication": {"needs": "Prompting with blister pack"},
        },
        visits=(Visit(("mon", "wed", "fri"), "08:00", 45, 1),),
        consent_by="person",
        consent_name="",
        consent_capacity="",
        consent_on=dt.date(2026, 1, 5),
        mca_needed=False,
        mca_outcome="",
        best_interests="",
        review_due=dt.date(2027, 1, 5),
        written_by="Joanna Whitfield",
        written_at=dt.datetime(2026, 1, 5, 9, 0),
        is_current=True,
    )


def _risk() -> RiskRow:
    return RiskRow(
        1,
        1,
        "Mary Brown",
        "P-001",
        "falls",
        "Trips on rugs",
        4,
        4,
        16,
        "high",
        "Pendant alarm; rugs removed",
        TODAY,
        None,
        "",
        dt.date(2027, 3, 1),
        Level.IN_DATE,
        1,
    )


def _actions() -> list[ActionRow]:
    return [
        ActionRow(
            i,
            f"Action {i}: retrain on MAR recording and check the next three MAR sheets",
            "audit",
            "AUD-2026-002",
            1,
            "Rita Auditor",
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 20 + i),
            None,
            "",
            status,
            1,
        )
        for i, status in enumerate(ActionStatus, 1)
    ]


# (name, writes the PDF to a path, confidential)
DOCUMENTS: list[tuple[str, Callable[[Path], Path], bool]] = [
    ("matrix", lambda p: export_matrix_pdf(_matrix(), p, PROVIDER), False),
    (
        "session",
        lambda p: export_session_pdf(
            _session(), p, PROVIDER, [("Refresher on MAR", "Amy Smith", TODAY)], today=TODAY
        ),
        True,
    ),
    (
        "letter",
        lambda p: letter_pdf(
            "Dear Mrs Brown,\n\nYour complaint, reference CMP-2026-001\n\nThank you.",
            p,
            SettingsRow(PROVIDER, address="Unit 4, Canal Wharf"),
            _summary().complaints[0],
            TODAY,
        ),
        False,
    ),
    ("summary", lambda p: summary_pdf(_summary(), p, PROVIDER, TODAY), True),
    ("audit", lambda p: audit_report_pdf(_audit()[0], p, PROVIDER, TODAY, _audit()[1]), False),
    (
        "care plan",
        lambda p: care_plan_pdf(
            _plan(),
            _person(),
            p,
            PROVIDER,
            TODAY,
            [_risk()],
            [GoalRow(1, "Shower alone", "Needs help", TODAY, None, "", "", 1)],
        ),
        True,
    ),
    ("actions", lambda p: actions_pdf(_actions(), p, PROVIDER, TODAY), False),
]


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    ("name", "write", "confidential"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS]
)
def test_each_document_has_metadata_and_numbered_pages(
    name: str, write: Callable[[Path], Path], confidential: bool, tmp_path: Path
) -> None:
    pdf = write(tmp_path / f"{name}.pdf")
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta is not None and meta.title and meta.author == PROVIDER and meta.subject
    pages = len(reader.pages)
    text = _text(pdf, "-layout")
    for n in range(1, pages + 1):
        page = _text(pdf, "-layout", "-f", str(n), "-l", str(n))
        assert f"Page {n} of {pages}" in page, (name, n)
        body = [line for line in page.splitlines() if line.strip()]
        assert len(body) > 4, (name, n)  # more than the header and the footer: not empty
    assert text.count(PROVIDER) >= pages  # the header or the footer names the provider
    assert (text.count(CONFIDENTIAL) == pages) is confidential, name
    if name != "letter":  # a letter is dated, not "printed"
        assert text.count(PRINTED) == pages, name


def test_same_data_same_bytes(tmp_path: Path) -> None:
    for name, write, _ in DOCUMENTS:
        one = write(tmp_path / f"{name}-1.pdf").read_bytes()
        two = write(tmp_path / f"{name}-2.pdf").read_bytes()
        assert one == two, name


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, word) for every word pdftotext finds."""
    html = _text(pdf, "-bbox")
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            out.append((page, x0, y0, x1, y1, m.group(5)))
    return out


def test_complaints_summary_keeps_long_cells_in_their_columns(tmp_path: Path) -> None:
    """Long category, summary and outcome text wraps inside its column: no word is drawn over
    another, none is glued to its neighbour's or cut off at the page edge."""
    pdf = summary_pdf(_summary(), tmp_path / "s.pdf", PROVIDER, TODAY)
    # No two words on a page overlap (text over text).
    words = _words(pdf)
    for i, (p, x0, y0, x1, y1, w) in enumerate(words):
        for q, a0, b0, a1, b1, v in words[i + 1 :]:
            if p == q and y0 < b1 - 1 and b0 < y1 - 1:  # on the same line
                assert x1 <= a0 + 0.5 or a1 <= x0 + 0.5, f"{w!r} overlaps {v!r}"
    # In the layout text, every word of the table is a word of one cell: nothing runs together.
    text = _text(pdf, "-layout")
    # (The correspondence section follows the table: Regulation 16(3) asks for responses too.)
    table = text[text.index("Each complaint") : text.index("Responses made and further")]
    cells = [LONG_CATEGORY, LONG_OUTCOME, LONG_SUMMARY, "Charges, invoices and direct payment"]
    cells += ["administration", "Awaiting acknowledgement", "CMP-2026-001 CMP-2026-002"]
    cells += ["Each complaint Reference Received Category Summary Response Outcome"]
    cells += ["2 Nov 2026 20 Nov 2026 (on time) not yet"]
    vocabulary = {w for c in cells for w in c.split()}
    for line in table.splitlines():
        for token in line.split():
            assert token in vocabulary, f"{token!r} in {line!r}"
    # Each long cell's words are all inside its own column, between its header and the next.
    start = next(y1 for _, _, _, _, y1, w in words if w == "complaint")  # "Each complaint"
    words = [w for w in words if w[0] > 1 or w[2] > start]
    # ... and before the correspondence section, which repeats each outcome.
    rp, ry = next((p, y0) for p, _, y0, _, _, w in words if w == "Responses")
    words = [w for w in words if w[0] < rp or (w[0] == rp and w[4] <= ry)]
    heads = {w: (p, x0) for p, x0, _, _, _, w in words if w in ("Category", "Summary", "Outcome")}
    page_width = float(PdfReader(pdf).pages[0].mediabox.width)
    own = {
        ("Category", "Summary"): {"Communication", "advocates", "appointed", "representatives"},
        ("Outcome", ""): {"Partly", "investigation", "registered", "manager", "provider"},
    }
    for (left, right), unique in own.items():
        low = heads[left][1]
        high = heads[right][1] if right else page_width
        found = [(x0, x1) for _, x0, _, x1, _, w in words if w in unique]
        assert len(found) == len(unique)
        assert all(low - 0.5 <= x0 and x1 <= high for x0, x1 in found), (left, found)


def test_no_styles_templates_or_canvases_outside_the_renderer() -> None:
    offenders = []
    for path in sorted((ROOT / "provider_desk").rglob("*.py")):
        if (ROOT / "provider_desk" / "pdf") in path.parents:
            continue
        source = path.read_text(encoding="utf-8")
        for needle in ("ParagraphStyle(", "SimpleDocTemplate(", "canvas.Canvas("):
            if needle in source:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
