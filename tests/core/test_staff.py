"""Staff register and recruitment checks through the services, on a real database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from provider_desk.areas.staff.job_roles import save_job_role
from provider_desk.areas.staff.queries import (
    attachment_bytes,
    list_job_roles,
    list_staff,
    staff_checks,
    staff_counts,
)
from provider_desk.areas.staff.services import (
    CheckInput,
    PossibleDuplicate,
    StaffInput,
    add_staff,
    record_check,
    record_leaver,
    update_staff,
)
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, ValidationError
from provider_desk.resources import check_kinds
from tests.conftest import TODAY, check_version_of, new_staff, role_id, version_of


def _input(db: Database, **kw: object) -> StaffInput:
    base = StaffInput("Amy", "Smith", role_id(db), dt.date(2024, 1, 8))
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.field for p in exc.value.problems}


def test_new_staff_member_has_every_check_outstanding(db: Database) -> None:
    staff_id = new_staff(db, team=" North ")
    (row,) = list_staff(db)
    assert (row.id, row.full_name, row.team, row.status) == (
        staff_id,
        "Amy Smith",
        "North",
        "active",
    )
    assert row.missing_checks == len(check_kinds()) == 8
    assert row.needs_attention
    assert [c.kind for c in staff_checks(db, staff_id)] == [k.kind for k in check_kinds()]


def test_blank_names_and_no_role_are_reported_per_field(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        add_staff(
            db,
            _input(db, first_name=" ", last_name="", job_role_id=None, start_date=None),
            today=TODAY,
        )
    assert fields(info) == {"first_name", "last_name", "job_role_id", "start_date"}
    assert list_staff(db, include_left=True) == []


def test_leaving_before_start_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        add_staff(db, _input(db, leaving_date=dt.date(2023, 1, 1), status="left"), today=TODAY)
    assert fields(info) == {"leaving_date"}
    assert "before the start date" in info.value.problems[0].message


def test_left_needs_a_leaving_date_and_a_past_one_needs_left(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        add_staff(db, _input(db, status="left"), today=TODAY)
    assert fields(info) == {"leaving_date"}
    with pytest.raises(ValidationError) as info:
        add_staff(db, _input(db, leaving_date=dt.date(2026, 1, 1)), today=TODAY)
    assert fields(info) == {"status"}
    # Notice given: a leaving date ahead, still active, is fine.
    add_staff(db, _input(db, leaving_date=dt.date(2026, 12, 31)), today=TODAY)


def test_start_date_far_in_the_future_is_a_typo(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        add_staff(db, _input(db, start_date=dt.date(2028, 1, 1)), today=TODAY)
    assert fields(info) == {"start_date"}


def test_duplicate_asc_wds_id_is_an_error(db: Database) -> None:
    new_staff(db, asc_wds_worker_id="W1")
    with pytest.raises(ValidationError) as info:
        add_staff(db, _input(db, first_name="Bob", asc_wds_worker_id="W1"), today=TODAY)
    assert fields(info) == {"asc_wds_worker_id"}
    assert "Amy Smith" in info.value.message


def test_same_name_and_start_date_warns_and_can_be_overridden(db: Database) -> None:
    new_staff(db)
    with pytest.raises(PossibleDuplicate):
        add_staff(db, _input(db, first_name="amy", last_name="SMITH"), today=TODAY)
    assert len(list_staff(db)) == 1
    add_staff(db, _input(db), today=TODAY, allow_duplicate=True)
    assert len(list_staff(db)) == 2


def test_nobody_manages_themselves(db: Database) -> None:
    staff_id = new_staff(db)
    with pytest.raises(ValidationError) as info:
        update_staff(
            db,
            staff_id,
            _input(db, line_manager_id=staff_id),
            today=TODAY,
            expected_version=version_of(db, "StaffMember", staff_id),
        )
    assert fields(info) == {"line_manager_id"}


def test_edit_then_stale_edit_is_a_conflict(db: Database) -> None:
    staff_id = new_staff(db)
    (before,) = list_staff(db)
    update_staff(
        db, staff_id, _input(db, team="South"), expected_version=before.version, today=TODAY
    )
    (after,) = list_staff(db)
    assert after.team == "South" and after.version == before.version + 1
    with pytest.raises(ConflictError):
        update_staff(
            db, staff_id, _input(db, team="East"), expected_version=before.version, today=TODAY
        )
    assert list_staff(db)[0].team == "South"


def test_leaver_is_archived_not_deleted(db: Database) -> None:
    staff_id = new_staff(db)
    new_staff(db, "Bob", "Jones")
    record_leaver(
        db,
        staff_id,
        dt.date(2026, 11, 1),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", staff_id),
    )
    assert [r.full_name for r in list_staff(db)] == ["Bob Jones"]
    everyone = {r.full_name: r for r in list_staff(db, include_left=True)}
    assert everyone["Amy Smith"].status == "left"
    assert everyone["Amy Smith"].leaving_date == dt.date(2026, 11, 1)
    assert staff_counts(db) == {"active": 1, "flagged": 1}
    # Undo: set them active again.
    update_staff(
        db,
        staff_id,
        _input(db),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", staff_id),
    )
    assert len(list_staff(db)) == 2


def test_leaving_date_in_future_or_before_start_refused(db: Database) -> None:
    staff_id = new_staff(db)
    with pytest.raises(ValidationError):
        record_leaver(
            db,
            staff_id,
            dt.date(2026, 12, 25),
            today=TODAY,
            expected_version=version_of(db, "StaffMember", staff_id),
        )
    with pytest.raises(ValidationError):
        record_leaver(
            db,
            staff_id,
            dt.date(2020, 1, 1),
            today=TODAY,
            expected_version=version_of(db, "StaffMember", staff_id),
        )
    assert list_staff(db)[0].status == "active"


def test_verified_dbs_needs_number_issue_date_and_barred_list(db: Database) -> None:
    staff_id = new_staff(db)
    with pytest.raises(ValidationError) as info:
        record_check(
            db,
            staff_id,
            "dbs",
            CheckInput("verified", TODAY),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, "dbs"),
        )
    assert fields(info) == {"reference", "issued_on", "barred_list_checked"}
    with pytest.raises(ValidationError) as info:
        record_check(
            db,
            staff_id,
            "dbs",
            CheckInput(
                "verified",
                TODAY,
                reference="0012 3456 789",
                issued_on=TODAY,
                barred_list_checked=True,
            ),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, "dbs"),
        )
    assert fields(info) == {"reference"}
    assert "12 digits" in info.value.message
    record_check(
        db,
        staff_id,
        "dbs",
        CheckInput(
            "verified",
            TODAY,
            reference="0012 3456 7890",
            issued_on=dt.date(2026, 11, 20),
            barred_list_checked=True,
            update_service=True,
        ),
        today=TODAY,
        expected_version=check_version_of(db, staff_id, "dbs"),
    )
    dbs = next(c for c in staff_checks(db, staff_id) if c.kind == "dbs")
    assert (dbs.status, dbs.reference, dbs.update_service) == ("verified", "001234567890", True)
    assert list_staff(db)[0].missing_checks == 7


def test_barred_list_follows_the_job_roles_regulated_activity(db: Database) -> None:
    roles = {r.name: r for r in list_job_roles(db)}
    assert not roles["Administrative"].regulated_activity
    assert all(r.regulated_activity for name, r in roles.items() if name != "Administrative")
    dbs = CheckInput("verified", TODAY, reference="001234567890", issued_on=TODAY)
    admin = new_staff(db, "Ada", "Clerk", job_role_id=role_id(db, "Administrative"))
    record_check(
        db, admin, "dbs", dbs, today=TODAY, expected_version=check_version_of(db, admin, "dbs")
    )  # no barred list needed
    saved = next(c for c in staff_checks(db, admin) if c.kind == "dbs")
    assert saved.status == "verified" and not saved.barred_list_required
    carer = new_staff(db, "Cal", "Carer")
    assert next(c for c in staff_checks(db, carer) if c.kind == "dbs").barred_list_required
    with pytest.raises(ValidationError) as info:
        record_check(
            db, carer, "dbs", dbs, today=TODAY, expected_version=check_version_of(db, carer, "dbs")
        )
    assert fields(info) == {"barred_list_checked"}
    assert "regulated activity" in info.value.message
    # The provider decides the role does regulated activity after all: now it is needed.
    admin_role = roles["Administrative"]
    save_job_role(
        db,
        admin_role.name,
        admin_role.asc_wds_code,
        admin_role.id,
        expected_version=version_of(db, "JobRole", admin_role.id),
    )
    assert {r.name: r for r in list_job_roles(db)}["Administrative"].regulated_activity
    with pytest.raises(ValidationError):
        record_check(
            db, admin, "dbs", dbs, today=TODAY, expected_version=check_version_of(db, admin, "dbs")
        )
    save_job_role(db, "Office clerk", None, regulated_activity=False, expected_version=None)
    assert not {r.name: r for r in list_job_roles(db)}["Office clerk"].regulated_activity


def test_schedule_3_item_5_is_about_children_or_vulnerable_adults() -> None:
    titles = {k.kind: k.title for k in check_kinds()}
    assert "care employment" not in " ".join(titles.values())
    assert titles["reason_left"] == "Why previous work with children or vulnerable adults ended"
    assert "children or vulnerable adults" in titles["conduct"]


def test_check_dated_in_the_future_refused(db: Database) -> None:
    staff_id = new_staff(db)
    with pytest.raises(ValidationError) as info:
        record_check(
            db,
            staff_id,
            "identity",
            CheckInput("verified", TODAY + dt.timedelta(days=1)),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, "identity"),
        )
    assert "in the future" in info.value.message
    with pytest.raises(ValidationError):
        record_check(
            db,
            staff_id,
            "identity",
            CheckInput("received"),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, "identity"),
        )


def test_received_is_flagged_until_verified(db: Database) -> None:
    staff_id = new_staff(db)
    for kind in check_kinds():
        record_check(
            db,
            staff_id,
            kind.kind,
            CheckInput("not applicable"),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, kind.kind),
        )
    assert not list_staff(db)[0].needs_attention
    record_check(
        db,
        staff_id,
        "health",
        CheckInput("received", TODAY),
        today=TODAY,
        expected_version=check_version_of(db, staff_id, "health"),
    )
    row = list_staff(db)[0]
    assert (row.missing_checks, row.unverified_checks, row.needs_attention) == (0, 1, True)


def test_evidence_file_is_stored_once_by_content(db: Database, tmp_path: Path) -> None:
    a, b = new_staff(db), new_staff(db, "Bob", "Jones")
    pdf = tmp_path / "passport.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a passport scan\n")
    for staff_id in (a, b):
        record_check(
            db,
            staff_id,
            "identity",
            CheckInput("verified", TODAY, attachment_path=pdf),
            today=TODAY,
            expected_version=check_version_of(db, staff_id, "identity"),
        )
    ids = {
        next(c for c in staff_checks(db, s) if c.kind == "identity").attachment_id for s in (a, b)
    }
    assert len(ids) == 1
    name, data = attachment_bytes(db, ids.pop())
    assert (name, data) == ("passport.pdf", pdf.read_bytes())


def test_bad_evidence_files_are_refused_and_nothing_saved(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff_id = new_staff(db)
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ")
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"not a pdf")
    big = tmp_path / "huge.png"
    big.write_bytes(b"\x89PNG" + b"0" * 2048)
    monkeypatch.setattr("provider_desk.attachments.MAX_BYTES", 1024)
    for path, words in ((exe, "not a file type"), (fake, "not a PDF"), (big, "the limit is")):
        with pytest.raises(ValidationError) as info:
            record_check(
                db,
                staff_id,
                "identity",
                CheckInput("verified", TODAY, attachment_path=path),
                today=TODAY,
                expected_version=check_version_of(db, staff_id, "identity"),
            )
        assert words in info.value.message
    identity = next(c for c in staff_checks(db, staff_id) if c.kind == "identity")
    assert identity.status == "outstanding" and identity.attachment_id is None
