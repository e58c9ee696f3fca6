"""Helpers for the import tests: a dump of every table, and each importer called the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from provider_desk.areas.complaints.imports import import_complaints, import_compliments
from provider_desk.areas.people.imports import import_people
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.supervision.imports import import_supervisions
from provider_desk.areas.training.imports import import_training
from provider_desk.db.session import Database
from provider_desk.models.base import Base
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.tabular.report import ImportReport
from tests.conftest import TODAY

Importer = Callable[[Database, Path], ImportReport]

IMPORTERS: dict[str, Importer] = {
    "staff": lambda db, p: import_staff(db, p, today=TODAY),
    "training": lambda db, p: import_training(db, p, today=TODAY, create_staff=True),
    "supervisions": lambda db, p: import_supervisions(db, p, today=TODAY),
    "people": lambda db, p: import_people(db, p, today=TODAY),
    "complaints": lambda db, p: import_complaints(db, p, today=TODAY),
    "compliments": lambda db, p: import_compliments(db, p, today=TODAY),
}


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order: equal dumps mean nothing was written."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.reading() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def change_log_length(db: Database) -> int:
    """How many entries the change log has."""
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)
