"""The home page's core (no Qt): what needs doing today across every area, the cards' counts,
how ready each CQC quality statement is for inspection, and month-by-month trends, all read as on
one day in one snapshot. Used by the client's home page and ``provider-desk status``; nothing in
the areas uses it.
"""

from __future__ import annotations

from provider_desk.dashboard.figures import (
    ActionFigures,
    AuditFigures,
    CarePlanFigures,
    ComplaintFigures,
    Figures,
    RecruitmentFigures,
    RiskFigures,
    SupervisionFigures,
    TrainingFigures,
    counts,
    figures_from,
    figures_in,
)
from provider_desk.dashboard.home import (
    Home,
    as_json,
    home_in,
    read_home,
    status,
    summary_lines,
)
from provider_desk.dashboard.readiness import (
    Colour,
    KeyQuestionReadiness,
    Readiness,
    StatementReadiness,
    evidence_in,
    readiness_from,
    readiness_in,
    statement_readiness,
)
from provider_desk.dashboard.todo import item_key, late_keys, newly_overdue, todo_in
from provider_desk.dashboard.trends import AuditScore, MonthPoint, Trends, trends_in

__all__ = [
    "ActionFigures",
    "AuditFigures",
    "AuditScore",
    "CarePlanFigures",
    "Colour",
    "ComplaintFigures",
    "Figures",
    "Home",
    "KeyQuestionReadiness",
    "MonthPoint",
    "Readiness",
    "RecruitmentFigures",
    "RiskFigures",
    "StatementReadiness",
    "SupervisionFigures",
    "TrainingFigures",
    "Trends",
    "as_json",
    "counts",
    "evidence_in",
    "figures_from",
    "figures_in",
    "home_in",
    "item_key",
    "late_keys",
    "newly_overdue",
    "read_home",
    "readiness_from",
    "readiness_in",
    "statement_readiness",
    "status",
    "summary_lines",
    "todo_in",
    "trends_in",
]
