"""An export run in a process of its own reports progress, its result, a cancel or its error,
and expected errors cross to the window as themselves (message, fields and advice)."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from typing import Any

from provider_desk.areas.staff.services import PossibleDuplicate
from provider_desk.errors import ConflictError, Problem, StorageError, ValidationError
from provider_desk.processes import ExportCrashed, run_child
from provider_desk.progress import Cancelled, Progress


class _Queue(list[tuple[Any, ...]]):
    """What the child puts on its queue (which pickles each message on the way)."""

    def put(self, message: tuple[Any, ...]) -> None:
        self.append(pickle.loads(pickle.dumps(message)))

    def close(self) -> None:
        pass

    def join_thread(self) -> None:
        pass


def _outcome(job: Callable[[Progress], Any], *, cancel: bool = False) -> list[tuple[Any, ...]]:
    queue, event = _Queue(), threading.Event()
    if cancel:
        event.set()
    run_child(job, queue, event)  # here, in this process: what the child does
    return list(queue)


def _counts(progress: Progress) -> int:
    for i in range(3):
        if not progress(i, 2, "Counting"):
            raise Cancelled("Cancelled: nothing was written.")
    return 42


def test_progress_then_the_result() -> None:
    messages = _outcome(_counts)
    assert messages[0] == ("progress", 0, 2, "Counting")
    assert messages[-1] == ("done", 42)


def test_a_cancel_is_heard_at_the_next_step() -> None:
    assert _outcome(_counts, cancel=True) == [("cancelled",)]


def test_expected_errors_arrive_as_themselves() -> None:
    def conflict(_progress: Progress) -> None:
        raise ConflictError("Someone else changed it.", "Reload and try again.")

    def duplicate(_progress: Progress) -> None:
        raise PossibleDuplicate([Problem("last_name", "Amy Smith is already on the register.")])

    kind, error = _outcome(conflict)[-1]
    assert kind == "failed" and type(error) is ConflictError
    assert (error.args[0], error.advice) == ("Someone else changed it.", "Reload and try again.")
    kind, error = _outcome(duplicate)[-1]
    assert kind == "failed" and type(error) is PossibleDuplicate
    assert error.field == "last_name" and str(error) == "Amy Smith is already on the register."


def test_an_error_that_cannot_cross_is_reported_as_a_crash() -> None:
    class Local(Exception):  # not importable by the parent: cannot be unpickled there
        pass

    def bug(_progress: Progress) -> None:
        raise Local("the renderer fell over")

    kind, error = _outcome(bug)[-1]
    assert kind == "failed" and isinstance(error, ExportCrashed)
    assert "Local: the renderer fell over" in str(error)
    assert "the renderer fell over" in error.child_traceback


def test_expected_errors_pickle_with_their_details() -> None:
    errors: list[Exception] = [
        ValidationError.single("out", "Choose a .pdf file name."),
        StorageError("matrix.pdf could not be written.", "Close it in Excel and try again."),
    ]
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert back.__dict__ == error.__dict__
