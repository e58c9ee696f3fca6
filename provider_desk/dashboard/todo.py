"""What needs doing today: every area's attention items in one list, most urgent first, and
which of them became overdue since the manager last looked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session

from provider_desk.areas import AREAS
from provider_desk.reading import Attention, On, urgency


def todo_in(s: Session, on: On) -> list[Attention]:
    """Every area's :meth:`~provider_desk.reading.AreaReader.attention`, sorted by
    :func:`~provider_desk.reading.urgency` (missing and overdue first, longest late first).

    Reads inside the snapshot ``s``; nothing else lists the areas.
    """
    items = [item for area in AREAS for item in area.reader.attention(s, on)]
    return sorted(items, key=urgency)


def item_key(item: Attention) -> str:
    """A key that names the same thing from one day to the next (area, record, reference), for
    remembering what was already late when the manager last looked."""
    return f"{item.area}|{item.record_id if item.record_id is not None else ''}|{item.reference}"


def late_keys(items: Iterable[Attention]) -> frozenset[str]:
    """The keys of the items that are late now (overdue or missing): what to save at the end of
    a run so the next run can tell what is new (see :func:`newly_overdue`)."""
    return frozenset(item_key(i) for i in items if i.level.needs_action)


def newly_overdue(
    items: Iterable[Attention],
    *,
    today: dt.date,
    late_before: Collection[str] | None = None,
    last_opened: dt.date | None = None,
) -> list[Attention]:
    """ "Since you last opened": the items that are late today but were not last time, most urgent
    first. A pure function: the caller keeps what it needs between runs.

    Give one of:

    - ``late_before``: :func:`late_keys` of the previous run's items. An item is new if it is
      late now and its key was not late then (this also catches late items that appeared
      without a due date, e.g. a new starter's missing check).
    - ``last_opened``: the day the manager last opened the app. An item is new if it fell due
      after that: something due on D is overdue from the day after D, so it was not yet late on
      ``last_opened`` when ``last_opened <= D`` and is late today when ``D < today``. Items with
      no due date cannot be placed in time and are left out.

    Raises:
        ValueError: neither or both were given.
    """
    if (late_before is None) == (last_opened is None):
        raise ValueError("give either late_before or last_opened")
    late = [i for i in items if i.level.needs_action]
    if late_before is not None:
        before = set(late_before)
        new = [i for i in late if item_key(i) not in before]
    else:
        assert last_opened is not None
        new = [i for i in late if i.due_on is not None and last_opened <= i.due_on < today]
    return sorted(new, key=urgency)
