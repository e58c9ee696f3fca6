"""User accounts: who may sign in, in which role, and what protects the account."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Base, Tracked

MAX_USERNAME_LENGTH = 60


class UserAccount(Tracked, Base):
    """One person's login. Deactivated when they leave, never deleted (the change log and the
    records they made keep pointing at them).

    ``username`` is stored in lower case, so "JSmith" and "jsmith" are the same user.
    """

    __tablename__ = "user_account"
    # The change log shows that the password changed, never the hash itself.
    __log_hidden__: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    username: Mapped[str] = mapped_column(String(MAX_USERNAME_LENGTH), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # a provider_desk.auth.roles.Role value
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(default=None)
