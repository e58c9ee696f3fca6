"""Roles and permissions: what each kind of user may do, and the acting user (``Actor``).

The rules live here, in the core, so the GUI, the importers and the CLI enforce the same thing:
hiding a button is a courtesy, the service refusing is the rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """The four kinds of user (issue "Logins and roles")."""

    MANAGER = "manager"  # the registered manager: everything, user administration, settings
    COORDINATOR = "coordinator"  # office coordinator: edit all records; no users, no settings
    FIELD_SUPERVISOR = "field_supervisor"  # staff, training, supervision; care plans read-only
    READ_ONLY = "read_only"  # view and export

    @property
    def label(self) -> str:
        """The role in words, for lists and forms."""
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.MANAGER: "Registered manager",
    Role.COORDINATOR: "Office coordinator",
    Role.FIELD_SUPERVISOR: "Field supervisor",
    Role.READ_ONLY: "Read-only",
}


class Permission(enum.StrEnum):
    """What a service needs. Reading and exporting need none: every signed-in user may."""

    EDIT_WORKFORCE = "edit_workforce"  # staff, recruitment checks, training, supervision
    EDIT_RECORDS = "edit_records"  # people supported, care plans, complaints, audits, actions
    MANAGE_SETTINGS = "manage_settings"  # organisation settings, courses, templates, backups
    MANAGE_USERS = "manage_users"  # add, change and deactivate users


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MANAGER: frozenset(Permission),
    Role.COORDINATOR: frozenset({Permission.EDIT_WORKFORCE, Permission.EDIT_RECORDS}),
    Role.FIELD_SUPERVISOR: frozenset({Permission.EDIT_WORKFORCE}),
    Role.READ_ONLY: frozenset(),
}


@dataclass(frozen=True)
class Actor:
    """The person a database connection acts for: stamped on every change and checked by services.

    ``user_id`` is None only for the program itself (first start, migrations, building a demo).
    """

    user_id: int | None
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        """True if this user's role allows ``permission``."""
        return permission in ROLE_PERMISSIONS[self.role]

    @classmethod
    def system(cls, name: str) -> Actor:
        """The program acting for itself (no signed-in user): full rights, no user id."""
        return cls(None, name, Role.MANAGER)
