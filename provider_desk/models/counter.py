"""Counters that hand out reference numbers (complaints, audits, people) safely across PCs."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Base


class ReferenceCounter(Base):
    """The last number given out in one series, e.g. ``complaint-2026`` -> 14 (CMP-2026-014).

    Not a Tracked row (no version, no change log): it is bookkeeping, and the records it numbers
    are logged themselves.
    """

    __tablename__ = "reference_counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
