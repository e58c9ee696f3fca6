"""Python's cyclic garbage collector paused while bulk work makes many short-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Automatic collection off for the block and back as it was afterwards.

    Reading a 1,000-person training matrix or importing 10,000 rows makes hundreds of thousands
    of small objects; each batch of them set off a collection that walked every object alive,
    which took a third or more of the work. Objects are still freed by reference counting as
    usual; only reference cycles wait for the next collection. (The app turns automatic
    collection off for good and collects on the GUI thread: there this changes nothing.)
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            # Everything the block made and still holds is young: the first collection after
            # this would walk all of it (10,000 rows' dicts, lists and report entries: a tenth
            # of a second), though most of it is freed by reference counting as the caller
            # returns. Count it as old instead, as if it had survived collections: it is walked
            # at the next full collection, like any long-lived object.
            gc.freeze()
            gc.unfreeze()
            gc.enable()
