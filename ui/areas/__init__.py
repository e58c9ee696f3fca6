"""One package per area of the client: its page and dialogs. ``PAGES`` maps each area's key (from
``provider_desk.areas.AREAS``) to its page class: the one place the client names its pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from provider_desk.areas import load

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.page import Page

PAGES: dict[str, str] = {
    "staff": "ui.areas.staff.page:StaffPage",
    "training": "ui.areas.training.page:TrainingPage",
    "supervision": "ui.areas.supervision.page:SupervisionPage",
    "people": "ui.areas.people.page:PeoplePage",
    "complaints": "ui.areas.complaints.page:ComplaintsPage",
    "audits": "ui.areas.audits.page:AuditsPage",
    "actions": "ui.areas.actions.page:ActionsPage",
}


def make_page(key: str, ctx: AppContext) -> Page:
    """Build the page of the area with ``key``."""
    page: Page = load(PAGES[key])(ctx)
    return page
