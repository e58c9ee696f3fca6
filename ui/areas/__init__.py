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

ICONS: dict[str, str] = {
    "staff": "fa5s.users",
    "training": "fa5s.graduation-cap",
    "supervision": "fa5s.comments",
    "people": "fa5s.home",
    "complaints": "fa5s.comment-dots",
    "audits": "fa5s.clipboard-check",
    "actions": "fa5s.tasks",
}
"""Each page's navigation icon, here so the navigation is drawn before any page is imported (a
page's ``icon_name`` says the same)."""


def make_page(key: str, ctx: AppContext) -> Page:
    """Build the page of the area with ``key``."""
    page: Page = load(PAGES[key])(ctx)
    return page
