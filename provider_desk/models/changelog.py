"""The append-only change log, each entry chained to the previous one by a SHA-256 hash."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Base


class ChangeLogEntry(Base):
    """Who changed which row, when, and each field's old and new value (JSON)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime]
    who: Mapped[str] = mapped_column(String(100))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The signed-in user's id (user_account.id); None for entries written before logins, by the
    # program itself, or while a database has no users yet. No foreign key: the log is
    # append-only and must never be held up by another table.
    user_id: Mapped[int | None] = mapped_column(default=None, index=True)
