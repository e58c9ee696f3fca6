"""`provider-desk`: the GUI by default, and subcommands for the database, demo data, import and
export. Every subcommand prints the same validation messages the GUI shows."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from provider_desk import __version__, clock
from provider_desk.errors import StorageError, ValidationError

if TYPE_CHECKING:
    from provider_desk.db.session import Database
    from provider_desk.tabular.report import ImportReport

EXIT_OK, EXIT_PROBLEM = 0, 2

GuiRunner = Callable[[str | None, bool], int]
"""Runs the GUI on a database (None: the default) and returns the exit code. The core cannot
import the Qt client, so the ``provider-desk`` launcher in ``ui`` passes it in."""


def _database_option(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    p.add_argument(
        "--database",
        metavar="PATH_OR_URL",
        default=None if top else argparse.SUPPRESS,
        help="SQLite file or PostgreSQL URL (default: $PROVIDER_DESK_DATABASE_URL, else the "
        "file in your data folder)",
    )


def _today_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--today",
        metavar="DATE",
        type=_date_argument,
        default=argparse.SUPPRESS,
        help="work out what is due as on this day, e.g. 23/11/2026 (default: today's date)",
    )


def _date_argument(text: str) -> dt.date:
    from provider_desk.rules.dates import DateParseError, parse_date

    try:
        day = parse_date(text)
    except DateParseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day is None:
        raise argparse.ArgumentTypeError("give a date, e.g. 23/11/2026")
    return day


def _clear_empty_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--clear-empty",
        action="store_true",
        help="an empty cell clears that field of a saved record (by default it changes nothing; "
        "a column that is not in the file never changes anything)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line, documented by ``--help``."""
    p = argparse.ArgumentParser(
        prog="provider-desk",
        description="Provider Desk: staff, training and CQC evidence for homecare providers. "
        "With no command, opens the app.",
    )
    p.add_argument("--version", action="version", version=f"Provider Desk {__version__}")
    _database_option(p, top=True)
    p.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a fresh demo database in a temporary folder "
        "(your real data is not touched)",
    )
    p.add_argument("--exit-after-start", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (
        ("upgrade", "bring the database up to this version (backs up first)"),
        ("current", "show the database's schema version and this program's"),
    ):
        _database_option(db_sub.add_parser(name, help=text))
    backup = db_sub.add_parser("backup", help="copy the database to a file now")
    _database_option(backup)
    backup.add_argument("--out", required=True, type=Path, help="backup file to write")

    demo = sub.add_parser("demo", help="fill a new database with a fictional provider")
    _database_option(demo)
    _today_option(demo)
    demo.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help="small: ~40 staff; large: ~250 staff and five years of history",
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same demo")

    imp = sub.add_parser("import", help="import a spreadsheet (.csv or .xlsx)")
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True)
    staff_imp = imp_sub.add_parser("staff", help="the staff register")
    _database_option(staff_imp)
    _today_option(staff_imp)
    staff_imp.add_argument("file", type=Path)
    staff_imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="Column=field",
        help="use this column for that field (repeatable)",
    )
    staff_imp.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    staff_imp.add_argument("--json", action="store_true", help="print the result as JSON")
    _clear_empty_option(staff_imp)

    training_imp = imp_sub.add_parser(
        "training", help="training: one row per completion, or a matrix of dates"
    )
    _database_option(training_imp)
    _today_option(training_imp)
    training_imp.add_argument("file", type=Path)
    training_imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="Column=Course",
        help="read this column as that course (or field); repeatable",
    )
    training_imp.add_argument(
        "--create-staff", action="store_true", help="add people who are not on the register yet"
    )
    training_imp.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    training_imp.add_argument("--json", action="store_true", help="print the result as JSON")

    sup_imp = imp_sub.add_parser(
        "supervisions", help="a supervision log: date, worker, supervisor, kind, notes"
    )
    _database_option(sup_imp)
    _today_option(sup_imp)
    sup_imp.add_argument("file", type=Path)
    sup_imp.add_argument("--map", action="append", default=[], metavar="Column=field")
    sup_imp.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    sup_imp.add_argument("--json", action="store_true", help="print the result as JSON")

    for what, text in (
        ("complaints", "a complaints log: received on, complainant, summary…"),
        ("compliments", "a compliments log: received on, from, what was said…"),
        ("people", "people we support: name, start date, NHS number, date of birth…"),
    ):
        cmd = imp_sub.add_parser(what, help=text)
        _database_option(cmd)
        _today_option(cmd)
        cmd.add_argument("file", type=Path)
        cmd.add_argument("--map", action="append", default=[], metavar="Column=field")
        cmd.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        cmd.add_argument("--json", action="store_true", help="print the result as JSON")
        if what != "compliments":  # compliments are only ever added
            _clear_empty_option(cmd)

    exp = sub.add_parser("export", help="export to .csv or .xlsx")
    exp_sub = exp.add_subparsers(dest="what", metavar="WHAT", required=True)
    staff_exp = exp_sub.add_parser("staff", help="the staff register (leavers included)")
    _database_option(staff_exp)
    staff_exp.add_argument("--out", required=True, type=Path)
    staff_exp.add_argument("--current-only", action="store_true", help="leave out leavers")
    training_exp = exp_sub.add_parser("training", help="every training completion")
    _database_option(training_exp)
    _today_option(training_exp)
    training_exp.add_argument("--out", required=True, type=Path)
    asc = exp_sub.add_parser(
        "asc-wds-training", help="the ASC-WDS training bulk-upload file (.csv)"
    )
    _database_option(asc)
    asc.add_argument("--out", required=True, type=Path)
    sup = exp_sub.add_parser("supervisions", help="every supervision, spot check, appraisal…")
    _database_option(sup)
    _today_option(sup)
    sup.add_argument("--out", required=True, type=Path)
    for what, text in (
        ("complaints", "the complaints log (ISO dates in CSV)"),
        ("compliments", "the compliments log"),
    ):
        cmd = exp_sub.add_parser(what, help=text)
        _database_option(cmd)
        _today_option(cmd)
        cmd.add_argument("--out", required=True, type=Path)
    summary = exp_sub.add_parser(
        "complaints-summary", help="the Regulation 16(3) summary for CQC (.pdf or .csv)"
    )
    _database_option(summary)
    _today_option(summary)
    summary.add_argument("--out", required=True, type=Path)
    summary.add_argument("--from", dest="start", required=True, help="first day, e.g. 01/12/2025")
    summary.add_argument("--to", dest="end", required=True, help="last day, e.g. 30/11/2026")
    for what, text in (
        ("people", "people we support, ended ones included (.xlsx or .csv)"),
        ("care-plans", "one row per care plan version (.xlsx or .csv)"),
    ):
        cmd = exp_sub.add_parser(what, help=text)
        _database_option(cmd)
        _today_option(cmd)
        cmd.add_argument("--out", required=True, type=Path)
    plan = exp_sub.add_parser("care-plan", help="one person's care plan, printed (.pdf)")
    _database_option(plan)
    _today_option(plan)
    plan.add_argument("reference", help="the person's reference, e.g. P-0004")
    plan.add_argument("--version", type=int, help="an earlier version (default: the current one)")
    plan.add_argument("--out", required=True, type=Path)
    audits = exp_sub.add_parser("audits", help="one row per audit (.xlsx or .csv)")
    _database_option(audits)
    audits.add_argument("--out", required=True, type=Path)
    report = exp_sub.add_parser("audit-report", help="one audit as a printable report (.pdf)")
    _database_option(report)
    _today_option(report)
    report.add_argument("reference", help="the audit's reference, e.g. AUD-2026-004")
    report.add_argument("--out", required=True, type=Path)
    acts = exp_sub.add_parser("actions", help="the action plan (.xlsx, .csv or .pdf)")
    _database_option(acts)
    _today_option(acts)
    acts.add_argument("--out", required=True, type=Path)
    matrix = exp_sub.add_parser("training-matrix", help="the training matrix (.xlsx or .pdf)")
    _database_option(matrix)
    _today_option(matrix)
    matrix.add_argument("--out", required=True, type=Path)
    return p


def main(argv: Sequence[str] | None = None, run_gui: GuiRunner | None = None) -> int:
    """The ``provider-desk`` command. Without a subcommand, opens the GUI through ``run_gui``."""
    args = build_parser().parse_args(argv)
    if getattr(args, "today", None) is None:
        args.today = clock.today()  # the one read of the calendar for this command
    try:
        if args.command is None:
            if run_gui is None:
                print(
                    "error: the desktop app is not available here; use a command such as "
                    "`provider-desk db current` (see --help).",
                    file=sys.stderr,
                )
                return EXIT_PROBLEM
            return _gui(args, run_gui)
        handler = {"db": _db, "demo": _demo, "import": _import, "export": _export}[args.command]
        return handler(args)
    except ValidationError as exc:
        for p in exc.problems:
            print(f"error: {p.message}", file=sys.stderr)
        return EXIT_PROBLEM
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEM


def _open(args: argparse.Namespace) -> Database:
    from provider_desk.areas.opening import open_database

    db, result = open_database(getattr(args, "database", None))
    if result.backup is not None:
        print(f"Backed up the database to {result.backup} before upgrading it.", file=sys.stderr)
    return db


def _gui(args: argparse.Namespace, run_gui: GuiRunner) -> int:
    database = args.database
    if args.demo:
        from provider_desk.areas.opening import open_database
        from provider_desk.demo import generate

        folder = Path(tempfile.mkdtemp(prefix="provider-desk-demo-"))
        database = str(folder / "demo.sqlite3")
        db, _ = open_database(database)
        generate(db, today=args.today)
        db.dispose()
    return run_gui(database, args.exit_after_start)


def _db(args: argparse.Namespace) -> int:
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.migrate import current_revision, head_revision
    from provider_desk.db.session import Database

    if args.db_command == "current":
        db = Database(resolve_database_url(getattr(args, "database", None)))
        current = current_revision(db.engine)
        head = head_revision()
        print(f"database: {db.location}")
        print(f"schema:   {current or '(empty)'}")
        print(f"program:  {head}")
        if current != head:
            print(
                "The database needs `provider-desk db upgrade`."
                if current
                else "The database is empty: it is created on first start or by `db upgrade`."
            )
        db.dispose()
        return EXIT_OK
    db = _open(args)
    if args.db_command == "upgrade":
        from provider_desk.db.migrate import current_revision as cur

        print(f"{db.location} is at schema {cur(db.engine)} (latest).")
    else:
        from provider_desk.backup import backup_now

        target = backup_now(db, args.out)
        print(f"Backed up {db.location} to {target}.")
    db.dispose()
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from provider_desk.demo import generate

    if getattr(args, "database", None) is None:
        print("error: say where to put the demo: --database FILE", file=sys.stderr)
        return EXIT_PROBLEM
    db = _open(args)
    counts = generate(db, today=args.today, size=args.size, seed=args.seed)
    print(
        f"Demo provider written to {db.location}: {counts['staff']} staff in post, "
        f"{counts['leavers']} leavers, {counts['actions']} actions."
    )
    db.dispose()
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from provider_desk.tabular.read import parse_mapping

    today = args.today
    db = _open(args)
    mapping = parse_mapping(args.map)
    dry_run, clear_empty = args.dry_run, getattr(args, "clear_empty", False)
    report: ImportReport
    try:
        if args.what == "people":
            from provider_desk.areas.people.imports import import_people

            report = import_people(
                db,
                args.file,
                mapping=mapping,
                dry_run=dry_run,
                today=today,
                clear_empty=clear_empty,
            )
        elif args.what == "complaints":
            from provider_desk.areas.complaints.imports import import_complaints

            report = import_complaints(
                db,
                args.file,
                mapping=mapping,
                dry_run=dry_run,
                today=today,
                clear_empty=clear_empty,
            )
        elif args.what == "compliments":
            from provider_desk.areas.complaints.imports import import_compliments

            report = import_compliments(
                db, args.file, mapping=mapping, dry_run=dry_run, today=today
            )
        elif args.what == "supervisions":
            from provider_desk.areas.supervision.imports import import_supervisions

            report = import_supervisions(
                db, args.file, mapping=mapping, dry_run=dry_run, today=today
            )
        elif args.what == "training":
            from provider_desk.areas.training.imports import import_training

            report = import_training(
                db,
                args.file,
                mapping=mapping,
                dry_run=dry_run,
                today=today,
                create_staff=args.create_staff,
            )
        else:
            from provider_desk.areas.staff.imports import import_staff

            report = import_staff(
                db,
                args.file,
                mapping=mapping,
                dry_run=dry_run,
                today=today,
                clear_empty=clear_empty,
            )
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print("\n".join(describe_report(report)))
    return EXIT_OK


def describe_report(report: ImportReport) -> list[str]:
    """An import's report as lines of text: totals, each update field by field, each conflict
    with both sides, and each row not imported with its place."""
    verb = "Would import" if report.dry_run else "Imported"
    lines = [
        f"{verb} {report.imported} new, {report.updated} updated, {report.unchanged} unchanged; "
        f"{len(report.conflicts)} conflicts and {len(report.skipped)} rows not imported."
    ]
    lines += [f"Note: {n}" for n in report.notices]
    if report.updates:
        lines.append("Would change:" if report.dry_run else "Changed:")
        for u in report.updates:
            lines.append(f"  {u.where}: {u.record}")
            lines += [f"    {c.label}: {c.old} -> {c.new}" for c in u.changes]
    if report.conflicts:
        lines.append("Conflicts (never applied):")
        for c in report.conflicts:
            lines.append(f"  {c.where}: {c.reason}")
            lines.append(f"    saved:   {c.saved}")
            lines.append(f"    in file: {c.in_file}")
            lines += [f"    {d.label}: saved {d.old}, file {d.new}" for d in c.differences]
    if report.skipped:
        lines.append("Not imported:")
        lines += [f"  {item.where}: {item.reason}" for item in report.skipped]
    if report.ignored_columns:
        lines.append(f"Columns not used: {', '.join(report.ignored_columns)}")
    return lines


def _export(args: argparse.Namespace) -> int:
    db = _open(args)
    try:
        if args.what == "staff":
            from provider_desk.areas.staff.exports import export_staff

            n = export_staff(db, args.out, include_left=not args.current_only)
            print(f"Wrote {n} staff to {args.out}.")
        elif args.what == "training":
            from provider_desk.areas.training.exports import export_training

            n = export_training(db, args.out, args.today)
            print(f"Wrote {n} training records to {args.out}.")
        elif args.what == "asc-wds-training":
            from provider_desk.areas.training.exports import export_asc_wds_training

            result = export_asc_wds_training(db, args.out)
            print(f"Wrote {result.written} training records to {args.out}.")
            for problem in result.problems:
                print(f"  not in the file: {problem}")
        elif args.what in ("complaints", "compliments"):
            from provider_desk.areas.complaints import exports as ce

            n = (
                ce.export_complaints(db, args.out, args.today)
                if args.what == "complaints"
                else ce.export_compliments(db, args.out)
            )
            print(f"Wrote {n} {args.what} to {args.out}.")
        elif args.what == "actions":
            from provider_desk.areas.actions.exports import export_actions

            n = export_actions(db, args.out, args.today)
            print(f"Wrote {n} actions to {args.out}.")
        elif args.what in ("people", "care-plans"):
            from provider_desk.areas.people import exports as pe

            fn = pe.export_people if args.what == "people" else pe.export_care_plans
            n = fn(db, args.out, args.today)
            print(
                f"Wrote {n} {'people' if args.what == 'people' else 'plan versions'} to {args.out}."
            )
        elif args.what == "care-plan":
            _export_care_plan(db, args.reference, args.version, args.out, args.today)
        elif args.what == "audits":
            from provider_desk.areas.audits.exports import export_audits

            n = export_audits(db, args.out)
            print(f"Wrote {n} audits to {args.out}.")
        elif args.what == "audit-report":
            _export_audit_report(db, args.reference, args.out, args.today)
        elif args.what == "complaints-summary":
            _export_complaints_summary(db, args)
        elif args.what == "supervisions":
            from provider_desk.areas.supervision.exports import export_supervisions

            n = export_supervisions(db, args.out, args.today)
            print(f"Wrote {n} sessions to {args.out}.")
        else:
            _export_matrix(db, args.out, args.today)
    finally:
        db.dispose()
    return EXIT_OK


def _export_complaints_summary(db: Database, args: argparse.Namespace) -> None:
    from provider_desk.areas.complaints.exports import summary_csv, summary_pdf
    from provider_desk.areas.complaints.queries import complaints_summary
    from provider_desk.rules.dates import DateParseError, parse_date
    from provider_desk.settings.queries import get_settings

    try:
        start, end = parse_date(args.start), parse_date(args.end)
    except DateParseError as exc:
        raise ValidationError.single("period", str(exc)) from None
    if start is None or end is None or end < start:
        raise ValidationError.single("period", "Give a period whose end is after its start.")
    summary = complaints_summary(db, start, end, args.today)
    if args.out.suffix.lower() == ".pdf":
        summary_pdf(
            summary, args.out, get_settings(db).provider_name or "Provider Desk", args.today
        )
    else:
        summary_csv(summary, args.out)
    print(f"Wrote the summary of {summary.received} complaints to {args.out}.")


def _export_care_plan(
    db: Database, reference: str, version: int | None, out: Path, today: dt.date
) -> None:
    from provider_desk.areas.people import queries as pq
    from provider_desk.areas.people.exports import care_plan_pdf
    from provider_desk.settings.queries import get_settings

    if out.suffix.lower() != ".pdf":
        raise ValidationError.single("out", f"Choose a .pdf file name, not '{out.name}'.")
    found = [
        p
        for p in pq.list_people(db, today, include_ended=True)
        if p.reference.lower() == reference.strip().lower()
    ]
    if not found:
        raise ValidationError.single("reference", f"Nobody has the reference '{reference}'.")
    person = pq.person_detail(db, found[0].id, today)
    assert person is not None
    plans = pq.care_plans(db, person.row.id)
    chosen = [p for p in plans if (p.number == version if version else p.is_current)]
    if not chosen:
        raise ValidationError.single(
            "version",
            f"{person.row.name} has no care plan"
            + (f" version {version}." if version else " yet."),
        )
    name = get_settings(db).provider_name or "Provider Desk"
    risks = pq.risk_assessments(db, today, person_id=person.row.id)
    care_plan_pdf(chosen[0], person, out, name, today, risks, pq.goals(db, person.row.id))
    print(f"Wrote version {chosen[0].number} of {person.row.name}'s care plan to {out}.")


def _export_audit_report(db: Database, reference: str, out: Path, today: dt.date) -> None:
    from provider_desk.areas.audits.exports import audit_report_pdf
    from provider_desk.areas.audits.queries import audit_detail, list_audits, score_trend
    from provider_desk.settings.queries import get_settings

    if out.suffix.lower() != ".pdf":
        raise ValidationError.single("out", f"Choose a .pdf file name, not '{out.name}'.")
    found = [a for a in list_audits(db) if a.reference.lower() == reference.strip().lower()]
    if not found:
        raise ValidationError.single("reference", f"No audit has the reference '{reference}'.")
    detail = audit_detail(db, found[0].id, today)
    assert detail is not None
    name = get_settings(db).provider_name or "Provider Desk"
    audit_report_pdf(detail, out, name, today, score_trend(db, detail.row.template_id))
    print(f"Wrote the report of {detail.row.reference} ({detail.row.template}) to {out}.")


def _export_matrix(db: Database, out: Path, today: dt.date) -> None:
    from provider_desk.areas.training.queries import training_matrix
    from provider_desk.settings.queries import get_settings

    matrix = training_matrix(db, today)
    name = get_settings(db).provider_name or "Provider Desk"
    if out.suffix.lower() == ".pdf":
        from provider_desk.areas.training.matrix_pdf import export_matrix_pdf

        export_matrix_pdf(matrix, out, name)
    else:
        from provider_desk.areas.training.exports import export_matrix_xlsx

        export_matrix_xlsx(matrix, out, name)
    print(
        f"Wrote the training matrix ({len(matrix.people)} staff, {len(matrix.courses)} "
        f"courses) to {out}."
    )


if __name__ == "__main__":  # pragma: no cover - command-line use without the GUI
    sys.exit(main())
