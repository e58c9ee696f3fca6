"""The columns of the audit programme and of the audits done (Audits page)."""

from __future__ import annotations

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import (
    AWAITING_SIGN_OFF,
    DRAFT,
    SIGNED_OFF,
    AuditRow,
    ProgrammeRow,
)
from provider_desk.rules.dates import format_date
from ui.icons import AMBER, BLUE, GREEN, GREY, RED, cell_icon, qcolor
from ui.levels import level_icon, level_text
from ui.models.table import Column
from ui.page import staff_item
from ui.widgets.links import link_column

_BAND = {"good": GREEN, "fair": AMBER, "poor": RED, "": GREY}
_STATUS_ICON = {
    DRAFT: ("fa5s.pen", BLUE),
    AWAITING_SIGN_OFF: ("fa5s.user-clock", AMBER),
    SIGNED_OFF: ("fa5s.lock", GREEN),
}
AREA = "audits"  # whose words the levels take: missing reads "never done"


def _score_colour(score: float | None) -> object:
    return qcolor(_BAND[r.score_band(score)])


PROGRAMME_COLUMNS: list[Column[ProgrammeRow]] = [
    Column("Audit", lambda p: p.name, tooltip=lambda p: p.description),
    Column(
        "Status",
        lambda p: level_text(p.status, AREA) + (" (draft started)" if p.drafts else ""),
        sort=lambda p: (p.status.rank, p.next_due),
        decoration=lambda p: level_icon(p.status),
    ),
    Column("Next due", lambda p: format_date(p.next_due), sort=lambda p: p.next_due),
    Column(
        "How often", lambda p: p.frequency.capitalize(), sort=lambda p: r.FREQUENCIES[p.frequency]
    ),
    Column("Last audit", lambda p: format_date(p.last_done, "never"), sort=lambda p: p.last_done),
    Column(
        "Last score",
        lambda p: r.format_score(p.last_score),
        sort=lambda p: p.last_score if p.last_score is not None else -1,
        foreground=lambda p: _score_colour(p.last_score),
        align_right=True,
    ),
    Column("Questions", lambda p: str(p.questions), sort=lambda p: p.questions, align_right=True),
    Column("Scope", lambda p: p.scope_text.capitalize()),
]

AUDIT_COLUMNS: list[Column[AuditRow]] = [
    Column("Date", lambda a: format_date(a.audited_on), sort=lambda a: a.audited_on),
    Column("Reference", lambda a: a.reference + (f" rev {a.revision}" if a.revision > 1 else "")),
    Column("Audit", lambda a: a.template),
    Column(
        "Score",
        lambda a: r.format_score(a.score),
        sort=lambda a: a.score if a.score is not None else -1,
        foreground=lambda a: _score_colour(a.score),
        align_right=True,
    ),
    Column("Not met", lambda a: str(a.failed), sort=lambda a: a.failed, align_right=True),
    Column(
        "Open actions",
        lambda a: f"{a.open_actions} of {a.actions}" if a.actions else "–",
        sort=lambda a: a.open_actions,
        align_right=True,
    ),
    Column(
        "Status",
        lambda a: a.status.capitalize(),
        decoration=lambda a: cell_icon(*_STATUS_ICON[a.status]),
        tooltip=lambda a: (
            f"Signed off by {a.manager_signed_by} on {format_date(a.manager_signed_on)}"
            if a.manager_signed_on
            else ""
        ),
    ),
    link_column(
        "Auditor",
        lambda a: a.auditor,
        lambda a: staff_item(a.auditor_id, a.auditor),
        where=" on the Staff page",
    ),
    Column("Re-audit of", lambda a: a.follow_up_of),
    Column("Scope", lambda a: a.scope_note, tooltip=lambda a: a.scope_note),
]
AUDITOR_COLUMN = [c.title for c in AUDIT_COLUMNS].index("Auditor")
