"""Passwords: hashed with Argon2id (argon2-cffi), never stored or logged in the clear."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from provider_desk.errors import Problem

MIN_PASSWORD_LENGTH = 12
"""The shortest password accepted. The UK Cyber Essentials requirements (NCSC/IASME, "Cyber
Essentials: Requirements for IT infrastructure", password-based authentication), which the Data
Security and Protection Toolkit points care providers to, accept a password without multi-factor
authentication when it is at least 12 characters long (or 8 with a deny list of common
passwords), with no maximum length and no forced complexity. Provider Desk has neither a second
factor nor a deny list, so 12. Three random words ("kettle-violet-harbour") are easy to reach it.
regulation.md §9 itself sets no length: this is the nearest official rule found."""

LOCKOUT_ATTEMPTS = 5
"""Wrong passwords in a row that lock the account (Cyber Essentials: no more than 10)."""
LOCKOUT_MINUTES = 15
"""How long a locked account stays locked."""


@cache
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults are RFC 9106's second recommendation (Argon2id, 64 MiB, t=3, p=4).
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash to store (a different salt every time)."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True if ``password`` matches ``stored_hash``."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True if the hash was made with weaker settings than today's (rehash at the next sign-in)."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return hash_password("provider-desk: no such user")


def spend_verification_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown user name takes as long as a wrong password
    (the answer does not tell whether the user exists)."""
    verify_password(_dummy_hash(), password)


def password_problems(
    password: str, *, username: str = "", field: str = "password"
) -> list[Problem]:
    """What is wrong with a new password (empty: nothing)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Problem(
                field,
                f"The password must be at least {MIN_PASSWORD_LENGTH} characters long (it has "
                f"{len(password)}). Three random words are easy to remember and long enough.",
            )
        ]
    if password.strip() == "":
        return [Problem(field, "The password cannot be only spaces.")]
    if username and password.strip().lower() == username.strip().lower():
        return [Problem(field, "The password cannot be the user name.")]
    return []
