"""A courtesy, not the rule: what the signed-in user's role cannot do is greyed out, with a tooltip
saying why. The core refuses it anyway (``PermissionDenied``)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from provider_desk.auth.roles import Actor, Permission

AREA_PERMISSIONS: dict[str, Permission] = {
    "staff": Permission.EDIT_WORKFORCE,
    "training": Permission.EDIT_WORKFORCE,
    "supervision": Permission.EDIT_WORKFORCE,
    "people": Permission.EDIT_RECORDS,
    "complaints": Permission.EDIT_RECORDS,
    "audits": Permission.EDIT_RECORDS,
    "actions": Permission.EDIT_RECORDS,
}
"""What changing each area's records needs (issue 19: field supervisors keep staff, training,
supervision and spot checks; care plans and the rest are read-only for them)."""


def why_not(actor: Actor, permission: Permission) -> str:
    """Why ``actor`` cannot do what needs ``permission`` ("" if they can)."""
    if actor.can(permission):
        return ""
    who = {
        Permission.MANAGE_USERS: "the registered manager",
        Permission.MANAGE_SETTINGS: "the registered manager",
    }.get(permission, "the registered manager or an office coordinator")
    return f"You are signed in as {actor.role.label}: only {who} can do this."


def allow(target: QAction | QWidget, actor: Actor, permission: Permission) -> bool:
    """Enable ``target`` if ``actor`` may do what it does; otherwise grey it out and say why in
    its tooltip. Returns whether it is allowed."""
    reason = why_not(actor, permission)
    target.setEnabled(not reason)
    if reason:
        if isinstance(target, QAction):
            target.setStatusTip(reason)
        target.setToolTip(reason)
    return not reason
