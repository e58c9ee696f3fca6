"""Recognise a course from the way a spreadsheet heading or a learning platform names it.

Rules are tried in order, most exact first; the first rule that finds anything decides. If that
rule finds two courses the text is *ambiguous*: it is reported with both, never guessed.

1. the course's name, as written (case, spacing and punctuation aside);
2. one of the course's aliases (M&H, BLS, Meds, …: the catalogue's, editable under Courses);
3. the same words allowing for abbreviations and word order (Meds Admin, Administration of
   medication, Health & Safety, "Infection Control (IPC)", "Safeguarding Adults L2");
4. the same, with the words a matrix adds to a course name left out (training, awareness,
   refresher, levels …);
5. the ASC-WDS training category's name, when only one course has that category;
6. a heading of several names joined by '/', ',' or '+' ("First Aid / BLS"): each part is looked
   up; one course for every part is a match, two courses are ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.training.models import Course
from provider_desk.areas.training.queries import asc_wds_categories
from provider_desk.tabular.read import normalise

# Short forms managers write, each read as the full word.
ABBREVIATIONS = {
    "admin": "administration",
    "administering": "administration",
    "administer": "administration",
    "med": "medication",
    "meds": "medication",
    "medicine": "medication",
    "medicines": "medication",
    "medications": "medication",
    "mgmt": "management",
    "mgt": "management",
    "prev": "prevention",
    "ctrl": "control",
    "hyg": "hygiene",
    "comms": "communication",
    "info": "information",
    "safeg": "safeguarding",
}
# Words that join others and say nothing about which course it is.
_JOINING = {"and", "of", "the", "in", "for", "with", "to", "a", "an", "on"}
# Words a matrix adds to a course's name (rule 4).
_ADDED = {
    "training", "awareness", "course", "refresher", "update", "elearning", "online", "module",
    "annual", "yearly", "basic", "level", "introduction", "intro", "essentials",
}  # fmt: skip
_BRACKETS = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_SEPARATORS = re.compile(r"\s*(?:/|,|\+|\bor\b|\|)\s*")


def _tokens(text: str) -> list[str]:
    t = text.lower().replace("&", " and ").replace("e-learning", "elearning")
    # "L2", "Level 2", "Lvl 2", "level two": one token, "level2".
    t = re.sub(r"\b(?:level|lvl|lv)\s*(\d|one|two|three)\b", r"level\1", t)
    t = re.sub(r"\bl\s*(\d)\b", r"level\1", t)
    for word, n in (("one", "1"), ("two", "2"), ("three", "3")):
        t = t.replace(f"level{word}", f"level{n}")
    words = re.findall(r"[a-z0-9]+", t)
    return [ABBREVIATIONS.get(w, w) for w in words]


def _is_level(word: str) -> bool:
    return word.startswith("level") and word[5:].isdigit()


def words_key(text: str) -> str:
    """Rule 3: the words of ``text``, abbreviations expanded, joining words out, in order."""
    words = [w for w in _tokens(text) if w not in _JOINING]
    return " ".join(sorted(words))


def core_key(text: str) -> str:
    """Rule 4: as :func:`words_key`, also without levels and the words a matrix adds."""
    words = [w for w in _tokens(text) if w not in _JOINING | _ADDED and not _is_level(w)]
    return " ".join(sorted(words))


def _variants(text: str) -> list[str]:
    """The text, and the text without what is in brackets ("Infection Control (IPC)")."""
    out = [text.replace("(", " ").replace(")", " ")]
    without = _BRACKETS.sub(" ", text).strip()
    if without and without != text:
        out.append(without)
        out += [m.strip() for m in _BRACKETS.findall(text) if m.strip()]
    return [t for t in dict.fromkeys(out) if t.strip()]


@dataclass(frozen=True)
class CourseMatch:
    """What a text was recognised as: one course (``course_id``), or ``candidates`` when it could
    be any of several (ambiguous), or neither (not recognised)."""

    text: str
    course_id: int | None
    rule: str = ""  # how: "course name", "alias 'M&H'", "abbreviations and word order", …
    candidates: tuple[int, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """The text could be two or more courses: asked about, never chosen."""
        return len(self.candidates) > 1


class CourseMatcher:
    """Matches course names as people write them (see the module's rules). Holds the live
    catalogue; ``names`` gives a course's name by id."""

    def __init__(self, s: Session) -> None:
        courses = list(
            s.scalars(select(Course).where(Course.archived_at.is_(None)).order_by(Course.id))
        )
        self.names: dict[int, str] = {c.id: c.name for c in courses}
        self._rules: list[tuple[str, dict[str, dict[int, str]]]] = [
            ("course name", {}),
            ("alias", {}),
            ("abbreviations and word order", {}),
            ("the course's words (levels and 'training' … left out)", {}),
            ("ASC-WDS category", {}),
        ]
        by_name, by_alias, by_words, by_core, by_category = (r[1] for r in self._rules)
        groups: dict[int, list[int]] = {}
        for c in courses:
            aliases = [a.strip() for a in c.aliases.splitlines() if a.strip()]
            _put(by_name, normalise(c.name), c.id, c.name)
            for a in aliases:
                _put(by_alias, normalise(a), c.id, a)
            for text in (c.name, *aliases):
                _put(by_words, words_key(text), c.id, text)
                _put(by_core, core_key(text), c.id, text)
            if c.category_code is not None:
                groups.setdefault(c.category_code, []).append(c.id)
        categories = asc_wds_categories()
        for code, ids in groups.items():
            if len(ids) == 1 and code in categories:  # only a category one course has
                name = categories[code]
                for key in (words_key(name), core_key(name)):
                    _put(by_category, key, ids[0], name)
        self._seen: dict[str, CourseMatch] = {}

    def find(self, text: str) -> CourseMatch:
        """What ``text`` is (remembered: a report repeats few names)."""
        text = str(text or "").strip()
        if text not in self._seen:
            self._seen[text] = self._find(text)
        return self._seen[text]

    def match(self, text: str) -> int | None:
        """The one course ``text`` names, or None (not recognised, or ambiguous)."""
        return self.find(text).course_id

    def _find(self, text: str) -> CourseMatch:
        found = self._by_rules(text)
        if found.course_id is not None or found.ambiguous:
            return found
        parts = [p for p in _SEPARATORS.split(text) if p.strip()]
        if len(parts) > 1:
            hits = [self._by_rules(p) for p in parts]
            ids = {i for h in hits for i in h.candidates}
            if len(ids) > 1:
                return CourseMatch(text, None, "each part names a course", tuple(sorted(ids)))
            if len(ids) == 1 and all(h.course_id is not None for h in hits):
                (only,) = ids
                return CourseMatch(text, only, "each part names the same course", (only,))
        return CourseMatch(text, None)

    def _by_rules(self, text: str) -> CourseMatch:
        variants = _variants(text)
        keyers: tuple[tuple[Callable[[str], str], ...], ...] = (
            (normalise,),
            (normalise,),
            (words_key,),
            (core_key,),
            (words_key, core_key),
        )
        for (rule, index), key_of in zip(self._rules, keyers, strict=True):
            hits: dict[int, str] = {}
            for variant in variants:
                for key in {k(variant) for k in key_of}:
                    if key:
                        hits.update(index.get(key, {}))
            if len(hits) == 1:
                ((cid, source),) = hits.items()
                shown = f"alias '{source}'" if rule == "alias" else rule
                if rule == "ASC-WDS category":
                    shown = f"ASC-WDS category '{source}'"
                return CourseMatch(text, cid, shown, (cid,))
            if hits:
                return CourseMatch(text, None, rule, tuple(sorted(hits)))
        return CourseMatch(text, None)

    def describe(self, ids: Iterable[int]) -> str:
        """Course names joined with 'or': "First aid or Basic life support"."""
        names = [self.names.get(i, "?") for i in ids]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _put(index: dict[str, dict[int, str]], key: str, course_id: int, source: str) -> None:
    if key:
        index.setdefault(key, {}).setdefault(course_id, source)
