"""The evidence pack as a PDF: a renderer over the frozen snapshot (:class:`Pack`), with sections
as methods and the shared page template and styles of :mod:`provider_desk.pdf.render`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from provider_desk.dashboard.readiness import Colour, StatementReadiness
from provider_desk.evidence.snapshot import MatrixAppendix, Pack, Share
from provider_desk.pdf.render import ACCENT, Renderer
from provider_desk.reading import Evidence
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level, word

COLOUR_STYLE = {
    Colour.GREEN: ("Green", "evidence held", LEVEL_STYLE[Level.IN_DATE]),
    Colour.AMBER: ("Amber", "weakened or held elsewhere", LEVEL_STYLE[Level.DUE_SOON]),
    Colour.RED: ("Red", "no evidence in the period", LEVEL_STYLE[Level.MISSING]),
}
WEAKENING_LISTED = 12
"""How many late items a statement lists before "and N more" (the to-do list has them all)."""
EXAMPLES = 3
"""How many records an evidence line names as examples."""
MATRIX_COLUMNS = 6
"""Courses (or kinds of session) per matrix table: a portrait page holds six legibly."""
CONFIDENTIAL = (
    "Confidential: prepared for the Care Quality Commission. Contains personal information about "
    "staff; do not share beyond those who need it."
)


def _pct(share: Share) -> str:
    p = share.percent
    return "—" if p is None else f"{p:.0f}% ({share.done} of {share.of})"


def _date(day: Any) -> str:
    return format_date(day) if day else "—"


def _yes(value: bool | None, yes: str = "on time", no: str = "late") -> str:
    return "" if value is None else (yes if value else no)


class PackRenderer(Renderer):
    """Cover, contents, summary, gaps, the five key questions, appendices."""

    title = "Evidence for inspection"
    subject = "Evidence held for the CQC quality statements, with the gaps to act on"
    contents = True

    def __init__(self, pack: Pack, **kwargs: Any) -> None:
        cover = pack.cover
        provider = cover.provider or "Provider Desk"
        kwargs.setdefault("author", provider)
        kwargs.setdefault(
            "footer",
            f"Evidence for inspection, {cover.period.label}, "
            f"prepared {format_date(cover.prepared_on)}",
        )
        kwargs.setdefault("confidential", CONFIDENTIAL)
        super().__init__(**kwargs)
        self.pack = pack

    # The document ---------------------------------------------------------------------------
    def story(self) -> list[Any]:
        from reportlab.platypus import PageBreak

        out: list[Any] = []
        out += self.cover_page()
        out += [PageBreak(), self.para("Contents", "h1"), self.contents_table(), PageBreak()]
        out += self.summary()
        out += [PageBreak(), *self.gaps()]
        for kq in self.pack.readiness.key_questions:
            out.append(PageBreak())
            out.append(self.heading(kq.name, 0))
            counts = ", ".join(f"{kq.count(c)} {c.value}" for c in Colour)
            out.append(self.para(f"{len(kq.statements)} quality statements: {counts}.", "muted"))
            for st in kq.statements:
                out += self.statement(st)
        out += [PageBreak(), *self.appendices()]
        return out

    # Cover ------------------------------------------------------------------------------------
    def cover_page(self) -> list[Any]:
        c = self.pack.cover
        rows = [
            ("Provider", c.provider or "Not set (Settings → Organisation)"),
            ("CQC provider ID", c.provider_id or "Not set"),
            ("CQC location ID", c.location_id or "Not set"),
            ("Registered manager", c.manager or "Not set"),
            ("Address", c.address or "—"),
            ("Period", c.period.label),
            ("Statuses as on", format_date(c.as_of)),
            ("Prepared on", format_date(c.prepared_on)),
        ]
        privacy = (
            "This copy names the people we support: it is for the provider's own use."
            if c.names
            else "People we support appear by their service reference only; complaint summaries, "
            "complainants and what compliments said are left out. The provider's own copy can "
            "include them."
        )
        return [
            self.space(30),
            self.para("Evidence for inspection", "title"),
            self.para(c.provider or "Provider Desk", "h1"),
            self.space(6),
            self.table(["", ""], rows, [1, 2.6], zebra=False),
            self.space(8),
            self.para(
                "Organised as the Care Quality Commission assesses: the five key questions and "
                "their 34 quality statements. For each statement: the evidence held in the period "
                "by evidence category and, highlighted, the gaps to act on.",
                "body",
            ),
            self.space(3),
            self.para(privacy, "muted"),
        ]

    # Summary ----------------------------------------------------------------------------------
    def summary(self) -> list[Any]:
        h = self.pack.headline
        r = self.pack.readiness
        out: list[Any] = [self.heading("Summary", 0)]
        out.append(self.heading("Readiness by key question", 1))
        out.append(
            self.table(
                ["Key question", "Statements", "Green", "Amber", "Red"],
                [
                    [
                        kq.name,
                        len(kq.statements),
                        kq.count(Colour.GREEN),
                        kq.count(Colour.AMBER),
                        kq.count(Colour.RED),
                    ]
                    for kq in r.key_questions
                ]
                + [
                    [
                        "All",
                        len(r.statements()),
                        r.count(Colour.GREEN),
                        r.count(Colour.AMBER),
                        r.count(Colour.RED),
                    ]
                ],
                [3, 1.2, 1, 1, 1],
                numeric=(1, 2, 3, 4),
                fills=[
                    (col, row, COLOUR_STYLE[c][2].fill)
                    for row in range(len(r.key_questions) + 1)
                    for col, c in ((2, Colour.GREEN), (3, Colour.AMBER), (4, Colour.RED))
                ],
            )
        )
        out.append(self.heading("Headline figures", 1))
        audit = h.audit_average
        figures = [
            ("Required training in date", _pct(h.training)),
            ("Required supervision sessions in date", _pct(h.supervision)),
            ("Staff files with every recruitment check in and verified", _pct(h.recruitment)),
            ("People with a current care plan reviewed on time", _pct(h.care_plans)),
            ("People without a current care plan", str(h.no_current_plan)),
            ("Current plans without consent recorded", str(h.consent_missing)),
            ("Risk assessment reviews overdue", str(h.risk_reviews_overdue)),
            ("Complaints received in the period", str(h.complaints_received)),
            ("Complaints acknowledged on time", _pct(h.complaints_acknowledged)),
            ("Complaints answered on time", _pct(h.complaints_answered)),
            ("Complaints from the period still open", str(h.complaints_open)),
            ("Compliments received in the period", str(h.compliments)),
            ("Audits completed in the period", str(len(h.audits))),
            ("Average audit score", "—" if audit is None else f"{audit:.0f}%"),
            ("Actions open (of which overdue)", f"{h.actions_open} ({h.actions_overdue})"),
            ("Actions completed in the period", str(h.actions_done)),
        ]
        out.append(self.figures(figures))
        if h.months:
            out.append(self.heading("Training and supervision in date, month by month", 1))
            out.append(self.month_chart())
        if h.training_by_course:
            out.append(self.heading("Training in date by course", 1))
            out.append(
                self.bar_table(
                    ["Course", "In date", ""],
                    [(s.label, _pct(s), s.percent) for s in h.training_by_course],
                )
            )
        if h.supervision_by_kind:
            out.append(self.heading("Supervision, spot checks and appraisals in date", 1))
            out.append(
                self.bar_table(
                    ["Kind of session", "In date", ""],
                    [(s.label, _pct(s), s.percent) for s in h.supervision_by_kind],
                )
            )
        by_template: dict[str, list[float]] = {}
        for a in h.audits:
            if a.score is not None:
                by_template.setdefault(a.template, []).append(a.score)
        if by_template:
            out.append(self.heading("Audit scores over the period", 1))
            out.append(
                self.para(
                    "Each audit's average score in the period, with its first and latest score "
                    "(every audit is listed in appendix E).",
                    "small",
                )
            )
            out.append(
                self.bar_table(
                    ["Audit", "Average (first → latest)", ""],
                    [
                        (
                            name,
                            f"{sum(s) / len(s):.0f}% ({s[0]:.0f}% → {s[-1]:.0f}%, {len(s)} done)",
                            sum(s) / len(s),
                        )
                        for name, s in sorted(by_template.items())
                    ],
                )
            )
        return out

    def month_chart(self) -> Any:
        """Training and supervision in date at each month's end, as lines (0-100%)."""
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.charts.linecharts import HorizontalLineChart
        from reportlab.graphics.shapes import Drawing
        from reportlab.lib import colors

        months = self.pack.headline.months
        width = self.frame_width()
        d = Drawing(width, 150)
        chart = HorizontalLineChart()
        chart.x, chart.y, chart.width, chart.height = 36, 30, width - 150, 105
        chart.data = [
            [m.training_percent if m.training_percent is not None else 0 for m in months],
            [m.supervision_percent if m.supervision_percent is not None else 0 for m in months],
        ]
        chart.categoryAxis.categoryNames = [f"{m.month:%b %y}" for m in months]
        chart.categoryAxis.labels.fontName = "DejaVuSans"
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
        chart.valueAxis.labels.fontName = "DejaVuSans"
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = "%d%%"
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#dde3ea")
        palette = (colors.HexColor(ACCENT), colors.HexColor("#2e7d32"))
        for i, colour in enumerate(palette):
            chart.lines[i].strokeColor = colour
            chart.lines[i].strokeWidth = 1.6
        d.add(chart)
        legend = Legend()
        legend.x, legend.y = width - 105, 110
        legend.fontName, legend.fontSize = "DejaVuSans", 8
        legend.colorNamePairs = list(zip(palette, ["Training", "Supervision"], strict=True))
        d.add(legend)
        return d

    def bar_table(
        self, header: Sequence[str], bars: Sequence[tuple[str, str, float | None]]
    ) -> Any:
        """One row per (label, figure, percent) with the percent drawn as a bar: a chart that
        splits across pages however many rows it has."""
        from reportlab.graphics.shapes import Drawing, Rect
        from reportlab.lib import colors

        width = self.frame_width() * 0.38

        def bar(value: float | None) -> Any:
            d = Drawing(width, 8)
            d.add(Rect(0, 0, width, 8, fillColor=colors.HexColor("#eef1f5"), strokeColor=None))
            if value:
                d.add(
                    Rect(
                        0,
                        0,
                        width * min(value, 100) / 100,
                        8,
                        fillColor=colors.HexColor(ACCENT),
                        strokeColor=None,
                    )
                )
            return d

        return self.table(
            header,
            [[label, figure, bar(value)] for label, figure, value in bars],
            [2.6, 1.2, 2.4],
            numeric=(1,),
        )

    # Gaps -------------------------------------------------------------------------------------
    def gaps(self) -> list[Any]:
        gaps = self.pack.gaps()
        out: list[Any] = [self.heading("Gaps to act on", 0)]
        if not gaps:
            out.append(
                self.para(
                    "Every quality statement has evidence in the period and nothing "
                    "late weakens it."
                )
            )
            return out
        out.append(
            self.para(
                "Statements with no evidence in the period, statements weakened by overdue or "
                "missing items, and statements whose evidence is kept outside Provider Desk. "
                "Each is explained under its key question.",
                "muted",
            )
        )
        fills = []
        for i, (_kq, _st, what) in enumerate(gaps):
            level = Level.MISSING if what.startswith("No evidence") else Level.DUE_SOON
            fills.append((2, i, LEVEL_STYLE[level].fill))
        out.append(
            self.table(["Key question", "Quality statement", "Gap"], gaps, [1, 2, 3.4], fills=fills)
        )
        return out

    # A quality statement ----------------------------------------------------------------------
    def statement(self, st: StatementReadiness) -> list[Any]:
        from reportlab.platypus import KeepTogether

        name, meaning, style = COLOUR_STYLE[st.colour]
        if st.colour is Colour.AMBER:
            meaning = "evidence held outside Provider Desk" if st.held_outside else "weakened"
        head = [
            self.heading(st.name, 1),
            self.table(
                ["Readiness", "Why"],
                [[f"{name}: {meaning}", st.reasons[0] if st.reasons else ""]],
                [1, 3.4],
                fills=[(0, 0, style.fill)],
                zebra=False,
            ),
        ]
        out: list[Any] = [KeepTogether(head)]
        for reason in st.reasons[1:]:
            out.append(self.para(reason, "small"))
        out += self.evidence_table(st.evidence)
        if st.held_outside:
            out.append(
                self.gap_box(f"Held outside Provider Desk: {st.held_outside}", Level.DUE_SOON)
            )
        if not st.evidence and not st.held_outside:
            out.append(
                self.gap_box(
                    "Gap: no evidence recorded in Provider Desk from "
                    f"{self.pack.cover.period.label}.",
                    Level.MISSING,
                )
            )
        if st.weakening:
            listed = st.weakening[:WEAKENING_LISTED]
            rows = [
                [i.reference, word(i.level, i.area), _date(i.due_on), i.responsible] for i in listed
            ]
            more = len(st.weakening) - len(listed)
            out.append(self.space(2))
            out.append(
                self.para(
                    f"<b>Gap: {len(st.weakening)} overdue or missing item"
                    f"{'s' if len(st.weakening) != 1 else ''} weaken this statement</b>"
                    + (
                        f" (the {len(listed)} most overdue below; the home page lists all)"
                        if more
                        else ""
                    ),
                    "body",
                    raw=True,
                )
            )
            out.append(
                self.table(
                    ["What", "Status", "Due", "Who"],
                    rows,
                    [3, 1.1, 1, 1.4],
                    fills=[(1, n, LEVEL_STYLE[i.level].fill) for n, i in enumerate(listed)],
                )
            )
        out.append(self.space(3))
        return out

    def evidence_table(self, evidence: Sequence[Evidence]) -> list[Any]:
        """The evidence held, grouped by CQC's evidence categories (an item evidencing two
        categories is listed under each)."""
        if not evidence:
            return []
        rows: list[list[Any]] = []
        empty = []
        for category in self.pack.categories:
            items = [e for e in evidence if category in e.categories]
            if not items:
                empty.append(category)
                continue
            for n, e in enumerate(sorted(items, key=lambda e: (-e.count, e.title))):
                when = (
                    format_date(e.last_on)
                    if e.first_on == e.last_on
                    else f"{_date(e.first_on)} – {_date(e.last_on)}"
                )
                rows.append(
                    [category if n == 0 else "", e.title, e.count, when, _examples(e.references)]
                )
        uncategorised = [e for e in evidence if not set(e.categories) & set(self.pack.categories)]
        for e in uncategorised:
            rows.append(["Other", e.title, e.count, _date(e.last_on), _examples(e.references)])
        out: list[Any] = [
            self.table(
                ["Evidence category", "Evidence held", "Records", "When", "For example"],
                rows,
                [1.5, 2.3, 0.8, 1.6, 2.2],
                numeric=(2,),
                font_size=7.5,
            )
        ]
        if empty:
            out.append(
                self.para("No evidence in Provider Desk for: " + "; ".join(empty) + ".", "small")
            )
        return out

    def gap_box(self, text: str, level: Level) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        t = Table([[self.para(text, "body")]], colWidths=[self.frame_width()])
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(LEVEL_STYLE[level].fill)),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(LEVEL_STYLE[level].colour)),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return t

    # Appendices -------------------------------------------------------------------------------
    def appendices(self) -> list[Any]:
        from reportlab.platypus import PageBreak

        p = self.pack
        out: list[Any] = [self.heading("Appendices", 0)]
        out += self.matrix(p.training, "A. ")
        out += [PageBreak(), *self.matrix(p.supervision, "B. ")]
        out += [PageBreak(), self.heading("C. Recruitment checks", 1)]
        out.append(
            self.listing(
                ["Name", "Job role", "Started", "Not received", "To verify"],
                [
                    [r.name, r.job_role, _date(r.start_date), r.missing or "", r.unverified or ""]
                    for r in p.recruitment
                ],
                [2, 1.6, 1.1, 1, 1],
                numeric=(3, 4),
                empty="Nobody is on the staff list.",
            )
        )
        out += [PageBreak(), self.heading("D. Complaints and compliments", 1)]
        complaint_rows = [
            [
                c.reference,
                _date(c.received_on),
                c.category.capitalize(),
                c.severity,
                f"{_date(c.acknowledged_on)} {_yes(c.acknowledged_on_time)}".strip(),
                f"{_date(c.responded_on)} {_yes(c.responded_on_time)}".strip(),
                (c.outcome or c.status).capitalize(),
            ]
            for c in p.complaints
        ]
        headers = [
            "Reference",
            "Received",
            "Category",
            "Severity",
            "Acknowledged",
            "Answered",
            "Outcome",
        ]
        widths: list[float] = [1.2, 1, 1.3, 0.9, 1.5, 1.5, 1.2]
        if p.cover.names:
            headers.append("Summary")
            widths.append(2.4)
            for row, c in zip(complaint_rows, p.complaints, strict=True):
                row.append(c.summary)
        out.append(self.heading("Complaints received in the period", 2, contents=False))
        out.append(
            self.listing(
                headers, complaint_rows, widths, empty="No complaints were received in the period."
            )
        )
        out.append(self.heading("Compliments received in the period", 2, contents=False))
        compliment_rows = [
            [_date(c.received_on), c.staff or "The service", c.channel]
            + ([c.what_was_said] if p.cover.names else [])
            for c in p.compliments
        ]
        out.append(
            self.listing(
                ["Received", "For", "How"] + (["What was said"] if p.cover.names else []),
                compliment_rows,
                [1, 1.6, 1] + ([3.4] if p.cover.names else []),
                empty="No compliments were recorded in the period.",
            )
        )
        out += [PageBreak(), self.heading("E. Audit results", 1)]
        out.append(
            self.listing(
                ["Date", "Reference", "Audit", "Auditor", "Score", "Items failed", "Open actions"],
                [
                    [
                        _date(a.audited_on),
                        a.reference,
                        a.template,
                        a.auditor,
                        "—" if a.score is None else f"{a.score:.0f}%",
                        a.failed,
                        a.open_actions,
                    ]
                    for a in p.audits
                ],
                [1, 1, 2.4, 1.4, 0.8, 0.8, 0.9],
                numeric=(4, 5, 6),
                empty="No audits were done in the period.",
            )
        )
        out += [PageBreak(), self.heading("F. Action plan", 1)]
        out.append(
            self.para("Every action not done yet, and those completed in the period.", "muted")
        )
        out.append(
            self.listing(
                ["What needs to be done", "From", "Owner", "Due", "Status", "Done"],
                [
                    [
                        a.description,
                        a.source,
                        a.owner,
                        _date(a.due_on),
                        a.status.capitalize(),
                        _date(a.completed_on),
                    ]
                    for a in p.actions
                ],
                [3.2, 1, 1.3, 1, 0.9, 1],
                fills=[
                    (4, i, LEVEL_STYLE[_action_level(a.status)].fill)
                    for i, a in enumerate(p.actions)
                ],
                empty="No actions are open and none were completed in the period.",
            )
        )
        out += [PageBreak(), self.heading("G. Care plan review status", 1)]
        names = p.cover.names
        out.append(
            self.listing(
                ["Reference"]
                + (["Name"] if names else [])
                + [
                    "Care plan",
                    "Last review",
                    "Review due",
                    "Status",
                    "Consent",
                    "Risk reviews overdue",
                ],
                [
                    [c.reference]
                    + ([c.name] if names else [])
                    + [
                        c.plan,
                        _date(c.last_review),
                        _date(c.review_due),
                        word(c.review_status, "people"),
                        "yes" if c.consent else "not recorded",
                        c.risks_overdue or "",
                    ]
                    for c in p.care_plans
                ],
                [1] + ([1.6] if names else []) + [1.6, 1, 1, 1, 0.9, 0.9],
                numeric=(len(["x"] + (["n"] if names else [])) + 5,),
                fills=[
                    (3 + (1 if names else 0), i, LEVEL_STYLE[c.review_status].fill)
                    for i, c in enumerate(p.care_plans)
                    if c.review_status in (Level.OVERDUE, Level.DUE_SOON, Level.MISSING)
                ],
                empty="Nobody is supported at the moment.",
            )
        )
        return out

    def listing(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        empty: str,
        numeric: Sequence[int] = (),
        fills: Sequence[tuple[int, int, str]] = (),
    ) -> Any:
        """A register as a table, or a sentence when it is empty."""
        if not rows:
            return self.para(empty, "muted")
        return self.table(header, rows, widths, numeric=numeric, fills=fills, font_size=7.5)

    def matrix(self, m: MatrixAppendix, prefix: str) -> list[Any]:
        """A staff x columns matrix, six columns to a table, each cell coloured by its level."""
        out: list[Any] = [self.heading(prefix + m.title, 1)]
        if not m.rows:
            return [*out, self.para("Nobody is on the staff list.", "muted")]
        legend = ", ".join(
            f"{LEVEL_STYLE[lv].word}"
            for lv in (Level.IN_DATE, Level.DUE_SOON, Level.OVERDUE, Level.MISSING)
        )
        out.append(
            self.para(
                f"Cells are coloured by status ({legend}); a blank cell is not "
                "required for that role.",
                "small",
            )
        )
        for start in range(0, len(m.columns), MATRIX_COLUMNS):
            cols = m.columns[start : start + MATRIX_COLUMNS]
            rows = [
                [name, role, *[w for w, _lv in cells[start : start + MATRIX_COLUMNS]]]
                for name, role, cells in m.rows
            ]
            fills = [
                (2 + c, r, LEVEL_STYLE[lv].fill)
                for r, (_n, _role, cells) in enumerate(m.rows)
                for c, (_w, lv) in enumerate(cells[start : start + MATRIX_COLUMNS])
                if lv is not Level.NOT_REQUIRED
            ]
            out.append(
                self.table(
                    ["Name", "Job role", *cols],
                    rows,
                    [1.5, 1.2] + [1.0] * len(cols),
                    fills=fills,
                    zebra=False,
                    font_size=6.5,
                    # The last, shorter table keeps the columns as wide as the others.
                    width=self.frame_width() * (2.7 + len(cols)) / (2.7 + MATRIX_COLUMNS),
                )
            )
            out.append(self.space(3))
        return out


def _examples(references: Sequence[str], most: int = EXAMPLES, length: int = 42) -> str:
    """A few record references, each cut to ``length`` characters: enough to find the records."""
    cut = [r if len(r) <= length else r[: length - 1].rstrip() + "…" for r in references[:most]]
    return "; ".join(cut)


def _action_level(status: str) -> Level:
    return {"overdue": Level.OVERDUE, "due soon": Level.DUE_SOON, "done": Level.NOT_REQUIRED}.get(
        status, Level.IN_DATE
    )
