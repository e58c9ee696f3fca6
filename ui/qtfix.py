"""A workaround for a PySide6 bug that ended the app with "Fatal Python error: none_dealloc".

PySide6 6.12.0 drops a reference to ``None`` each time it turns an empty QVariant into ``None``
or back: ``index.data(role)`` for a role a model has no data for, ``combo.itemData(i)`` of an item
added with ``None``, a Python model's ``data()`` returning ``None`` to a view, and so on. A table
repaint does that hundreds of times; on Python 3.11, where ``None`` is still reference-counted,
the count reaches zero and the interpreter aborts (in whichever thread touches ``None`` next, so
the traceback pointed at a worker inside ``list_people`` or at shutdown). Loading pages while an
export ran made it come sooner, which is how it was seen; ``benchmarks/stress.py`` reproduces it
in seconds, and ``python -c`` with a model whose ``data`` returns ``None`` and a loop over
``index.data(5)`` shows ``sys.getrefcount(None)`` falling by one per call.

There is no call site to fix: every view, combo box and property lookup goes through the same
converter. So, when a probe at import shows this PySide6 loses the reference, :func:`protect_none`
gives ``None`` a reserve of references no session can use up, which is what Python 3.12 does for
every build (``None`` is immortal there, PEP 683). On Python 3.12+, or a PySide6 without the bug,
it does nothing.

The same bindings drop a reference to ``True`` each time it is emitted through a
``Signal(object)`` (a task's result, for one). ``True`` starts with a few hundred references, so
a few hundred such emissions ended the export benchmark at exit with "Fatal Python error:
bool_dealloc" (three runs in three on main, Dec 2026). :func:`protect_bools` gives ``True`` and
``False`` the same reserve when a probe shows the loss.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItemModel

RESERVE = 1 << 60
"""References added to ``None``'s count: at a million lost a second, enough for 36,000 years."""


def loses_none() -> bool:
    """True when this PySide6 drops a reference to ``None`` converting an empty QVariant."""
    model = QStandardItemModel(1, 1)
    index = model.index(0, 0)
    index.data(1000)  # warm up
    before = sys.getrefcount(None)
    for _ in range(16):
        index.data(1000)  # a role with no data: an empty QVariant, returned as None
    lost = before - sys.getrefcount(None)
    for _ in range(max(lost, 0)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))  # give back what the probe lost
    return lost >= 16


class _Probe(QObject):
    fired = Signal(object)


def loses_true() -> bool:
    """True when this PySide6 drops a reference to ``True`` emitting it as an object."""
    probe = _Probe()
    probe.fired.emit(True)  # warm up
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.fired.emit(True)
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # give back what the probe lost
    return lost >= 16


def _add_reserve(value: object) -> bool:
    """Add :data:`RESERVE` to the reference count of ``value`` (None, True or False)."""
    count = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt, the first field
    if count.value != sys.getrefcount(value) - 1:  # getrefcount counts its own argument
        return False  # not the layout expected: leave it alone
    count.value += RESERVE
    return True


def _immortal() -> bool:
    """Python 3.12+ (immortal None and bools, PEP 683) or a debug build (another layout)."""
    return sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount")


def protect_none() -> bool:
    """Give ``None`` a reserve of references if this PySide6 needs it; True if it did."""
    if _immortal() or not loses_none():
        return False
    return _add_reserve(None)


def protect_bools() -> bool:
    """Give ``True`` and ``False`` a reserve of references if this PySide6 loses them."""
    if _immortal() or not loses_true():
        return False
    return _add_reserve(True) and _add_reserve(False)


PROTECTED = protect_none()
PROTECTED_BOOLS = protect_bools()
