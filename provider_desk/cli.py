"""`provider-desk`: the GUI by default, and subcommands for the database, demo data, import and
export. Every subcommand prints the same validation messages the GUI shows."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from provider_desk import __version__, clock
from provider_desk.errors import StorageError, ValidationError

if TYPE_CHECKING:
    from provider_desk.auth.roles import Actor
    from provider_desk.backup.restoring import Holding
    from provider_desk.db.session import Database
    from provider_desk.tabular.report import ImportReport

EXIT_OK, EXIT_FAILED, EXIT_PROBLEM = 0, 1, 2

PASSWORD_ENV = "PROVIDER_DESK_PASSWORD"
"""The ``--user``'s password for scripts; without it the password is asked for."""

GuiRunner = Callable[[str | None, bool, bool], int]
"""Runs the GUI on a database (None: the default), with ``exit_after_start`` and ``demo`` (the
throwaway demo needs no sign-in), and returns the exit code. The core cannot import the Qt
client, so the ``provider-desk`` launcher in ``ui`` passes it in."""


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
    p.add_argument(
        "--user",
        metavar="NAME",
        default=None,
        help=f"sign in as this user (needed once the database has user accounts); the password "
        f"comes from ${PASSWORD_ENV} or is asked for",
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

    reset = sub.add_parser(
        "reset-password",
        help="set a forgotten password, with access to the database itself (logged)",
        description="Set a new password for a user who has forgotten theirs, such as the "
        "registered manager. No sign-in: having the database file itself (on PostgreSQL, the "
        "server URL with the database owner's user name and password) is the proof, so give "
        "--database explicitly. The new password is asked for twice; the account is unlocked; "
        "the change log records the recovery and the operating-system user who ran it.",
    )
    reset.add_argument(
        "--database", metavar="FILE_OR_URL", required=True, help="the database file (or URL)"
    )
    reset.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the user whose password to set",
    )

    demo = sub.add_parser("demo", help="fill a new database with a fictional provider")
    _database_option(demo)
    _today_option(demo)
    demo.add_argument(
        "--size",
        choices=("small", "large", "huge"),
        default="small",
        help="small: ~40 staff; large: ~250 staff and five years of history; huge: ~1,000 "
        "staff and five years (for measuring speed)",
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same demo")

    status = sub.add_parser(
        "status",
        help="what needs doing and how ready you are for inspection (the home page, as text)",
    )
    _database_option(status)
    _today_option(status)
    status.add_argument(
        "--json", action="store_true", help="print the figures as JSON (for scripts)"
    )

    pack = sub.add_parser(
        "evidence-pack",
        help="the evidence pack for inspection: a PDF by key question and quality statement",
        description="Write the evidence pack for a period: the evidence held for each CQC "
        "quality statement, the gaps to act on, and the registers as appendices. People we "
        "support appear by their service reference unless --names is given.",
    )
    _database_option(pack)
    _today_option(pack)
    pack.add_argument("--from", dest="start", required=True, help="first day, e.g. 04/12/2025")
    pack.add_argument("--to", dest="end", required=True, help="last day, e.g. 03/12/2026")
    pack.add_argument("--out", required=True, type=Path, help="the PDF to write")
    pack.add_argument(
        "--names",
        action="store_true",
        help="name the people we support (the provider's own copy; not for sharing)",
    )
    pack.add_argument(
        "--bundle",
        type=Path,
        help="also write a ZIP with the PDF, each register and the period's documents",
    )

    _backup_commands(sub)

    sar = sub.add_parser(
        "subject-access",
        help="everything held about one person supported or staff member (PDF and ZIP)",
        description="Write a subject access export: a ZIP with every record held about the "
        "person (a spreadsheet per kind of record), their stored documents, an index and a PDF "
        "of it all; the PDF is also written beside the ZIP. The export is recorded in the "
        "change log.",
    )
    _database_option(sar)
    _today_option(sar)
    who = sar.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", metavar="REF", help="a person supported, by reference (P-0012)")
    who.add_argument(
        "--staff", metavar="ID_OR_NAME", help="a staff member, by id or full name ('Amy Smith')"
    )
    sar.add_argument("--out", required=True, type=Path, help="the ZIP file to write")
    sar.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        default="csv",
        help="the records' spreadsheets inside the ZIP (default csv)",
    )

    from provider_desk.areas import AREAS

    verify = sub.add_parser(
        "verify-log",
        help="check that the change log is intact: its hash chain, and the last anchor saved on "
        "this PC (exit 0: intact; 1: an entry was altered, inserted or removed)",
    )
    _database_option(verify)

    imp = sub.add_parser("import", help="import a spreadsheet (.csv or .xlsx)")
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True)
    exp = sub.add_parser("export", help="export to a spreadsheet or a PDF")
    exp_sub = exp.add_subparsers(dest="what", metavar="WHAT", required=True)
    for area in AREAS:
        for importer in area.imports.values():
            cmd = imp_sub.add_parser(importer.name, help=importer.help)
            _database_option(cmd)
            _today_option(cmd)
            cmd.add_argument("file", type=Path)
            cmd.add_argument(
                "--map",
                action="append",
                default=[],
                metavar=importer.map_hint,
                help="read this column as that field (or 'ignore' it); repeatable",
            )
            for flag in importer.flags:
                cmd.add_argument(
                    "--" + flag.name.replace("_", "-"), action="store_true", help=flag.help
                )
            cmd.add_argument("--dry-run", action="store_true", help="check only; write nothing")
            cmd.add_argument("--json", action="store_true", help="print the result as JSON")
            if importer.updates:  # the others only ever add
                _clear_empty_option(cmd)
        for exporter in area.exports.values():
            cmd = exp_sub.add_parser(exporter.name, help=exporter.help)
            _database_option(cmd)
            if exporter.uses_today:
                _today_option(cmd)
            cmd.add_argument("--out", required=True, type=Path)
            for arg in exporter.args:
                options: dict[str, object] = {"help": arg.help}
                if arg.kind == "flag":
                    options["action"] = "store_true"
                elif arg.kind == "int":
                    options["type"] = int
                if arg.flags[0].startswith("--"):
                    options["dest"] = arg.dest or arg.flags[0][2:].replace("-", "_")
                    if arg.required:
                        options["required"] = True
                cmd.add_argument(*arg.flags, **options)  # type: ignore[arg-type]
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
        handler = {
            "db": _db,
            "demo": _demo,
            "import": _import,
            "export": _export,
            "status": _status,
            "evidence-pack": _evidence_pack,
            "backup": _backup,
            "restore": _restore,
            "verify-log": _verify_log,
            "reset-password": _reset_password,
            "subject-access": _subject_access,
        }[args.command]
        return handler(args)
    except ValidationError as exc:
        from provider_desk.tabular.read import COLUMNS

        for p in exc.problems:
            hint = ' (--map "Your column=field" says which column is which)'
            print(f"error: {p.message}{hint if p.field == COLUMNS else ''}", file=sys.stderr)
        return EXIT_PROBLEM
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEM


def _open(args: argparse.Namespace, *, existing: bool = False, create: bool = False) -> Database:
    """Open (and migrate) the chosen database. Only with ``create`` (``db upgrade``, ``demo``)
    is a missing SQLite file created; with ``existing``, an import into a mistyped path says
    so in an importer's words."""
    from provider_desk.areas.opening import open_database
    from provider_desk.db.engine import resolve_database_url, sqlite_path

    if existing:
        path = sqlite_path(resolve_database_url(getattr(args, "database", None)))
        if path is not None and not path.is_file():
            raise ValidationError.single(
                "database",
                f"There is no database at {path}, so nothing was imported (and none was "
                "created). Check the path; to start a new one, open Provider Desk once, or run "
                f'`provider-desk db upgrade --database "{path}"` (or `provider-desk demo '
                "--database ...` for a demo).",
            )
    db, result = open_database(getattr(args, "database", None), create=create)
    _warn_if_shared(db.url)
    if result.backup is not None:
        print(f"Backed up the database to {result.backup} before upgrading it.", file=sys.stderr)
    return _signed_in(args, db)


def _signed_in(args: argparse.Namespace, db: Database) -> Database:
    """``db`` acting for the ``--user``, once the database has user accounts.

    A database with no users yet (one upgraded from before logins) works as it always did, for
    the operating-system user, until the registered manager's account is created.

    Raises:
        ValidationError: no ``--user`` given where one is needed, or no password to read.
        SignInRefused: the name or password is wrong, or the account is locked or deactivated.
    """
    from provider_desk.auth.services import has_users, sign_in
    from provider_desk.db.session import Database

    name = getattr(args, "user", None)
    try:
        if not has_users(db):
            if name:
                raise ValidationError.single(
                    "user",
                    "This database has no user accounts yet, so --user cannot be checked. Leave "
                    "--user out, or first create the registered manager's account by opening "
                    "Provider Desk on it.",
                )
            return db
        if not name:
            raise ValidationError.single(
                "user",
                "This database has user accounts: say who you are with --user NAME (the "
                f"password is read from ${PASSWORD_ENV}, or asked for).",
            )
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            try:
                password = getpass.getpass(f"Password for {name}: ")
            except EOFError:
                raise ValidationError.single(
                    "password",
                    f"No password for {name}: run the command in a terminal to be asked for it, "
                    f"or set ${PASSWORD_ENV}.",
                ) from None
        actor = sign_in(db, name, password, clock.now())
    except BaseException:
        db.dispose()
        raise
    db.dispose()
    return Database(db.url, actor=actor)


def _require_editing(db: Database, doing: str) -> None:
    """Refuse a writing command to a role that can change no records (read-only). What each
    role may change, area by area, the services themselves check."""
    from provider_desk.auth.roles import Permission
    from provider_desk.errors import PermissionDenied

    actor = db.actor
    if not (actor.can(Permission.EDIT_WORKFORCE) or actor.can(Permission.EDIT_RECORDS)):
        db.dispose()
        raise PermissionDenied(
            f"{actor.name} ({actor.role.label}) can view and export, but not {doing}.",
            "Ask the registered manager or an office coordinator to do it.",
        )


def _gui(args: argparse.Namespace, run_gui: GuiRunner) -> int:
    database = args.database
    if args.demo:
        from provider_desk.areas.opening import open_database
        from provider_desk.demo import generate

        folder = Path(tempfile.mkdtemp(prefix="provider-desk-demo-"))
        database = str(folder / "demo.sqlite3")
        db, _ = open_database(database, create=True)
        generate(db, today=args.today)
        db.dispose()
    return run_gui(database, args.exit_after_start, args.demo)


def _database_as_it_is(url: str) -> Database:
    """The database at ``url`` for looking at, never created: a missing, unreadable or
    folder-shaped path is a StorageError saying which."""
    import os

    from provider_desk.db.engine import sqlite_path
    from provider_desk.db.session import Database

    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise StorageError(
                f"There is no database at {path}.",
                "Check the path (or name the database with --database). A new one is made "
                "when Provider Desk first starts, or by `provider-desk db upgrade`.",
            )
        if path.is_dir():
            raise StorageError(
                f"{path} is a folder, not a database file.",
                "Name the database file itself, e.g. provider-desk.sqlite3 in that folder.",
            )
        if not os.access(path, os.R_OK):
            raise StorageError(
                f"{path} cannot be read: this Windows or Linux user is not allowed to open it.",
                "Ask whoever manages the PC to give you access to the file, or open a copy of it.",
            )
    return Database(url)


def _db(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from provider_desk.db.engine import Access, resolve_database_url
    from provider_desk.db.migrate import current_revision, head_revision
    from provider_desk.db.session import storage_error

    if args.db_command == "current":
        db = _database_as_it_is(resolve_database_url(getattr(args, "database", None)))
        try:
            current = current_revision(db.engine)
        except DBAPIError as exc:  # damaged, or not a database at all
            raise storage_error(exc) from exc
        finally:
            db.dispose()
        head = head_revision()
        print(f"database: {db.location}")
        print(f"schema:   {current or '(empty)'}")
        print(f"program:  {head}")
        if db.read_only:
            print(
                "access:   read-only (it can be viewed and exported here, not changed; "
                + (
                    "its drive or folder is read-only)"
                    if db.access is Access.READ_ONLY_MEDIA
                    else "you may not write to the file)"
                )
            )
        if current != head:
            print(
                "The database needs `provider-desk db upgrade`."
                if current
                else "The database is empty: it is created on first start or by `db upgrade`."
            )
        return EXIT_OK
    db = _open(args, create=args.db_command == "upgrade")
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
    db = _open(args, create=True)
    from provider_desk.auth.roles import Permission

    if not db.actor.can(Permission.MANAGE_SETTINGS):
        db.dispose()
        from provider_desk.errors import PermissionDenied

        raise PermissionDenied(
            f"{db.actor.name} ({db.actor.role.label}) cannot write a demo provider into this "
            "database: only the registered manager can.",
            "Use a new file for the demo: --database demo.sqlite3.",
        )
    counts = generate(db, today=args.today, size=args.size, seed=args.seed)
    print(
        f"Demo provider written to {db.location}: {counts['staff']} staff in post, "
        f"{counts['leavers']} leavers, {counts['actions']} actions."
    )
    db.dispose()
    return EXIT_OK


def _open_existing(args: argparse.Namespace, *, signed_in: bool = True) -> Database:
    """The database as it is, for reading only: never created, migrated or seeded; with
    ``signed_in``, acting for the ``--user`` (see ``_signed_in``).

    Raises:
        StorageError: there is no database there, it is not a Provider Desk database, or its
            schema is not this program's (older: upgrade it first; newer: update the program).
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from provider_desk.db.engine import resolve_database_url, sqlite_path
    from provider_desk.db.schema import HEAD_REVISION
    from provider_desk.db.session import Database

    url = resolve_database_url(getattr(args, "database", None))
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise StorageError(
            f"There is no database at {path}.",
            "Check the path, or name the database with --database.",
        )
    _warn_if_shared(url)
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            revision = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if db.engine.dialect.has_table(conn, "alembic_version")
                else None
            )
    except DBAPIError as exc:
        db.dispose()
        raise StorageError(
            f"{db.location} cannot be read as a Provider Desk database ({exc.orig}).",
            "Check that --database names the right file or server.",
        ) from exc
    if revision != HEAD_REVISION:
        db.dispose()
        if revision is None:
            raise StorageError(
                f"{db.location} is not a Provider Desk database (it has no Provider Desk data).",
                "Check that --database names the right file or server.",
            )
        raise StorageError(
            f"{db.location} is at schema {revision}; this program reads {HEAD_REVISION}.",
            "Open it in Provider Desk once, or run `provider-desk db upgrade`, then try again "
            "(if the database comes from a newer Provider Desk, update this one).",
        )
    return _signed_in(args, db) if signed_in else db


def _status(args: argparse.Namespace) -> int:
    from provider_desk.dashboard import as_json, read_home, summary_lines

    db = _open_existing(args)
    try:
        home = read_home(db, args.today, trends=False)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(as_json(home), indent=2))
    else:
        print("\n".join(summary_lines(home)))
    return EXIT_OK


EXIT_TAMPERED = 1


def _verify_log(args: argparse.Namespace) -> int:
    from provider_desk.history.verify import check_log

    db = _open_existing(args)
    try:
        result = check_log(db)
    finally:
        db.dispose()
    print("\n".join(result.lines()), file=sys.stdout if result.intact else sys.stderr)
    return EXIT_OK if result.intact else EXIT_TAMPERED


def _evidence_pack(args: argparse.Namespace) -> int:
    from provider_desk.evidence import build_evidence_pack, check_dates
    from provider_desk.rules.dates import DateParseError, parse_date

    try:
        first, last = parse_date(args.start), parse_date(args.end)
    except DateParseError as exc:
        raise ValidationError.single("period", f"{exc} Give dates like 04/12/2025.") from None
    if first is None or last is None:
        raise ValidationError.single("period", "Give both --from and --to, e.g. 04/12/2025.")
    period = check_dates(first, last, args.today)
    for path, kind in ((args.out, ".pdf"), (args.bundle, ".zip")):
        if path is not None and path.suffix.lower() != kind:
            raise ValidationError.single("out", f"{path.name} should end in {kind}.")
    db = _open_existing(args)
    try:
        built = build_evidence_pack(
            db,
            period,
            args.out,
            today=args.today,
            created=clock.now(),
            names=args.names,
            bundle=args.bundle,
        )
    finally:
        db.dispose()
    gaps = len(built.pack.gaps())
    print(f"Wrote the evidence pack ({built.pages} pages, {gaps} gaps to act on) to {built.pdf}.")
    if built.bundle is not None:
        print(f"Wrote the bundle ({built.bundled_files} files) to {built.bundle}.")
    return EXIT_OK


def _subject_access(args: argparse.Namespace) -> int:
    from provider_desk.privacy.export import export_subject_access, resolve_subject

    if args.out.suffix.lower() != ".zip":
        raise ValidationError.single("out", f"{args.out.name} should end in .zip.")
    db = _open(args, existing=True)
    try:
        kind, subject_id = resolve_subject(db, person=args.person, staff=args.staff)
        result = export_subject_access(
            db,
            kind,
            subject_id,
            args.out,
            today=args.today,
            fmt=args.format,
            created=clock.now(),
        )
    finally:
        db.dispose()
    print(
        f"Wrote everything held about {result.subject}: {result.records} records and "
        f"{result.files} documents to {result.zip_path}, and the PDF ({result.pages} pages) to "
        f"{result.pdf_path}. The export is recorded in the change log."
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from provider_desk.areas import importers
    from provider_desk.tabular.read import parse_mapping

    importer = importers()[args.what]
    db = _open(args, existing=True)
    _require_editing(db, "import")
    try:
        report = importer.run(
            db,
            args.file,
            today=args.today,
            mapping=parse_mapping(args.map),
            dry_run=args.dry_run,
            clear_empty=getattr(args, "clear_empty", False),
            flags={flag.name: getattr(args, flag.name) for flag in importer.flags},
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
        f"{verb} {report.imported:,} new, {report.updated:,} updated, {report.unchanged:,} "
        f"unchanged; {report.counts()}."
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
        lines.append("Problems (not imported):")
        lines += [f"  {item.where}: {item.reason}" for item in report.skipped]
    if report.noted:
        lines.append("Noted (imported):")
        lines += [f"  {item.where}: {item.reason}" for item in report.noted]
    if report.column_fates:
        for fate, title in (
            ("matched", "Columns matched to a course:"),
            ("ignored", "Columns ignored on purpose:"),
            ("unmatched", 'Columns not recognised (nothing imported; --map "Heading=Course"):'),
        ):
            chosen = [c for c in report.column_fates if c.fate == fate]
            if chosen:
                lines.append(title)
                lines += [f"  {c.describe()}" for c in chosen]
        if report.cells:
            n = report.cells
            lines.append(
                f"Cells in course columns: {n['in_course_columns']:,} = {n['imported']:,} "
                f"imported + {n['unchanged']:,} unchanged + {n['skipped']:,} skipped + "
                f"{n['empty']:,} empty or N/A; {n['in_columns_not_recognised']:,} in columns "
                "not recognised."
            )
    elif report.ignored_columns:
        lines.append(f"Columns not used: {', '.join(report.ignored_columns)}")
    return lines


def _export(args: argparse.Namespace) -> int:
    from provider_desk.areas import exporters

    exporter = exporters()[args.what]
    extra = {
        arg.dest or arg.flags[0].lstrip("-").replace("-", "_"): getattr(
            args, arg.dest or arg.flags[0].lstrip("-").replace("-", "_")
        )
        for arg in exporter.args
    }
    db = _open(args)
    try:
        for line in exporter.run(db, args.out, args.today, **extra):
            print(line)
    finally:
        db.dispose()
    return EXIT_OK


def _warn_if_shared(url: str) -> None:
    """A line on stderr when the SQLite file is on a network share."""
    from provider_desk.db.engine import sqlite_path
    from provider_desk.db.network import network_warning

    path = sqlite_path(url)
    warning = network_warning(path) if path is not None else None
    if warning:
        print(f"warning: {warning}", file=sys.stderr)


def _backup_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser(
        "backup",
        help="make a verified backup of the database now",
        description="Copy the database into a backup folder, check the copy (SQLite's "
        "integrity check, every table's row count, the change log's hash chain) and keep it "
        "only if it passes, with a manifest beside it. Older backups there are rotated "
        "(7 daily, 4 weekly, 12 monthly are kept). Exit 1 if the copy does not verify. "
        "A PostgreSQL database is backed up with pg_dump, when it is installed.",
    )
    _database_option(backup)
    backup.add_argument(
        "--to",
        metavar="DIR",
        type=Path,
        help="the folder to back up into (default: the backup folder chosen in the app's "
        "settings on this PC, else a 'backups' folder beside the database)",
    )
    restore = sub.add_parser(
        "restore",
        help="put a backup back in place of the database",
        description="Check the backup, show what it holds and what it would replace, ask, "
        "then restore it. The current database is kept beside it "
        "(NAME.before-restore-DATE-TIME). Close Provider Desk everywhere first.",
    )
    _database_option(restore)
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")


def _backup(args: argparse.Namespace) -> int:
    from provider_desk.areas.opening import no_database
    from provider_desk.backup.making import backup_to_folder
    from provider_desk.backup.pc_settings import backup_folder, load_backup_settings
    from provider_desk.db.backup import BackupFailed
    from provider_desk.db.engine import resolve_database_url, sqlite_path

    url = resolve_database_url(getattr(args, "database", None))
    path = sqlite_path(url)
    if path is None:
        return _backup_server(url, args.to)
    if not path.is_file():
        raise no_database(path)
    _warn_if_shared(url)
    folder = args.to or backup_folder(path, load_backup_settings())
    try:
        made = backup_to_folder(path, folder, now=clock.local_now())
    except BackupFailed as exc:
        print(f"error: the backup failed its checks and was not kept. {exc}", file=sys.stderr)
        return EXIT_FAILED
    print("\n".join(made.describe()))
    return EXIT_OK


def _backup_server(url: str, folder: Path | None) -> int:
    from provider_desk.backup.server import PG_DUMP_EXPLAINED, dump_server

    print(PG_DUMP_EXPLAINED)
    if folder is None:
        print("error: say which folder to write the pg_dump file to: --to DIR", file=sys.stderr)
        return EXIT_PROBLEM
    target = dump_server(url, folder, now=clock.local_now())
    print(f"pg_dump wrote {target} (custom format; put it back with pg_restore).")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from provider_desk.backup.restoring import (
        OTHERS_WARNING,
        check_backup,
        describe_database,
        restore_backup,
    )
    from provider_desk.db.backup import BackupFailed
    from provider_desk.db.engine import resolve_database_url, sqlite_path

    url = resolve_database_url(getattr(args, "database", None))
    database = sqlite_path(url)
    if database is None:
        print(
            "error: this database is on a PostgreSQL server: restore a pg_dump file there with "
            "pg_restore (ask whoever runs the server).",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    actor = _restoring_user(args, database)
    try:
        backup = check_backup(args.file)
    except BackupFailed as exc:
        print(f"error: {exc} Nothing was changed.", file=sys.stderr)
        return EXIT_FAILED
    current = describe_database(database)
    print("\n".join(describe_restore(backup, current)))
    print(f"Note: {OTHERS_WARNING}")
    if not args.yes:
        try:
            answer = input(f"Replace {database} with this backup? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was restored.")
            return EXIT_FAILED
    try:
        done = restore_backup(args.file, database, now=clock.local_now(), actor=actor)
    except BackupFailed as exc:
        print(f"error: {exc} Nothing was changed.", file=sys.stderr)
        return EXIT_FAILED
    print(f"Restored {args.file.name} to {done.database}.")
    if done.kept is not None:
        print(f"The database it replaced is kept at {done.kept}.")
    return EXIT_OK


def _restoring_user(args: argparse.Namespace, database: Path) -> Actor | None:
    """Who restores: the ``--user`` once the database has user accounts (restoring needs the
    registered manager's permission). None when the database is missing, damaged or of another
    schema: then, as for a forgotten password, access to the file itself is the proof.

    Raises:
        ValidationError: no ``--user`` given where one is needed, or the sign-in is refused.
    """
    if not database.is_file():
        return None
    try:
        db = _open_existing(args)
    except ValidationError:
        raise
    except StorageError:
        return None
    from provider_desk.backup.restoring import check_may_restore

    actor = db.actor
    db.dispose()
    signed_in = actor if actor.user_id is not None else None
    check_may_restore(signed_in)
    return signed_in


def describe_restore(backup: Holding, current: Holding | None) -> list[str]:
    """What a backup holds beside what the database holds now, as lines of text."""
    from provider_desk.backup.making import describe_moment

    made = (
        f"{backup.made_at.day} {backup.made_at:%b %Y %H:%M}"
        if backup.made_at is not None
        else "unknown (no manifest beside it)"
    )
    lines = [
        f"Backup: {backup.path}",
        f"  made {made}; verified (integrity, change log intact, {backup.chain_entries:,} entries)",
    ]
    if current is None:
        lines.append("There is no database at the place it goes yet; nothing is replaced.")
    else:
        lines.append(f"It would replace: {current.path}")
    width = max(len(label) for label in backup.areas)
    lines.append(f"  {'':{width}}  {'backup':>9}  {'now':>9}")
    for label, n in backup.areas.items():
        now = f"{current.areas[label]:,}" if current is not None and current.tables else "-"
        lines.append(f"  {label:{width}}  {n:>9,}  {now:>9}")

    def last(h: Holding) -> str:
        if h.last_change is None:
            return "none"
        return f"{describe_moment(h.last_change.at)} by {h.last_change.who}"

    lines.append(f"  Last change in the backup: {last(backup)}")
    if current is not None:
        lines.append(f"  Last change now:           {last(current)}")
    return lines


def _reset_password(args: argparse.Namespace) -> int:
    """Set a forgotten password with the database itself as the proof (logged as a recovery)."""
    from sqlalchemy.engine import make_url

    from provider_desk.auth.roles import Actor
    from provider_desk.auth.services import recover_password
    from provider_desk.db.changelog import current_user
    from provider_desk.db.engine import resolve_database_url, sqlite_path

    name = getattr(args, "user", None)
    if not name:
        raise ValidationError.single(
            "user", "Say whose password to set: --user NAME (e.g. the registered manager's)."
        )
    url = resolve_database_url(args.database)
    if sqlite_path(url) is None and not make_url(url).username:
        raise ValidationError.single(
            "database",
            "On PostgreSQL give the server URL with the database owner's user name and password "
            "(postgresql://OWNER:PASSWORD@SERVER/DATABASE): those credentials are the proof "
            "that you may reset a password.",
        )
    args.database = url
    db = _open_existing(args, signed_in=False)
    db.dispose()
    from provider_desk.db.session import Database

    db = Database(url, actor=Actor.system(f"password recovery ({current_user()})"[:100]))
    try:
        try:
            first = getpass.getpass(f"New password for {name}: ")
            second = getpass.getpass("The same password again: ")
        except EOFError:
            raise ValidationError.single(
                "password", "Run reset-password in a terminal: it asks for the new password."
            ) from None
        if first != second:
            raise ValidationError.single(
                "password", "The two passwords are not the same; nothing was changed. Try again."
            )
        recover_password(db, name, first, clock.now())
    finally:
        db.dispose()
    print(
        f"Set a new password for {name.strip().lower()} and unlocked the account. The change "
        f"log records this recovery, by {current_user()} on this computer."
    )
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover - command-line use without the GUI
    sys.exit(main())
