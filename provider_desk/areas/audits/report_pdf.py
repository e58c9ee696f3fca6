"""One audit as a printable report (PDF) for the file and the inspector, built section by section;
and the report assembled from the database in one read transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import (
    AuditDetail,
    TrendPoint,
    audit_detail_in,
    score_trend_in,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.pdf.render import Renderer, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.resources import statement_label
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import get_settings_in

BAND_COLOURS = {"good": "#dff0e0", "fair": "#ffe8c2", "poor": "#ffd3d6", "": "#ffffff"}
ANSWER_COLOURS = {"yes": "#dff0e0", "no": "#ffd3d6", "na": "#eceff1"}

Story = list[Any]


def audit_report(
    db: Database, audit_id: int, path: Path, today: dt.date, progress: Progress = no_progress
) -> Path:
    """Print the audit ``audit_id``: its detail, its template's score trend and the provider's
    name are read in one read transaction, then the PDF is written to ``path``.

    Raises:
        ValidationError: the audit no longer exists.
        Cancelled: ``progress`` returned False; nothing was written.
    """
    with db.reading() as s:
        detail = audit_detail_in(s, audit_id, today)
        if detail is None:
            raise ValidationError.single("id", "That audit no longer exists.")
        provider = get_settings_in(s).provider_name or "Provider Desk"
        trend = score_trend_in(s, detail.row.template_id)
    return audit_report_pdf(detail, path, provider, today, trend, progress)


class AuditReportPdf(Renderer):
    """The audit as a report: summary and facts, the findings section by section, the actions
    raised, the score trend, the revisions and the sign-off."""

    subject = "Audit report: findings, score, actions raised and sign-off"

    def __init__(
        self,
        detail: AuditDetail,
        provider_name: str,
        today: dt.date,
        trend: Sequence[TrendPoint] = (),
    ) -> None:
        row = detail.row
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — {row.template} {row.reference}, printed {printed_on(today)}",
        )
        self.title = f"{row.template} {row.reference}"
        self.detail, self.trend = detail, tuple(trend)

    def story(self) -> Story:
        return [
            *self._summary(),
            *self._findings(),
            *self._actions(),
            *self._trend(),
            *self._revisions(),
            *self._sign_off(),
        ]

    def _facts(self) -> Any:
        """Reference, date, auditor, scope, questions, score and status; for a re-audit, the
        score then and now."""
        detail = self.detail
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
            ["Scope", row.scope_note or "—"],
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
        band = BAND_COLOURS[r.score_band(row.score)]
        return self.details(facts, [38, 142], fills=[(1, 5, band)])

    def _summary(self) -> Story:
        """The title, the facts, the auditor's summary and the quality statements evidenced."""
        detail = self.detail
        story: Story = [
            self.para(detail.row.template, "title"),
            self.para(f"{self.author} — audit report", "muted"),
            self.space(),
            self._facts(),
        ]
        if detail.summary:
            story += [self.heading("Summary"), self.para(detail.summary)]
        statements = r.statements_of(detail.template.items)
        if statements:
            story += [
                self.heading("CQC quality statements this audit evidences"),
                self.para("; ".join(statement_label(s) for s in statements)),
            ]
        return story

    def _findings(self) -> Story:
        """One table per section of the template: each question, its answer, the comment and
        evidence, and (for a re-audit) what changed since last time."""
        detail = self.detail
        actions_by_item: dict[str, int] = {}
        for a in detail.actions:
            actions_by_item[a.item_id] = actions_by_item.get(a.item_id, 0) + 1
        prev_t = detail.previous_template
        story: Story = [self.heading("Findings")]
        for section in detail.template.sections:
            header = ["No.", "Question", "Answer", "Comment and evidence"]
            if prev_t is not None:
                header.append("Since last")
            rows: list[list[Any]] = []
            fills: list[tuple[int, int, str]] = []
            for n, sec, item in detail.template.numbered():
                if sec is not section:
                    continue
                ans = detail.answers.get(item.id)
                comment = ans.comment if ans else ""
                if ans and ans.attachment_id:
                    name = detail.attachment_names.get(ans.attachment_id, "file")
                    comment += f"\nEvidence: {name}"
                if actions_by_item.get(item.id):
                    comment += f"\nActions raised: {actions_by_item[item.id]}"
                line: list[Any] = [
                    str(n),
                    item.question,
                    r.answer_text(item, ans),
                    comment.strip(),
                ]
                if prev_t is not None:
                    line.append(r.compare(item, detail.previous_answers.get(item.id), ans).value)
                key = _answer_key(item, ans)
                if key in ANSWER_COLOURS:
                    fills.append((2, len(rows), ANSWER_COLOURS[key]))
                rows.append(line)
            widths = [10, 78, 20, 72] if prev_t is None else [10, 70, 18, 62, 20]
            story += [
                self.heading(section.title, 1),
                self.table(header, rows, widths, fills=fills),
            ]
        return story

    def _actions(self) -> Story:
        """The actions raised from the audit, with owner, due date and status."""
        detail = self.detail
        story: Story = [self.heading("Actions raised from this audit")]
        if not detail.actions:
            return [*story, self.para("None.")]
        numbers = {item.id: n for n, _, item in detail.template.numbered()}
        rows: list[list[Any]] = []
        for a in detail.actions:
            status = a.status.value.capitalize() + (
                f" {format_date(a.completed_on)}" if a.completed_on else ""
            )
            rows.append(
                [
                    str(numbers.get(a.item_id, "")),
                    a.description,
                    a.owner,
                    format_date(a.due_on),
                    status,
                ]
            )
        return [
            *story,
            self.table(
                ["Q", "What needs to be done", "Owner", "Due", "Status"],
                rows,
                [10, 88, 32, 22, 28],
            ),
        ]

    def _trend(self) -> Story:
        """The last eight scores of this audit up to this one (nothing with fewer than two)."""
        trend = [p for p in self.trend if p.audited_on <= self.detail.row.audited_on]
        if len(trend) <= 1:
            return []  # as it stood then: later audits are left out
        from reportlab.lib.units import mm

        recent = trend[-8:]
        return [
            self.heading("Score trend for this audit"),
            self.table(
                [format_date(p.audited_on) for p in recent],
                [[r.format_score(p.score) for p in recent]],
                [1] * len(recent),
                centred=range(len(recent)),
                fills=[(i, 0, BAND_COLOURS[r.score_band(p.score)]) for i, p in enumerate(recent)],
                width=min(self.frame_width(), 24 * mm * len(recent)),
                grid=True,
            ),
        ]

    def _revisions(self) -> Story:
        """Each revision with its reason (only when the audit was revised)."""
        detail = self.detail
        if len(detail.revisions) <= 1:
            return []
        story: Story = [self.heading("Revisions")]
        for rev in detail.revisions:
            finished = (
                f" (finished {format_date(rev.finished_on)})" if rev.finished_on else " (draft)"
            )
            story.append(
                self.para(f"Revision {rev.revision}: {rev.reason or 'first version'}{finished}")
            )
        return story

    def _sign_off(self) -> Story:
        """The auditor's and the registered manager's sign-off, and how the score is worked
        out."""
        row = self.detail.row
        return [
            self.keep(
                self.heading("Sign-off"),
                self.signatures(
                    [
                        (
                            "Auditor",
                            [
                                f"Name: {row.auditor}",
                                f"Finished: {format_date(row.finished_on, '………………')}",
                                "Signature:",
                            ],
                        ),
                        (
                            "Registered manager",
                            [
                                f"Name: {row.manager_signed_by or '…………………………………………'}",
                                f"Signed off: {format_date(row.manager_signed_on, '………………')}",
                                "Signature:",
                            ],
                        ),
                    ]
                ),
            ),
            self.space(3),
            self.para(
                "Score = weighted percentage of applicable questions met (N/A left out). Bands "
                f"used in this report: {r.GOOD_SCORE:.0f}% and over good, {r.FAIR_SCORE:.0f}–"
                f"{r.GOOD_SCORE - 1:.0f}% fair, under {r.FAIR_SCORE:.0f}% poor (Provider Desk's "
                "bands, not CQC ratings).",
                "small",
            ),
        ]


def audit_report_pdf(
    detail: AuditDetail,
    path: Path,
    provider_name: str,
    today: dt.date,
    trend: Sequence[TrendPoint] = (),
    progress: Progress = no_progress,
) -> Path:
    """The audit as a report for the file and the inspector: findings, score, actions, sign-off."""
    return AuditReportPdf(detail, provider_name, today, trend).render(path, progress)


def _answer_key(item: r.AuditItem, ans: r.Answer | None) -> str:
    """Which colour the answer cell takes: not met, not applicable, met, or none."""
    if r.is_failed(item, ans):
        return "no"
    if ans is not None and ans.answer == r.NA:
        return "na"
    return "yes" if r.is_answered(item, ans) else ""
