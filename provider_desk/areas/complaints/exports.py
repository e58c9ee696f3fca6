"""Complaints and compliments out: the logs as CSV/XLSX, and the Regulation 16(3) summary for CQC
as CSV and PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from provider_desk.areas.complaints.queries import (
    ComplaintsSummary,
    list_complaints,
    list_compliments,
)
from provider_desk.db.session import Database
from provider_desk.pdf.render import Renderer, markup, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.tabular.write import write_table

COMPLAINT_COLUMNS = (
    "reference",
    "received_on",
    "channel",
    "complainant",
    "relationship",
    "person_concerned",
    "funding",
    "staff_concerned",
    "category",
    "severity",
    "summary",
    "safeguarding",
    "duty_of_candour",
    "investigator",
    "acknowledgement_due",
    "acknowledged_on",
    "response_due",
    "responded_on",
    "outcome",
    "apology_given",
    "complainant_satisfied",
    "ombudsman_referred_on",
    "council_referred_on",
    "lessons_learned",
    "closed_on",
    "status",
)


def export_complaints(db: Database, path: Path, today: dt.date) -> int:
    """The complaints log; dates are ISO (YYYY-MM-DD) in CSV and real dates in XLSX."""
    rows = [
        (
            r.reference,
            r.received_on,
            r.channel,
            r.complainant_name,
            r.complainant_relation,
            r.person_concerned,
            r.funding,
            r.staff_concerned,
            r.category,
            r.severity,
            r.summary,
            "yes" if r.safeguarding else "no",
            "yes" if r.duty_of_candour else "no",
            r.investigator,
            r.acknowledgement_due,
            r.acknowledged_on,
            r.response_due,
            r.responded_on,
            r.outcome,
            "yes" if r.apology_given else "no",
            r.complainant_satisfied,
            r.ombudsman_referred_on,
            r.council_referred_on,
            r.lessons_learned,
            r.closed_on,
            r.status.value,
        )
        for r in sorted(list_complaints(db, today), key=lambda r: r.received_on)
    ]
    write_table(path, COMPLAINT_COLUMNS, rows, sheet_title="Complaints")
    return len(rows)


def export_compliments(db: Database, path: Path) -> int:
    """The compliments log."""
    rows = [
        (c.received_on, c.from_name, c.about_person, c.staff, c.what_was_said, c.channel)
        for c in sorted(list_compliments(db), key=lambda c: c.received_on)
    ]
    write_table(
        path,
        ("received_on", "from", "about_person", "staff", "what_was_said", "channel"),
        rows,
        sheet_title="Compliments",
    )
    return len(rows)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def summary_csv(summary: ComplaintsSummary, path: Path) -> Path:
    """The summary as CSV: the figures, then one line per complaint."""
    rows: list[tuple[Any, ...]] = [
        ("period_start", summary.start),
        ("period_end", summary.end),
        ("received", summary.received),
        ("upheld_percent", _pct(summary.upheld_percent)),
        ("acknowledged_on_time_percent", _pct(summary.acknowledged_on_time_percent)),
        ("responded_on_time_percent", _pct(summary.responded_on_time_percent)),
        ("still_open", summary.still_open),
        ("compliments", summary.compliments),
    ]
    rows += [(f"category: {k}", n) for k, n in summary.by_category.items()]
    rows += [(f"outcome: {k}", n) for k, n in summary.by_outcome.items()]
    rows.append(("", ""))
    rows.append(
        (
            "reference",
            "received_on",
            "category",
            "acknowledged_on",
            "responded_on",
            "outcome",
            "status",
            "apology_given",
            "findings",
        )
    )
    rows += [
        (
            c.reference,
            c.received_on,
            c.category,
            c.acknowledged_on,
            c.responded_on,
            c.outcome,
            c.status.value,
            "yes" if c.apology_given else "no",
            c.findings,
        )
        for c in summary.complaints
    ]
    # Regulation 16(3): the responses made and further correspondence, step by step.
    rows.append(("", ""))
    rows.append(("reference", "date", "step_or_correspondence", "by"))
    rows += [
        (c.reference, e.happened_on, e.what, e.who)
        for c in summary.complaints
        for e in summary.correspondence.get(c.reference, ())
    ]
    write_table(path, ("figure", "value"), rows, sheet_title="Summary")
    return path


CONFIDENTIAL = "Confidential: contains personal information. Do not share beyond those who need it."


class SummaryPdf(Renderer):
    """The Regulation 16(3) summary: the figures, complaints by category, then each complaint."""

    title = "Complaints summary"
    subject = "Summary of complaints received and how they were handled (Regulation 16(3))"

    def __init__(self, summary: ComplaintsSummary, provider_name: str, today: dt.date) -> None:
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — complaints summary, printed {printed_on(today)}",
            confidential=CONFIDENTIAL,
        )
        self.summary, self.today = summary, today

    def story(self) -> list[Any]:
        s = self.summary
        return [
            self.para("Complaints summary", "title"),
            self.para(
                f"{self.author}. Complaints received {format_date(s.start)} to "
                f"{format_date(s.end)}, as at "
                f"{format_date(self.today)}. Prepared for CQC under Regulation 16(3)."
            ),
            self.space(),
            self.figures(
                [
                    ("Complaints received", str(s.received)),
                    ("Upheld or partly upheld (of those decided)", _pct(s.upheld_percent)),
                    ("Acknowledged on time", _pct(s.acknowledged_on_time_percent)),
                    ("Responded to on time", _pct(s.responded_on_time_percent)),
                    ("Still open", str(s.still_open)),
                    ("Compliments received", str(s.compliments)),
                ],
            ),
            self.heading("By category"),
            self.figures(
                [(k.capitalize(), str(n)) for k, n in s.by_category.items()],
                header=("Category", "Complaints"),
            ),
            self.heading("Each complaint"),
            self._each(),
            *self._correspondence(),
        ]

    def _each(self) -> Any:
        """One row per complaint; every cell wraps, so long categories and outcomes stay in
        their columns."""
        rows = []
        for c in self.summary.complaints:
            response = format_date(c.responded_on, "not yet") + (
                ""
                if c.responded_on_time is None
                else (" (on time)" if c.responded_on_time else " (late)")
            )
            rows.append(
                [
                    c.reference,
                    format_date(c.received_on),
                    c.category.capitalize(),
                    c.summary[:300],
                    response,
                    (c.outcome or c.status.value).capitalize(),
                ]
            )
        return self.table(
            ["Reference", "Received", "Category", "Summary", "Response", "Outcome"],
            rows,
            [23, 21, 28, 51, 23, 34],
        )

    def _correspondence(self) -> list[Any]:
        """Regulation 16(3): the summary covers the responses made and further correspondence
        too, not only the complaints."""
        out: list[Any] = [self.heading("Responses made and further correspondence")]
        for c in self.summary.complaints:
            response = (
                f"Response sent {format_date(c.responded_on)}"
                if c.responded_on
                else "No full response sent yet"
            )
            if c.outcome:
                response += f": {c.outcome}"
            if c.apology_given:
                response += "; an apology was given"
            block: list[Any] = [
                self.para(f"<b>{markup(c.reference)}</b>", raw=True),
                self.para(response + "."),
            ]
            if c.findings:
                block.append(self.para(f"Findings: {c.findings[:1500]}"))
            steps = [
                [format_date(e.happened_on), e.what[:600], e.who]
                for e in self.summary.correspondence.get(c.reference, ())
            ]
            if steps:
                block.append(
                    self.table(["Date", "Step or correspondence", "By"], steps, [24, 110, 44])
                )
            out += [*block, self.space(2)]
        return out


def summary_pdf(
    summary: ComplaintsSummary,
    path: Path,
    provider_name: str,
    today: dt.date,
    progress: Progress = no_progress,
) -> Path:
    """The summary CQC may ask for under Regulation 16(3), as a PDF."""
    return SummaryPdf(summary, provider_name, today).render(path, progress)


def complaints_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export complaints`."""
    return [f"Wrote {export_complaints(db, out, today)} complaints to {out}."]


def compliments_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export compliments`."""
    return [f"Wrote {export_compliments(db, out)} compliments to {out}."]


def summary_command(db: Database, out: Path, today: dt.date, *, start: str, end: str) -> list[str]:
    """`provider-desk export complaints-summary --from … --to …` (.pdf or .csv).

    Raises:
        ValidationError: a date that is not a date, or a period that ends before it starts.
    """
    from provider_desk.areas.complaints.queries import complaints_summary
    from provider_desk.errors import ValidationError
    from provider_desk.rules.dates import DateParseError, parse_date
    from provider_desk.settings.queries import get_settings

    try:
        first, last = parse_date(start), parse_date(end)
    except DateParseError as exc:
        raise ValidationError.single("period", str(exc)) from None
    if first is None or last is None or last < first:
        raise ValidationError.single("period", "Give a period whose end is after its start.")
    summary = complaints_summary(db, first, last, today)
    if out.suffix.lower() == ".pdf":
        summary_pdf(summary, out, get_settings(db).provider_name or "Provider Desk", today)
    else:
        summary_csv(summary, out)
    return [f"Wrote the summary of {summary.received} complaints to {out}."]
