"""Columns that name a person, shared by every importer, and names split the way people write
them ('Smith, Amy' or 'Amy Smith')."""

from __future__ import annotations

import re

from provider_desk.imports.tabular import FieldSpec

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
