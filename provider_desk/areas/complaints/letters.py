"""Complaint letters: fill an editable template with the complaint's details, and print it on a
simple letterhead as PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from provider_desk.areas.complaints.queries import ComplaintRow
from provider_desk.areas.complaints.rules import escalation_text
from provider_desk.pdf.render import FONT, FONT_BOLD, markup, register_fonts
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import SettingsRow
from provider_desk.tabular.write import atomic_path

PLACEHOLDERS = (
    "complainant_name",
    "reference",
    "received_on",
    "response_due",
    "acknowledgement_due",
    "investigator_name",
    "findings",
    "outcome",
    "apology",
    "escalation",
    "lessons_learned",
    "registered_manager",
    "provider_name",
    "today",
)


def fill_letter(template: str, c: ComplaintRow, org: SettingsRow, today: dt.date) -> str:
    """The letter text with every {placeholder} filled in."""
    values = {
        "complainant_name": c.complainant_name,
        "reference": c.reference,
        "received_on": format_date(c.received_on),
        "response_due": format_date(c.response_due),
        "acknowledgement_due": format_date(c.acknowledgement_due),
        "investigator_name": c.investigator or org.registered_manager or "A senior manager",
        "findings": c.findings or "(findings to be written)",
        "outcome": c.outcome or "(outcome to be decided)",
        "apology": "We are sorry for what happened and for the distress it caused."
        if c.apology_given
        else "",
        "lessons_learned": c.lessons_learned or "(what will change)",
        "escalation": escalation_text(c.funding),
        "registered_manager": org.registered_manager or "The Registered Manager",
        "provider_name": org.provider_name or "Provider Desk",
        "today": format_date(today),
    }
    return template.format(**values)


def letter_pdf(text: str, path: Path, org: SettingsRow, c: ComplaintRow, today: dt.date) -> Path:
    """Print ``text`` as a letter: letterhead, date, the complainant's address, the body."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    head = ParagraphStyle(
        "head", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=colors.HexColor("#1f3a4d")
    )
    small = ParagraphStyle(
        "small", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor("#455a64")
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, spaceAfter=7)

    story: list[Any] = [Paragraph(markup(org.provider_name or "Provider Desk"), head)]
    if org.address:
        story.append(Paragraph(markup(org.address), small))
    if org.cqc_location_id:
        story.append(Paragraph(f"CQC location {markup(org.cqc_location_id)}", small))
    story += [Spacer(1, 10 * mm), Paragraph(format_date(today), body)]
    address = "\n".join(x for x in (c.complainant_name, c.complainant_address) if x)
    story += [Paragraph(markup(address), body), Spacer(1, 4 * mm)]
    for para in text.split("\n\n"):
        para = para.strip("\n")
        if not para:
            continue
        style = body
        if para.startswith("Your complaint, reference") or (
            "\n" not in para and len(para) < 40 and not para.endswith((".", ","))
        ):
            style = ParagraphStyle("b", parent=body, fontName=FONT_BOLD)
        story.append(Paragraph(markup(para), style))
    with atomic_path(path) as tmp:
        SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=f"Complaint {c.reference}",
            author=org.provider_name,
        ).build(story)
    return path
