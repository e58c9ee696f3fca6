"""The only place in Provider Desk that reads the calendar or the wall clock.

Every rule, query and service takes ``today`` as an argument; the edges ask this module once (the
GUI's application context, refreshed at midnight, and the CLI's ``main``). Timestamps for the change
log, archive marks and file names come from ``now()`` / ``local_now()``. A test fails if any other
module reads the clock, and CI runs the suite again with the clock moved.
"""

from __future__ import annotations

import datetime as dt


def local_now() -> dt.datetime:
    """Now on this PC's clock, timezone-aware (for file names and what a person reads)."""
    return dt.datetime.now(dt.UTC).astimezone()


def today() -> dt.date:
    """Today's date on this PC's calendar."""
    return local_now().date()


def now() -> dt.datetime:
    """Now, as a timezone-aware UTC timestamp (for what is stored)."""
    return dt.datetime.now(dt.UTC)


def stamp() -> str:
    """Local date and time for a file name: ``2026-11-23-0915``."""
    return local_now().strftime("%Y-%m-%d-%H%M")
