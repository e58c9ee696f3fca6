"""Data migrations for issue 18: new shipped defaults reach a database only where the provider
never changed the old ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, text

from provider_desk.db import migrate
from provider_desk.db.engine import make_engine


@contextmanager
def at_revision(path: Path, revision: str) -> Iterator[Connection]:
    """A database migrated to ``revision``, open for writing rows as that schema had them."""
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with migrate.migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        yield conn
    engine.dispose()


def upgrade_to_head(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, backup=False)
    engine.dispose()


def _kind(conn: Connection, kind: str, months: int, version: int) -> None:
    conn.execute(
        text(
            "INSERT INTO supervision_kind (kind, name, interval_months, milestones_months, "
            "has_outcome, sections, note, created_at, updated_at, created_by, updated_by, "
            "version) VALUES (:kind, :kind, :months, '', 1, 'x', 'old note', "
            "'2026-01-01', '2026-01-01', '', '', :version)"
        ),
        {"kind": kind, "months": months, "version": version},
    )


def test_spot_checks_move_to_3_months_only_where_never_changed(tmp_path: Path) -> None:
    shipped, chosen = tmp_path / "shipped.sqlite3", tmp_path / "chosen.sqlite3"
    with at_revision(shipped, "9d5aeae77f76") as conn:
        _kind(conn, "spot check", 6, version=1)  # seeded, never saved
        _kind(conn, "supervision", 6, version=1)  # not a spot check: untouched
    with at_revision(chosen, "9d5aeae77f76") as conn:
        _kind(conn, "spot check", 6, version=3)  # the provider saved 6 on purpose
    upgrade_to_head(shipped)
    upgrade_to_head(chosen)
    engine = make_engine(f"sqlite:///{shipped}")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT kind, interval_months FROM supervision_kind")).all())
        note = conn.execute(
            text("SELECT note FROM supervision_kind WHERE kind = 'spot check'")
        ).scalar_one()
    engine.dispose()
    assert rows == {"spot check": 3, "supervision": 6}
    assert "QS123" in note
    engine = make_engine(f"sqlite:///{chosen}")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT interval_months FROM supervision_kind")).scalar_one()
    engine.dispose()
    assert kept == 6


def test_letter_templates_get_the_escalation_placeholder_only_where_unedited(
    tmp_path: Path,
) -> None:
    from provider_desk.resources import load_text

    path = tmp_path / "letters.sqlite3"
    old_ack = (
        "Dear {complainant_name},\n\nIf you are not satisfied with our final response, you can "
        "ask the Local Government and Social Care Ombudsman to look at your complaint. The "
        "Ombudsman is free and independent. You can contact them on 0300 061 0614 or at "
        "www.lgo.org.uk. They will usually expect you to have given us the chance to respond "
        "first.\n\nYours sincerely,"
    )
    rewritten = "Dear {complainant_name}, please ask the LGSCO if unhappy."
    with at_revision(path, "17c9a73e7cb9") as conn:
        for kind, body in (("acknowledgement", old_ack), ("outcome", rewritten)):
            conn.execute(
                text(
                    "INSERT INTO letter_template (kind, title, body, created_at, updated_at, "
                    "created_by, updated_by, version) VALUES (:kind, :kind, :body, "
                    "'2026-01-01', '2026-01-01', '', '', 1)"
                ),
                {"kind": kind, "body": body},
            )
        conn.execute(
            text(
                "INSERT INTO complaint (reference, received_on, channel, complainant_name, "
                "complainant_relation, complainant_address, person_concerned, category, summary, "
                "severity, safeguarding, duty_of_candour, findings, outcome, apology_given, "
                "extension_reason, complainant_satisfied, lessons_learned, created_at, "
                "updated_at, created_by, updated_by, version) VALUES ('CMP-1', '2026-01-02', "
                "'phone', 'Mrs B', '', '', '', 'care quality', 'late', 'low', 0, 0, '', '', 0, "
                "'', '', '', '2026-01-01', '2026-01-01', '', '', 1)"
            )
        )
    upgrade_to_head(path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        bodies = dict(conn.execute(text("SELECT kind, body FROM letter_template")).all())
        funding = conn.execute(text("SELECT funding FROM complaint")).scalar_one()
    engine.dispose()
    assert bodies["acknowledgement"] == (
        "Dear {complainant_name},\n\n{escalation}\n\nYours sincerely,"
    )
    assert bodies["outcome"] == rewritten
    assert funding == ""
    # The shipped templates of a new database carry the placeholder too.
    assert "{escalation}" in load_text("letters/acknowledgement.txt")
    assert "{escalation}" in load_text("letters/outcome.txt")


def test_existing_administrative_roles_do_no_regulated_activity(tmp_path: Path) -> None:
    path = tmp_path / "roles.sqlite3"
    with at_revision(path, "70e9e8870d48") as conn:
        for name, code in (
            ("Care worker", 8),
            ("Administrative", 25),
            ("Office staff", 25),  # renamed, still ASC-WDS 25
            ("Receptionist", None),  # a provider's own, named as an administrative alias
            ("Registered manager", 4),
        ):
            conn.execute(
                text(
                    "INSERT INTO job_role (name, asc_wds_code, description, created_at, "
                    "updated_at, created_by, updated_by, version) VALUES (:name, :code, '', "
                    "'2026-01-01', '2026-01-01', '', '', 1)"
                ),
                {"name": name, "code": code},
            )
    upgrade_to_head(path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        flags = dict(conn.execute(text("SELECT name, regulated_activity FROM job_role")).all())
    engine.dispose()
    assert {name: bool(flag) for name, flag in flags.items()} == {
        "Care worker": True,
        "Administrative": False,
        "Office staff": False,
        "Receptionist": False,
        "Registered manager": True,
    }


def test_existing_databases_get_the_new_role_requirements_added_never_removed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "requirements.sqlite3"
    stamp = "'2026-01-01', '2026-01-01', '', '', 1"
    with at_revision(path, "a3c5e1f0b7d2") as conn:
        for n, name in enumerate(
            ("Administrative", "Senior management", "First-line manager", "Care worker"), 1
        ):
            conn.execute(
                text(
                    "INSERT INTO job_role (id, name, description, regulated_activity, "
                    f"created_at, updated_at, created_by, updated_by, version) VALUES ({n}, "
                    f":name, '', 1, {stamp})"
                ),
                {"name": name},
            )
        for n, name in enumerate(
            (
                "Safeguarding children",
                "Oliver McGowan Tier 1",
                "Oliver McGowan Tier 2",
                "Moving and handling objects",
                "Medication competency assessment",
                "Fire safety (renamed by us)",
            ),
            1,
        ):
            conn.execute(
                text(
                    "INSERT INTO course (id, name, competency, interval_note, aliases, "
                    f"created_at, updated_at, created_by, updated_by, version) VALUES ({n}, "
                    f":name, 0, '', '', {stamp})"
                ),
                {"name": name},
            )
        for role, course in ((3, 3), (4, 5), (1, 4)):  # first-line manager on Tier 2 already
            conn.execute(
                text(
                    "INSERT INTO role_requirement (job_role_id, course_id, created_at, "
                    f"updated_at, created_by, updated_by, version) VALUES ({role}, {course}, "
                    f"{stamp})"
                )
            )
    upgrade_to_head(path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        pairs = set(
            conn.execute(
                text(
                    "SELECT r.name, c.name FROM role_requirement q "
                    "JOIN job_role r ON r.id = q.job_role_id JOIN course c ON c.id = q.course_id"
                )
            ).all()
        )
    engine.dispose()
    assert pairs == {
        # kept as they were
        ("First-line manager", "Oliver McGowan Tier 2"),
        ("Care worker", "Medication competency assessment"),
        ("Administrative", "Moving and handling objects"),
        # added
        ("Administrative", "Safeguarding children"),
        ("Senior management", "Safeguarding children"),
        ("First-line manager", "Safeguarding children"),
        ("Senior management", "Oliver McGowan Tier 1"),  # not first-line: on Tier 2 already
        ("Senior management", "Moving and handling objects"),
        ("First-line manager", "Moving and handling objects"),
        ("Care worker", "Moving and handling objects"),
    }
