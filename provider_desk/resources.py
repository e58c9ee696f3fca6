"""Reference data shipped in ``resources/``: job roles, recruitment checks, the CQC framework."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources"


def load_json(name: str) -> Any:
    """Read one JSON file from ``resources/``."""
    return json.loads((RESOURCES_DIR / name).read_text(encoding="utf-8"))


def load_text(name: str) -> str:
    """Read one text file from ``resources/``."""
    return (RESOURCES_DIR / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class CheckKind:
    """One recruitment check every staff file must hold."""

    kind: str
    title: str
    schedule3: str
    help: str


@cache
def check_kinds() -> tuple[CheckKind, ...]:
    """The Schedule 3 items plus right to work, in the order a staff file lists them."""
    return tuple(CheckKind(**c) for c in load_json("recruitment_checks.json")["checks"])


def check_title(kind: str) -> str:
    """The manager's name for a check kind."""
    for k in check_kinds():
        if k.kind == kind:
            return k.title
    return kind


@dataclass(frozen=True)
class QualityStatement:
    """One of CQC's 34 quality statements, with this app's stable id (safe-1 …)."""

    id: str
    key_question: str
    name: str

    @property
    def label(self) -> str:
        """The label shown, e.g. Safe: Medicines optimisation."""
        return f"{self.key_question.capitalize()}: {self.name}"


@cache
def quality_statements() -> tuple[QualityStatement, ...]:
    """The Single Assessment Framework's quality statements, grouped by key question."""
    return tuple(
        QualityStatement(**q) for q in load_json("cqc_framework.json")["quality_statements"]
    )


def statement_label(statement_id: str) -> str:
    """The label for an id (e.g. Safe: Medicines optimisation); the id itself if unknown."""
    for q in quality_statements():
        if q.id == statement_id:
            return q.label
    return statement_id


@dataclass(frozen=True)
class CareArea:
    """An area of need a care plan covers."""

    key: str
    title: str
    help: str


@cache
def care_areas() -> tuple[CareArea, ...]:
    """The areas of need, in the order a care plan lists them."""
    return tuple(CareArea(**a) for a in load_json("care_planning.json")["areas"])


@cache
def care_section_fields() -> tuple[tuple[str, str], ...]:
    """(key, title) of what each area records: needs, outcomes, support, preferences."""
    return tuple((f["key"], f["title"]) for f in load_json("care_planning.json")["section_fields"])


@cache
def risk_kinds() -> tuple[str, ...]:
    """Kinds of risk assessment."""
    return tuple(load_json("care_planning.json")["risk_kinds"])


@cache
def funding_types() -> tuple[str, ...]:
    """How a person's care is paid for."""
    return tuple(load_json("care_planning.json")["funding"])
