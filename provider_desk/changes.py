"""What a service call changed, so each page refreshes only what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field

STAFF = "staff"
CHECKS = "checks"
ACTIONS = "actions"
SETTINGS = "settings"
JOB_ROLES = "job_roles"
TRAINING = "training"
SUPERVISION = "supervision"
COMPLAINTS = "complaints"
AUDITS = "audits"
PEOPLE = "people"
USERS = "users"


@dataclass(frozen=True)
class Changes:
    """The areas a change touched and the ids of rows it created or changed."""

    areas: frozenset[str] = field(default_factory=frozenset)
    ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, *areas: str, ids: tuple[int, ...] = ()) -> Changes:
        """Changes to the named areas."""
        return cls(frozenset(areas), ids)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas, self.ids + other.ids)

    def touches(self, *areas: str) -> bool:
        """True if any of ``areas`` changed."""
        return bool(self.areas.intersection(areas))
