"""Complaint letters: fill an editable template with the complaint's details, and print it on a
simple letterhead as PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from provider_desk.areas.complaints.queries import ComplaintRow
from provider_desk.areas.complaints.rules import escalation_text
from provider_desk.pdf.render import FONT_BOLD, Renderer, derive
from provider_desk.progress import Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import SettingsRow

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


class LetterPdf(Renderer):
    """A letter to the complainant on a simple letterhead: the provider, the date, their
    address, then the text. No page header and no confidentiality line: it is theirs."""

    subject = "Letter about a complaint"
    margin_mm = 22

    def __init__(self, text: str, org: SettingsRow, c: ComplaintRow, today: dt.date) -> None:
        provider = org.provider_name or "Provider Desk"
        super().__init__(
            author=provider, footer=f"{provider} — our reference {c.reference}", header=""
        )
        self.title = f"Complaint {c.reference}"
        self.text, self.org, self.complaint, self.today = text, org, c, today
        self.letter = derive("body", fontSize=10.5, leading=15, spaceAfter=7)
        self.strong = derive(self.letter, fontName=FONT_BOLD)

    def story(self) -> list[Any]:
        org, c = self.org, self.complaint
        story: list[Any] = [self.para(self.author, "h1")]
        if org.address:
            story.append(self.para(org.address, "muted"))
        if org.cqc_location_id:
            story.append(self.para(f"CQC location {org.cqc_location_id}", "muted"))
        story += [self.space(10), self.para(format_date(self.today), self.letter)]
        address = "\n".join(x for x in (c.complainant_name, c.complainant_address) if x)
        story += [self.para(address, self.letter), self.space(4)]
        for para in self.text.split("\n\n"):
            para = para.strip("\n")
            if not para:
                continue
            heading = para.startswith("Your complaint, reference") or (
                "\n" not in para and len(para) < 40 and not para.endswith((".", ","))
            )
            story.append(self.para(para, self.strong if heading else self.letter))
        return story


def letter_pdf(
    text: str,
    path: Path,
    org: SettingsRow,
    c: ComplaintRow,
    today: dt.date,
    progress: Progress = no_progress,
) -> Path:
    """Print ``text`` as a letter: letterhead, date, the complainant's address, the body."""
    return LetterPdf(text, org, c, today).render(path, progress)
