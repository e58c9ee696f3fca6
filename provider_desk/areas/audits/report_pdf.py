"""One audit as a printable report (PDF) for the file and the inspector, built section by section;
and the report assembled from the database in one read transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import (
    AuditDetail,
    TrendPoint,
    audit_detail_in,
    score_trend_in,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.pdf.render import (
    FONT,
    FONT_BOLD,
    build_pdf,
    markup,
    printed_on,
    register_fonts,
)
from provider_desk.resources import statement_label
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import get_settings_in

BAND_COLOURS = {"good": "#dff0e0", "fair": "#ffe8c2", "poor": "#ffd3d6", "": "#ffffff"}
ANSWER_COLOURS = {"yes": "#dff0e0", "no": "#ffd3d6", "na": "#eceff1"}

Story = list[Any]


@dataclass(frozen=True)
class _Styles:
    """The paragraph styles and table commands every section shares."""

    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    grid: list[tuple[Any, ...]]
    head: list[tuple[Any, ...]]


def _styles() -> _Styles:
    return _Styles(
        h1=ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19),
        h2=ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8),
        body=ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11),
        small=ParagraphStyle(
            "small", fontName=FONT, fontSize=7.5, leading=9.5, textColor="#546e7a"
        ),
        grid=[
            ("FONT", (0, 0), (-1, -1), FONT, 8.5),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ],
        head=[
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
        ],
    )


def audit_report(db: Database, audit_id: int, path: Path, today: dt.date) -> Path:
    """Print the audit ``audit_id``: its detail, its template's score trend and the provider's
    name are read in one read transaction, then the PDF is written to ``path``.

    Raises:
        ValidationError: the audit no longer exists.
    """
    with db.reading() as s:
        detail = audit_detail_in(s, audit_id, today)
        if detail is None:
            raise ValidationError.single("id", "That audit no longer exists.")
        provider = get_settings_in(s).provider_name or "Provider Desk"
        trend = score_trend_in(s, detail.row.template_id)
    return audit_report_pdf(detail, path, provider, today, trend)


def audit_report_pdf(
    detail: AuditDetail,
    path: Path,
    provider_name: str,
    today: dt.date,
    trend: Sequence[TrendPoint] = (),
) -> Path:
    """The audit as a report for the file and the inspector: findings, score, actions, sign-off."""
    register_fonts()
    st = _styles()
    row = detail.row
    story: Story = [
        *_summary(detail, provider_name, st),
        *_findings(detail, st),
        *_actions(detail, st),
        *_trend(detail, trend, st),
        *_revisions(detail, st),
        *_sign_off(detail, st),
    ]
    return build_pdf(
        path,
        story,
        title=f"{row.template} {row.reference}",
        author=provider_name,
        footer=f"{provider_name} — {row.template} {row.reference}, printed {printed_on(today)}",
    )


def _facts(detail: AuditDetail, st: _Styles) -> Table:
    """Reference, date, auditor, scope, questions, score and status; for a re-audit, the score
    then and now."""
    row = detail.row
    score_text = r.format_score(row.score) or "not scored"
    previous = detail.previous
    facts: list[list[Any]] = [
        [
            "Reference",
            f"{row.reference}" + (f" (revision {row.revision})" if row.revision > 1 else ""),
        ],
        ["Date of audit", format_date(row.audited_on)],
        ["Auditor", row.auditor],
        ["Scope", Paragraph(markup(row.scope_note or "—"), st.body)],
        [
            "Questions",
            f"Version {detail.version_number} of the template, "
            f"{len(detail.template.items)} questions",
        ],
        ["Score", f"{score_text} of applicable items met; {row.failed} not met"],
        [
            "Status",
            row.status.capitalize()
            + (f", finished {format_date(row.finished_on)}" if row.finished_on else ""),
        ],
    ]
    if previous is not None:
        facts.append(
            [
                "Re-audit of",
                f"{previous.reference} on {format_date(previous.audited_on)}: "
                f"{r.format_score(previous.score)} then, {score_text} now",
            ]
        )
    fact_table = Table(facts, colWidths=[38 * mm, 142 * mm])
    fact_table.setStyle(
        TableStyle(
            [
                *st.grid,
                ("FONT", (0, 0), (0, -1), FONT_BOLD, 8.5),
                (
                    "BACKGROUND",
                    (1, 5),
                    (1, 5),
                    colors.HexColor(BAND_COLOURS[r.score_band(row.score)]),
                ),
            ]
        )
    )
    return fact_table


def _summary(detail: AuditDetail, provider_name: str, st: _Styles) -> Story:
    """The title, the facts, the auditor's summary and the quality statements evidenced."""
    story: Story = [
        Paragraph(f"{markup(detail.row.template)} — audit report", st.h1),
        Paragraph(markup(provider_name), st.body),
        Spacer(1, 4 * mm),
        _facts(detail, st),
    ]
    if detail.summary:
        story += [Paragraph("Summary", st.h2), Paragraph(markup(detail.summary), st.body)]
    statements = r.statements_of(detail.template.items)
    if statements:
        story += [
            Paragraph("CQC quality statements this audit evidences", st.h2),
            Paragraph(markup("; ".join(statement_label(s) for s in statements)), st.body),
        ]
    return story


def _answer_key(item: r.AuditItem, ans: r.Answer | None) -> str:
    """Which colour the answer cell takes: not met, not applicable, met, or none."""
    if r.is_failed(item, ans):
        return "no"
    if ans is not None and ans.answer == r.NA:
        return "na"
    return "yes" if r.is_answered(item, ans) else ""


def _findings(detail: AuditDetail, st: _Styles) -> Story:
    """One table per section of the template: each question, its answer, the comment and
    evidence, and (for a re-audit) what changed since last time."""
    actions_by_item: dict[str, int] = {}
    for a in detail.actions:
        actions_by_item[a.item_id] = actions_by_item.get(a.item_id, 0) + 1
    prev_t = detail.previous_template
    story: Story = []
    for section in detail.template.sections:
        header = ["No.", "Question", "Answer", "Comment and evidence"]
        if prev_t is not None:
            header.append("Since last")
        data: list[list[Any]] = [header]
        styles: list[tuple[Any, ...]] = []
        for n, sec, item in detail.template.numbered():
            if sec is not section:
                continue
            ans = detail.answers.get(item.id)
            comment = ans.comment if ans else ""
            if ans and ans.attachment_id:
                comment += f"\nEvidence: {detail.attachment_names.get(ans.attachment_id, 'file')}"
            if actions_by_item.get(item.id):
                comment += f"\nActions raised: {actions_by_item[item.id]}"
            line: list[Any] = [
                str(n),
                Paragraph(markup(item.question), st.body),
                r.answer_text(item, ans),
                Paragraph(markup(comment.strip()), st.body),
            ]
            if prev_t is not None:
                line.append(r.compare(item, detail.previous_answers.get(item.id), ans).value)
            data.append(line)
            key = _answer_key(item, ans)
            if key in ANSWER_COLOURS:
                i = len(data) - 1
                styles.append(("BACKGROUND", (2, i), (2, i), colors.HexColor(ANSWER_COLOURS[key])))
        widths = (
            [10 * mm, 78 * mm, 20 * mm, 72 * mm]
            if prev_t is None
            else [10 * mm, 70 * mm, 18 * mm, 62 * mm, 20 * mm]
        )
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([*st.grid, *st.head, *styles]))
        story += [Paragraph(markup(section.title), st.h2), table]
    return story


def _actions(detail: AuditDetail, st: _Styles) -> Story:
    """The actions raised from the audit, with owner, due date and status."""
    story: Story = [Paragraph("Actions raised from this audit", st.h2)]
    if not detail.actions:
        return [*story, Paragraph("None.", st.body)]
    numbers = {item.id: n for n, _, item in detail.template.numbered()}
    adata: list[list[Any]] = [["Q", "What needs to be done", "Owner", "Due", "Status"]]
    for a in detail.actions:
        status = a.status.value.capitalize() + (
            f" {format_date(a.completed_on)}" if a.completed_on else ""
        )
        adata.append(
            [
                str(numbers.get(a.item_id, "")),
                Paragraph(markup(a.description), st.body),
                a.owner,
                format_date(a.due_on),
                status,
            ]
        )
    atable = Table(adata, colWidths=[10 * mm, 88 * mm, 32 * mm, 22 * mm, 28 * mm], repeatRows=1)
    atable.setStyle(TableStyle([*st.grid, *st.head]))
    return [*story, atable]


def _trend(detail: AuditDetail, trend: Sequence[TrendPoint], st: _Styles) -> Story:
    """The last eight scores of this audit up to this one (nothing with fewer than two)."""
    trend = [p for p in trend if p.audited_on <= detail.row.audited_on]  # as it stood then
    if len(trend) <= 1:
        return []
    recent = list(trend)[-8:]
    tdata = [
        [format_date(p.audited_on) for p in recent],
        [r.format_score(p.score) for p in recent],
    ]
    ttable = Table(tdata)
    ttable.setStyle(
        TableStyle(
            [
                *st.grid,
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                *[
                    (
                        "BACKGROUND",
                        (i, 1),
                        (i, 1),
                        colors.HexColor(BAND_COLOURS[r.score_band(p.score)]),
                    )
                    for i, p in enumerate(recent)
                ],
            ]
        )
    )
    return [Paragraph("Score trend for this audit", st.h2), ttable]


def _revisions(detail: AuditDetail, st: _Styles) -> Story:
    """Each revision with its reason (only when the audit was revised)."""
    if len(detail.revisions) <= 1:
        return []
    story: Story = [Paragraph("Revisions", st.h2)]
    for rev in detail.revisions:
        story.append(
            Paragraph(
                markup(
                    f"Revision {rev.revision}: "
                    + (rev.reason or "first version")
                    + (
                        f" (finished {format_date(rev.finished_on)})"
                        if rev.finished_on
                        else " (draft)"
                    )
                ),
                st.body,
            )
        )
    return story


def _sign_off(detail: AuditDetail, st: _Styles) -> Story:
    """The auditor's and the registered manager's sign-off, and how the score is worked out."""
    row = detail.row
    signatures = Table(
        [
            ["Auditor", "Registered manager"],
            [
                f"{row.auditor}\nFinished: {format_date(row.finished_on, '………………')}",
                f"{row.manager_signed_by or '…………………………………………'}\n"
                f"Signed off: {format_date(row.manager_signed_on, '………………')}",
            ],
            ["Signature:", "Signature:"],
        ],
        colWidths=[90 * mm, 90 * mm],
        rowHeights=[None, 14 * mm, 14 * mm],
    )
    signatures.setStyle(TableStyle([*st.grid, *st.head]))
    return [
        KeepTogether([Paragraph("Sign-off", st.h2), signatures]),
        Spacer(1, 3 * mm),
        Paragraph(
            "Score = weighted percentage of applicable questions met (N/A left out). Bands used "
            f"in this report: {r.GOOD_SCORE:.0f}% and over good, {r.FAIR_SCORE:.0f}–"
            f"{r.GOOD_SCORE - 1:.0f}% fair, under {r.FAIR_SCORE:.0f}% poor (Provider Desk's "
            "bands, not CQC ratings).",
            st.small,
        ),
    ]
