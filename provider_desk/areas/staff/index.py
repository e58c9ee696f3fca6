"""Columns that name a person, shared by every importer, and names split the way people write
them ('Smith, Amy' or 'Amy Smith')."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.models import StaffMember
from provider_desk.tabular.read import FieldSpec, normalise
from provider_desk.tabular.report import Conflict, FieldChange

FIRST_NAME = FieldSpec(
    "first_name", "First name", ("forename", "forenames", "given name", "firstname", "first")
)
LAST_NAME = FieldSpec("last_name", "Last name", ("surname", "family name", "lastname", "last"))
FULL_NAME = FieldSpec(
    "full_name",
    "Name",
    ("full name", "staff name", "employee", "employee name", "worker", "staff member", "carer",
     "name of staff", "learner", "learner name", "user", "user name", "staff"),
)  # fmt: skip
WORKER_ID = FieldSpec(
    "asc_wds_worker_id",
    "ASC-WDS worker id",
    ("uniqueworkerid", "worker id", "ascwds id", "unique worker id", "staff id", "employee id",
     "payroll"),
)  # fmt: skip
PERSON_FIELDS = (FULL_NAME, FIRST_NAME, LAST_NAME, WORKER_ID)

_PARTICLES = {"de", "da", "van", "von", "der", "den", "del", "della", "di", "du", "le", "la",
              "ter", "ten", "al", "el", "bin", "ben", "ap", "st", "st."}  # fmt: skip


def split_name(text: str) -> tuple[str, str]:
    """``Smith, Amy`` or ``Amy Smith`` -> (first, last). ``Amy de Souza`` keeps 'de Souza'."""
    text = re.sub(r"\s+", " ", text.strip())
    if "," in text:
        last, first = (p.strip() for p in text.split(",", 1))
        return first, last
    parts = text.split(" ")
    if len(parts) == 1:
        return parts[0], ""
    i = len(parts) - 1
    while i > 1 and parts[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(parts[:i]), " ".join(parts[i:])


class Found(NamedTuple):
    """Who a row names: their staff id (None if not found), the name as written, why not
    found, and, when a worker id belongs to someone with another name, that person (a
    conflict: the row is never applied to them) and what differs, as the shared merge lists
    it for a staff member (saved name, the file's name)."""

    staff_id: int | None
    written: str
    why: str
    conflict_with: str = ""
    differences: tuple[FieldChange, ...] = ()

    def conflict(self, where: str) -> Conflict:
        """The conflict to report for the row at ``where`` (only when ``conflict_with``)."""
        return Conflict(where, self.why, self.conflict_with, self.written, self.differences)


class PeopleIndex:
    """Find people by ASC-WDS id or by name in either order."""

    def __init__(self, s: Session) -> None:
        self.by_name: dict[str, list[int]] = {}
        self.by_worker: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self._seen: dict[tuple[Any, ...], Found] = {}
        self._keys: dict[int, set[str]] = {}
        self._split: dict[int, tuple[str, str]] = {}
        people = select(  # rows of the fields used, not ORM objects (1,000 staff in the huge demo)
            StaffMember.id,
            StaffMember.first_name,
            StaffMember.last_name,
            StaffMember.preferred_name,
            StaffMember.asc_wds_worker_id,
        )
        for m in s.execute(people):
            self.names[m.id] = f"{m.first_name} {m.last_name}"
            self._split[m.id] = (m.first_name, m.last_name)
            for key in {
                normalise(f"{m.first_name} {m.last_name}"),
                normalise(f"{m.last_name} {m.first_name}"),
                normalise(f"{m.preferred_name} {m.last_name}") if m.preferred_name else "",
            }:
                if key and m.id not in self.by_name.get(key, []):
                    self.by_name.setdefault(key, []).append(m.id)
                if key:
                    self._keys.setdefault(m.id, set()).add(key)
            if m.asc_wds_worker_id:
                self.by_worker[m.asc_wds_worker_id] = m.id

    def _same_name(self, staff_id: int, first: str, last: str) -> bool:
        """The name written fits the person: in either order, by preferred name, or with an
        initial for the first name ('A Smith' for Amy Smith), as learning platforms write."""
        if normalise(f"{first} {last}") in self._keys.get(staff_id, set()):
            return True
        saved_first, saved_last = self._split[staff_id]
        initial = normalise(first)
        return (
            normalise(last) == normalise(saved_last)
            and len(initial) == 1
            and normalise(saved_first).startswith(initial)
        )

    def find(self, values: dict[str, Any]) -> Found:
        """Who the row's worker id or name columns name (see :class:`Found`)."""
        key = (
            values.get("asc_wds_worker_id"),
            values.get("first_name"),
            values.get("last_name"),
            values.get("full_name"),
        )
        if key not in self._seen:
            self._seen[key] = self._find(values)
        return self._seen[key]

    def _find(self, values: dict[str, Any]) -> Found:
        worker = str(values.get("asc_wds_worker_id") or "").strip()
        first = str(values.get("first_name") or "").strip()
        last = str(values.get("last_name") or "").strip()
        if not (first and last) and values.get("full_name"):
            first, last = split_name(str(values["full_name"]))
        written = f"{first} {last}".strip()
        if worker and worker in self.by_worker:
            staff_id = self.by_worker[worker]
            if written and not self._same_name(staff_id, first, last):
                saved = self.names[staff_id]
                return Found(
                    None,
                    written,
                    f"ASC-WDS worker id {worker} belongs to {saved}, not {written}: nothing from "
                    "this row was imported. Check the worker id.",
                    f"{saved} (ASC-WDS {worker})",
                    (FieldChange("name", "Name", saved, written),),
                )
            return Found(staff_id, written, "")
        if not written:
            return Found(None, "", "No name in this row.")
        hits = self.by_name.get(normalise(f"{first} {last}"), [])
        if len(hits) == 1:
            return Found(hits[0], written, "")
        if len(hits) > 1:
            return Found(
                None,
                written,
                f"'{written}' matches more than one person: add an ASC-WDS "
                "worker id column to tell them apart.",
            )
        return Found(None, written, f"'{written}' is not on the staff register.")
