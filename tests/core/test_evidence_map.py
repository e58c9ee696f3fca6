"""The one mapping from records to CQC quality statements: every statement is evidenced by some
kind of record or marked as held outside Provider Desk, so no report shows a false gap."""

from __future__ import annotations

from typing import Any

from provider_desk.resources import (
    REGULATIONS,
    evidence_kinds,
    evidence_link,
    held_outside,
    load_json,
    quality_statements,
)

CATEGORIES = set(load_json("cqc_framework.json")["evidence_categories"])


def _parts(entry: dict[str, Any]) -> list[dict[str, Any]]:
    parts = [entry["default"]]
    for key, value in entry.items():
        if key.startswith("by_"):
            parts.extend(value.values())
        elif key not in ("title", "default"):
            parts.append(value)
    return parts


def _audit_statements() -> set[str]:
    return {
        st
        for t in load_json("audit_templates.json")["templates"]
        for section in t["sections"]
        for item in section["items"]
        for st in item.get("statements", ())
    }


def test_every_one_of_the_34_statements_is_mapped_or_held_outside() -> None:
    ids = [q.id for q in quality_statements()]
    assert len(ids) == 34
    records = load_json("evidence_map.json")["records"]
    mapped = {st for e in records.values() for p in _parts(e) for st in p.get("statements", ())}
    mapped |= _audit_statements()
    outside = held_outside()
    assert [i for i in ids if i not in mapped and i not in outside] == []
    assert [i for i in outside if i in mapped] == []  # marked only when nothing can evidence it
    assert all(len(hint) > 30 for hint in outside.values())


def test_the_map_names_only_real_statements_regulations_and_categories() -> None:
    ids = {q.id for q in quality_statements()}
    records = load_json("evidence_map.json")["records"]
    for kind, entry in records.items():
        assert entry["title"] and entry["default"]["categories"], kind
        for part in _parts(entry):
            assert set(part.get("statements", ())) <= ids, kind
            assert set(part.get("regulations", ())) <= set(REGULATIONS), kind
            assert set(part.get("categories", ())) <= CATEGORIES, kind
    assert set(held_outside()) <= ids
    assert {
        "training",
        "supervision",
        "recruitment_checks",
        "care_plans",
        "care_plan_reviews",
        "risk_assessments",
        "complaints",
        "compliments",
        "audits",
        "actions",
    } <= set(evidence_kinds())


def test_a_record_evidences_what_its_kind_and_detail_say() -> None:
    safeguarding = evidence_link("training", category_code=20)
    assert safeguarding.statements == ("safe-6", "safe-3")
    assert safeguarding.regulations == ("18", "13")
    assert safeguarding.categories == ("Processes",)
    assert evidence_link("training", category_code=None).statements == ("safe-6",)
    assert evidence_link("training", category_code=999).statements == ("safe-6",)
    spot = evidence_link("supervision", kind="spot check")
    assert spot.statements == ("safe-6", "effective-2", "caring-1")
    assert spot.categories == ("Processes",)
    assert "effective-6" in evidence_link("care_plans", "consent").statements
    assert "effective-6" not in evidence_link("care_plans").statements
