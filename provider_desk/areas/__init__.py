"""The one list of areas. The main window's navigation, the import dialog, the CLI's `import`
and `export` verbs (and later the dashboard, `status` and the evidence pack) iterate ``AREAS``;
adding an area is one package here, one in `ui/areas/`, and one entry below.

Entries name their importers, exporters and reader by ``"module:function"`` and load them only when
used, so listing the areas (the navigation at start-up) imports none of their code.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from provider_desk.db.session import Database
    from provider_desk.progress import Progress
    from provider_desk.reading import AreaReader
    from provider_desk.tabular.columns import ColumnPlan
    from provider_desk.tabular.report import ImportReport


def load(target: str) -> Any:
    """The object a ``"package.module:name"`` target names."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Flag:
    """A yes/no choice an importer offers (a tick box in the preview, ``--flag`` in the CLI)."""

    name: str  # the importer's keyword argument: "create_staff"
    label: str  # the tick box: "Add people who are not on the staff register yet …"
    help: str  # the CLI's help


@dataclass(frozen=True)
class Importer:
    """One kind of spreadsheet an area reads."""

    name: str  # the CLI verb and the preview's kind: "staff"
    title: str  # the manager's words: "staff register" ("Import staff register…")
    help: str  # one line for `provider-desk import --help`
    target: str  # "provider_desk.areas.staff.imports:import_staff"
    updates: bool = False  # rows can update saved records: offers "empty cells clear fields"
    map_hint: str = "Column=field"
    flags: tuple[Flag, ...] = ()
    fields: str = ""
    """The importer's fields (``"module:FIELDS"``, a tuple of FieldSpec): the app's mapping step
    offers them for each column of the file."""
    columns_target: str = ""
    """Instead of ``fields``, for an importer whose columns are not always fields: a function
    ``(path) -> ColumnPlan | None`` (training: a report of completions has fields, a matrix's
    columns are courses, mapped on the preview's own Columns tab)."""

    @property
    def has_mapping_step(self) -> bool:
        """The app asks which column is which (see :meth:`columns`)."""
        return bool(self.fields or self.columns_target)

    def columns(self, path: Path) -> ColumnPlan | None:
        """The file's columns, the fields to choose from and the guessed mapping (None if the
        importer maps its columns its own way).

        Raises:
            ValidationError: the file cannot be read or has no row of headings.
        """
        if self.columns_target:
            plan: ColumnPlan | None = load(self.columns_target)(path)
            return plan
        if not self.fields:
            return None
        from provider_desk.tabular.columns import column_plan

        return column_plan(path, load(self.fields))

    def run(
        self,
        db: Database,
        path: Path,
        *,
        today: dt.date,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
        clear_empty: bool = False,
        confirmed: str | None = None,
        progress: Progress | None = None,
        flags: Mapping[str, bool] | None = None,
    ) -> ImportReport:
        """Run the import (a preview with ``dry_run``); ``flags`` are its yes/no options."""
        flags = dict(flags or {})
        unknown = set(flags) - {f.name for f in self.flags}
        if unknown:
            raise TypeError(f"{self.name} import has no option {sorted(unknown)}")
        kwargs: dict[str, Any] = {"today": today, "mapping": mapping, "dry_run": dry_run}
        kwargs["confirmed"] = confirmed
        if progress is not None:
            kwargs["progress"] = progress
        if self.updates:
            kwargs["clear_empty"] = clear_empty
        kwargs.update(flags)
        result: ImportReport = load(self.target)(db, path, **kwargs)
        return result


@dataclass(frozen=True)
class Arg:
    """An extra argument an export takes on the command line."""

    flags: tuple[str, ...]  # ("reference",) positional, or ("--version",)
    help: str
    kind: str = "str"  # "str", "int", "flag"
    required: bool = False
    dest: str | None = None


@dataclass(frozen=True)
class Exporter:
    """One file an area writes: ``target(db, out, today, **args) -> lines to print``."""

    name: str  # the CLI verb: "training-matrix"
    help: str
    target: str
    args: tuple[Arg, ...] = ()
    uses_today: bool = True  # works out what is due (offers --today)

    def run(self, db: Database, out: Path, today: dt.date, **args: Any) -> list[str]:
        """Write the file; returns what to tell the manager."""
        lines: list[str] = load(self.target)(db, out, today, **args)
        return lines


@dataclass(frozen=True)
class Area:
    """One area of the service, as the rest of the app sees it."""

    key: str  # "training"
    title: str  # "Training"
    reader_target: str  # "provider_desk.areas.training.reader:TrainingReader"
    imports: Mapping[str, Importer] = field(default_factory=dict)
    exports: Mapping[str, Exporter] = field(default_factory=dict)

    @property
    def reader(self) -> AreaReader:
        """The area's reader (what needs attention; the evidence it holds)."""
        reader: AreaReader = load(self.reader_target)()
        return reader


def _by_name(*items: Importer | Exporter) -> Mapping[str, Any]:
    return MappingProxyType({i.name: i for i in items})


_AREAS = "provider_desk.areas"
OUT_TABLE = "(.xlsx or .csv)"

AREAS: tuple[Area, ...] = (
    Area(
        "staff",
        "Staff",
        f"{_AREAS}.staff.reader:StaffReader",
        imports=_by_name(
            Importer(
                "staff",
                "staff register",
                "the staff register",
                f"{_AREAS}.staff.imports:import_staff",
                updates=True,
                fields=f"{_AREAS}.staff.imports:FIELDS",
            )
        ),
        exports=_by_name(
            Exporter(
                "staff",
                f"the staff register, leavers included {OUT_TABLE}",
                f"{_AREAS}.staff.exports:staff_command",
                (Arg(("--current-only",), "leave out leavers", "flag"),),
                uses_today=False,
            )
        ),
    ),
    Area(
        "training",
        "Training",
        f"{_AREAS}.training.reader:TrainingReader",
        imports=_by_name(
            Importer(
                "training",
                "training",
                "training: one row per completion, or a matrix of dates",
                f"{_AREAS}.training.imports:import_training",
                map_hint="Column=Course",
                columns_target=f"{_AREAS}.training.imports:completions_columns",
                flags=(
                    Flag(
                        "create_staff",
                        "Add people who are not on the staff register yet "
                        "(as care workers; check their role and start date after)",
                        "add people who are not on the register yet",
                    ),
                ),
            )
        ),
        exports=_by_name(
            Exporter(
                "training",
                "every training completion with its status (.csv or .xlsx)",
                f"{_AREAS}.training.exports:training_command",
            ),
            Exporter(
                "training-matrix",
                "the training matrix (.xlsx or .pdf)",
                f"{_AREAS}.training.exports:matrix_command",
            ),
            Exporter(
                "asc-wds-training",
                "the ASC-WDS training bulk-upload file (.csv)",
                f"{_AREAS}.training.exports:asc_wds_command",
                uses_today=False,
            ),
        ),
    ),
    Area(
        "supervision",
        "Supervision",
        f"{_AREAS}.supervision.reader:SupervisionReader",
        imports=_by_name(
            Importer(
                "supervisions",
                "supervision log",
                "a supervision log: date, worker, supervisor, kind, notes",
                f"{_AREAS}.supervision.imports:import_supervisions",
                fields=f"{_AREAS}.supervision.imports:FIELDS",
            )
        ),
        exports=_by_name(
            Exporter(
                "supervisions",
                f"every supervision, spot check, appraisal… {OUT_TABLE}",
                f"{_AREAS}.supervision.exports:supervisions_command",
            )
        ),
    ),
    Area(
        "people",
        "People",
        f"{_AREAS}.people.reader:PeopleReader",
        imports=_by_name(
            Importer(
                "people",
                "people we support",
                "people we support: name, start date, NHS number, date of birth…",
                f"{_AREAS}.people.imports:import_people",
                updates=True,
                fields=f"{_AREAS}.people.imports:FIELDS",
            )
        ),
        exports=_by_name(
            Exporter(
                "people",
                f"people we support, ended ones included {OUT_TABLE}",
                f"{_AREAS}.people.exports:people_command",
            ),
            Exporter(
                "care-plans",
                f"one row per care plan version {OUT_TABLE}",
                f"{_AREAS}.people.exports:care_plans_command",
            ),
            Exporter(
                "care-plan",
                "one person's care plan, printed (.pdf)",
                f"{_AREAS}.people.exports:care_plan_command",
                (
                    Arg(("reference",), "the person's reference, e.g. P-0004"),
                    Arg(("--version",), "an earlier version (default: the current one)", "int"),
                ),
            ),
        ),
    ),
    Area(
        "complaints",
        "Complaints",
        f"{_AREAS}.complaints.reader:ComplaintsReader",
        imports=_by_name(
            Importer(
                "complaints",
                "complaints log",
                "a complaints log: received on, complainant, summary…",
                f"{_AREAS}.complaints.imports:import_complaints",
                updates=True,
                fields=f"{_AREAS}.complaints.imports:COMPLAINT_FIELDS",
            ),
            Importer(
                "compliments",
                "compliments log",
                "a compliments log: received on, from, what was said…",
                f"{_AREAS}.complaints.imports:import_compliments",
                fields=f"{_AREAS}.complaints.imports:COMPLIMENT_FIELDS",
            ),
        ),
        exports=_by_name(
            Exporter(
                "complaints",
                f"the complaints log with deadlines and status {OUT_TABLE}",
                f"{_AREAS}.complaints.exports:complaints_command",
            ),
            Exporter(
                "compliments",
                f"the compliments log {OUT_TABLE}",
                f"{_AREAS}.complaints.exports:compliments_command",
                uses_today=False,
            ),
            Exporter(
                "complaints-summary",
                "the Regulation 16(3) summary for CQC (.pdf or .csv)",
                f"{_AREAS}.complaints.exports:summary_command",
                (
                    Arg(("--from",), "first day, e.g. 01/12/2025", required=True, dest="start"),
                    Arg(("--to",), "last day, e.g. 30/11/2026", required=True, dest="end"),
                ),
            ),
        ),
    ),
    Area(
        "audits",
        "Audits",
        f"{_AREAS}.audits.reader:AuditsReader",
        exports=_by_name(
            Exporter(
                "audits",
                f"one row per audit: template, date, auditor, score, status {OUT_TABLE}",
                f"{_AREAS}.audits.exports:audits_command",
                uses_today=False,
            ),
            Exporter(
                "audit-report",
                "one audit as a printable report (.pdf)",
                f"{_AREAS}.audits.exports:audit_report_command",
                (Arg(("reference",), "the audit's reference, e.g. AUD-2026-004"),),
            ),
        ),
    ),
    Area(
        "actions",
        "Action plan",
        f"{_AREAS}.actions.reader:ActionsReader",
        exports=_by_name(
            Exporter(
                "actions",
                "the action plan, overdue first (.pdf, .xlsx or .csv)",
                f"{_AREAS}.actions.exports:actions_command",
            )
        ),
    ),
)


def area(key: str) -> Area:
    """The area with ``key``.

    Raises:
        KeyError: no such area (a programming error).
    """
    for a in AREAS:
        if a.key == key:
            return a
    raise KeyError(key)


def importers() -> dict[str, Importer]:
    """Every importer of every area, by name."""
    return {name: imp for a in AREAS for name, imp in a.imports.items()}


def exporters() -> dict[str, Exporter]:
    """Every exporter of every area, by name."""
    return {name: exp for a in AREAS for name, exp in a.exports.items()}


ExportCommand = Callable[..., list[str]]
