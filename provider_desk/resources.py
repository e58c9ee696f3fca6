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


REGULATIONS = ("9", "10", "11", "12", "13", "14", "16", "17", "18", "19", "20", "20A")
"""The fundamental standards (2014 Regulations, Part 3) a homecare provider is assessed against
(9A is for care homes, hospitals and hospices; CQC does not assess 15 in people's homes)."""


@dataclass(frozen=True)
class EvidenceLink:
    """What one record evidences: quality statement ids, regulations and evidence categories."""

    statements: tuple[str, ...]
    regulations: tuple[str, ...]
    categories: tuple[str, ...]


@cache
def evidence_kinds() -> tuple[str, ...]:
    """The kinds of record the evidence map covers (training, supervision, complaints …)."""
    return tuple(load_json("evidence_map.json")["records"])


@cache
def evidence_link(record: str, /, *flags: str, **detail: str | int | None) -> EvidenceLink:
    """What a ``record`` of that kind evidences, from ``resources/evidence_map.json``.

    ``detail`` narrows it: ``evidence_link("training", category_code=20)`` adds what a
    safeguarding course evidences to what all training does; ``flags`` add named extras
    (``evidence_link("care_plans", "consent")``). Unknown details add nothing.

    Raises:
        KeyError: ``record`` is not a kind in the map (a programming error).

    Worked out once per distinct question (the map is read once per run): the dashboard asks it
    for each of thousands of items, most of them alike.
    """
    entry = load_json_cached("evidence_map.json")["records"][record]
    parts = [entry["default"]]
    for field, value in detail.items():
        if value is not None:
            extra = entry.get(f"by_{field}", {}).get(str(value))
            if extra is not None:
                parts.append(extra)
    parts.extend(entry[flag] for flag in flags if flag in entry)
    statements: dict[str, None] = {}
    regulations: dict[str, None] = {}
    categories: list[str] = []
    for part in parts:
        statements.update(dict.fromkeys(part.get("statements", ())))
        regulations.update(dict.fromkeys(part.get("regulations", ())))
        categories = list(part.get("categories", categories))
    return EvidenceLink(tuple(statements), tuple(regulations), tuple(categories))


@cache
def held_outside() -> dict[str, str]:
    """Quality statements no record in Provider Desk can evidence, with a hint of what the
    provider keeps elsewhere (so a report never shows them as a gap)."""
    return dict(load_json("evidence_map.json")["held_outside"])


@cache
def load_json_cached(name: str) -> Any:
    """``load_json`` read once per run (for files looked up per record)."""
    return load_json(name)
