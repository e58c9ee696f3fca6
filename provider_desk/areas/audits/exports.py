"""Audits out: one row per audit (XLSX/CSV), and a printable audit report (PDF)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import AuditDetail, TrendPoint, list_audits
from provider_desk.db.session import Database
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
from provider_desk.tabular.write import write_table

HEADERS = (
    "reference",
    "revision",
    "template",
    "audited_on",
    "auditor",
    "scope",
    "score_percent",
    "items_not_met",
    "status",
    "finished_on",
    "manager_signed_by",
    "manager_signed_on",
    "actions_raised",
    "open_actions",
    "re_audit_of",
)


def export_audits(db: Database, path: Path) -> int:
    """One row per audit (its latest revision), newest first, to .xlsx or .csv."""
    rows = sorted(list_audits(db), key=lambda a: (a.audited_on, a.id), reverse=True)
    write_table(
        path,
        HEADERS,
        [
            (
                a.reference,
                a.revision,
                a.template,
                a.audited_on,
                a.auditor,
                a.scope_note,
                a.score,
                a.failed,
                a.status,
                a.finished_on,
                a.manager_signed_by,
                a.manager_signed_on,
                a.actions,
                a.open_actions,
                a.follow_up_of,
            )
            for a in rows
        ],
        sheet_title="Audits",
    )
    return len(rows)


BAND_COLOURS = {"good": "#dff0e0", "fair": "#ffe8c2", "poor": "#ffd3d6", "": "#ffffff"}
ANSWER_COLOURS = {"yes": "#dff0e0", "no": "#ffd3d6", "na": "#eceff1"}


def audit_report_pdf(
    detail: AuditDetail,
    path: Path,
    provider_name: str,
    today: dt.date,
    trend: Sequence[TrendPoint] = (),
) -> Path:
    """The audit as a report for the file and the inspector: findings, score, actions, sign-off."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19)
    h2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8)
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", fontName=FONT, fontSize=7.5, leading=9.5, textColor="#546e7a")
    row = detail.row
    grid = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    head = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
    ]

    score_text = r.format_score(row.score) or "not scored"
    previous = detail.previous
    facts: list[list[Any]] = [
        [
            "Reference",
            f"{row.reference}" + (f" (revision {row.revision})" if row.revision > 1 else ""),
        ],
        ["Date of audit", format_date(row.audited_on)],
        ["Auditor", row.auditor],
        ["Scope", Paragraph(markup(row.scope_note or "—"), body)],
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
                *grid,
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
    story: list[Any] = [
        Paragraph(f"{markup(row.template)} — audit report", h1),
        Paragraph(markup(provider_name), body),
        Spacer(1, 4 * mm),
        fact_table,
    ]
    if detail.summary:
        story += [Paragraph("Summary", h2), Paragraph(markup(detail.summary), body)]
    statements = r.statements_of(detail.template.items)
    if statements:
        story += [
            Paragraph("CQC quality statements this audit evidences", h2),
            Paragraph(markup("; ".join(statement_label(s) for s in statements)), body),
        ]

    actions_by_item: dict[str, int] = {}
    for a in detail.actions:
        actions_by_item[a.item_id] = actions_by_item.get(a.item_id, 0) + 1
    prev_t = detail.previous_template
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
                Paragraph(markup(item.question), body),
                r.answer_text(item, ans),
                Paragraph(markup(comment.strip()), body),
            ]
            if prev_t is not None:
                line.append(r.compare(item, detail.previous_answers.get(item.id), ans).value)
            data.append(line)
            if r.is_failed(item, ans):
                key = "no"
            elif ans is not None and ans.answer == r.NA:
                key = "na"
            else:
                key = "yes" if r.is_answered(item, ans) else ""
            if key in ANSWER_COLOURS:
                i = len(data) - 1
                styles.append(("BACKGROUND", (2, i), (2, i), colors.HexColor(ANSWER_COLOURS[key])))
        widths = (
            [10 * mm, 78 * mm, 20 * mm, 72 * mm]
            if prev_t is None
            else [10 * mm, 70 * mm, 18 * mm, 62 * mm, 20 * mm]
        )
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([*grid, *head, *styles]))
        story += [Paragraph(markup(section.title), h2), table]

    story.append(Paragraph("Actions raised from this audit", h2))
    if detail.actions:
        numbers = {item.id: n for n, _, item in detail.template.numbered()}
        adata: list[list[Any]] = [["Q", "What needs to be done", "Owner", "Due", "Status"]]
        for a in detail.actions:
            status = a.status.value.capitalize() + (
                f" {format_date(a.completed_on)}" if a.completed_on else ""
            )
            adata.append(
                [
                    str(numbers.get(a.item_id, "")),
                    Paragraph(markup(a.description), body),
                    a.owner,
                    format_date(a.due_on),
                    status,
                ]
            )
        atable = Table(adata, colWidths=[10 * mm, 88 * mm, 32 * mm, 22 * mm, 28 * mm], repeatRows=1)
        atable.setStyle(TableStyle([*grid, *head]))
        story.append(atable)
    else:
        story.append(Paragraph("None.", body))

    trend = [p for p in trend if p.audited_on <= row.audited_on]  # as it stood then
    if len(trend) > 1:
        story.append(Paragraph("Score trend for this audit", h2))
        recent = list(trend)[-8:]
        tdata = [
            [format_date(p.audited_on) for p in recent],
            [r.format_score(p.score) for p in recent],
        ]
        ttable = Table(tdata)
        ttable.setStyle(
            TableStyle(
                [
                    *grid,
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
        story.append(ttable)

    if len(detail.revisions) > 1:
        story.append(Paragraph("Revisions", h2))
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
                    body,
                )
            )

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
    signatures.setStyle(TableStyle([*grid, *head]))
    story += [
        KeepTogether([Paragraph("Sign-off", h2), signatures]),
        Spacer(1, 3 * mm),
        Paragraph(
            "Score = weighted percentage of applicable questions met (N/A left out). Bands used "
            f"in this report: {r.GOOD_SCORE:.0f}% and over good, {r.FAIR_SCORE:.0f}–"
            f"{r.GOOD_SCORE - 1:.0f}% fair, under {r.FAIR_SCORE:.0f}% poor (Provider Desk's "
            "bands, not CQC ratings).",
            small,
        ),
    ]
    return build_pdf(
        path,
        story,
        title=f"{row.template} {row.reference}",
        author=provider_name,
        footer=f"{provider_name} — {row.template} {row.reference}, printed {printed_on(today)}",
    )


def audits_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export audits`."""
    return [f"Wrote {export_audits(db, out)} audits to {out}."]


def audit_report_command(db: Database, out: Path, today: dt.date, *, reference: str) -> list[str]:
    """`provider-desk export audit-report AUD-2026-004`: one audit, printed.

    Raises:
        ValidationError: not a .pdf name, or no audit with that reference.
    """
    from provider_desk.areas.audits.queries import audit_detail, score_trend
    from provider_desk.errors import ValidationError
    from provider_desk.settings.queries import get_settings

    if out.suffix.lower() != ".pdf":
        raise ValidationError.single("out", f"Choose a .pdf file name, not '{out.name}'.")
    found = [a for a in list_audits(db) if a.reference.lower() == reference.strip().lower()]
    if not found:
        raise ValidationError.single("reference", f"No audit has the reference '{reference}'.")
    detail = audit_detail(db, found[0].id, today)
    assert detail is not None
    name = get_settings(db).provider_name or "Provider Desk"
    audit_report_pdf(detail, out, name, today, score_trend(db, detail.row.template_id))
    return [f"Wrote the report of {detail.row.reference} ({detail.row.template}) to {out}."]
