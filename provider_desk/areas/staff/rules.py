"""Staff statuses: recruitment checks (each with its Level), employment status and contract
types. Computed from what is entered, never stored."""

from __future__ import annotations

from enum import StrEnum

from provider_desk.rules.due import Level


class CheckStatus(StrEnum):
    """Where one recruitment check stands (entered by the manager)."""

    OUTSTANDING = "outstanding"
    RECEIVED = "received"
    VERIFIED = "verified"
    NOT_APPLICABLE = "not applicable"

    @property
    def level(self) -> Level:
        """Outstanding is missing; received but not verified is due (amber: still to do)."""
        return _CHECK_LEVEL[self]


_CHECK_LEVEL = {
    CheckStatus.OUTSTANDING: Level.MISSING,
    CheckStatus.RECEIVED: Level.DUE_SOON,
    CheckStatus.VERIFIED: Level.IN_DATE,
    CheckStatus.NOT_APPLICABLE: Level.NOT_REQUIRED,
}


def check_level(status: str) -> Level:
    """The level of a check's status as stored (anything unknown needs nothing)."""
    try:
        return CheckStatus(status).level
    except ValueError:
        return Level.NOT_REQUIRED


class StaffStatus(StrEnum):
    """Employment status, as entered."""

    ACTIVE = "active"
    ON_LEAVE = "on leave"
    LEFT = "left"


class ContractType(StrEnum):
    """Contract types, with the ASC-WDS EMPLSTATUS code for each."""

    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    BANK = "bank"
    AGENCY = "agency"
    OTHER = "other"

    @property
    def asc_wds_code(self) -> int:
        """ASC-WDS EMPLSTATUS: 1 Permanent, 2 Temporary, 3 Pool/Bank, 4 Agency, 7 Other."""
        return {"permanent": 1, "temporary": 2, "bank": 3, "agency": 4, "other": 7}[self.value]
