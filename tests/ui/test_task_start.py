"""Work handed to the TaskRunner starts once the GUI thread is back in its event loop (so a page
read does not take turns at the interpreter lock with the rest of a page switch), and an export
process is lowered in priority by the parent as soon as it starts."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from provider_desk import processes
from ui.tasks import SWITCH_INTERVAL_S, TaskRunner


def test_work_starts_after_the_gui_thread_returns_to_its_loop(qtbot):
    runner = TaskRunner()
    started = threading.Event()
    results: list[int] = []
    runner.run(lambda: (started.set(), 1)[1], on_success=results.append)
    runner.run(lambda: 2, on_success=results.append)
    assert not started.wait(0.2)  # not before the event loop has turned
    assert runner.busy
    qtbot.waitUntil(lambda: results == [1, 2], timeout=5000)  # then in the order asked
    assert not runner.busy
    assert sys.getswitchinterval() <= SWITCH_INTERVAL_S


def test_a_worker_takes_its_next_job_once_the_last_result_is_handed_over(qtbot):
    runner = TaskRunner()
    second = threading.Event()
    seen: list[str] = []

    def first_result(result: int) -> None:
        # filling a page with this result: the next read must not take turns at the
        # interpreter lock with it (it starts once this thread is back in its event loop)
        seen.append("second running" if second.wait(0.3) else "alone")

    runner.run(lambda: 1, on_success=first_result)
    runner.run(second.set, on_success=lambda _: seen.append("second done"))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert seen == ["alone", "second done"]
    assert not runner.busy


def test_a_failed_job_hands_the_worker_on_too(qtbot):
    runner = TaskRunner()
    results: list[object] = []
    runner.run(lambda: 1 / 0, on_failure=results.append)
    runner.run(lambda: 2, on_success=results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert isinstance(results[0], ZeroDivisionError) and results[1] == 2


def test_a_dialog_shown_by_a_callback_does_not_hold_up_the_next_job(qtbot):
    from PySide6.QtCore import QEventLoop, QTimer

    runner = TaskRunner()
    second = threading.Event()
    seen: list[str] = []

    def first_failed(_exc: BaseException) -> None:
        # as a message box's exec() does: an event loop of its own until it is closed
        loop = QEventLoop()
        QTimer.singleShot(3000, loop.quit)
        timer = QTimer()
        timer.timeout.connect(lambda: second.is_set() and loop.quit())
        timer.start(10)
        loop.exec()
        seen.append("next job ran meanwhile" if second.is_set() else "held up")

    runner.run(lambda: 1 / 0, on_failure=first_failed)
    runner.run(second.set)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    assert seen == ["next job ran meanwhile"]


def test_wait_and_shutdown_start_what_was_asked_for(qtbot):
    runner = TaskRunner()
    ran = threading.Event()
    runner.run(ran.set)
    assert runner.wait(5000) and ran.is_set()  # wait() does not return before it has run
    both: list[int] = []
    runner.run(lambda: both.append(1))
    runner.run(lambda: both.append(2))  # queued behind the first's result
    assert runner.wait(5000) and both == [1, 2]  # wait() hands over the whole queue
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    ran.clear()
    runner.run(ran.set)
    assert runner.shutdown(5000) and ran.is_set()  # a write asked for just before exit runs


@pytest.mark.skipif(sys.platform == "win32", reason="Windows: the child lowers its own priority")
def test_the_parent_lowers_a_child_at_once():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        before = os.getpriority(os.PRIO_PROCESS, child.pid)
        processes.lower_priority_of(child.pid)
        after = os.getpriority(os.PRIO_PROCESS, child.pid)
        assert after == min(before + processes.BACKGROUND_NICENESS, 19)
    finally:
        child.kill()
        child.wait()
    processes.lower_priority_of(child.pid)  # gone: nothing to do, no error


def test_a_predicate_set_before_a_reset_filters_the_new_rows_once(qtbot):
    from ui.models.table import Column, RowFilterProxy, RowTableModel

    model: RowTableModel[int] = RowTableModel([Column("n", str)])
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([1, 2, 3, 4])
    assert proxy.rowCount() == 4  # filtered (a view asks at once)
    calls: list[int] = []

    def even(n: int) -> bool:
        calls.append(n)
        return n % 2 == 0

    proxy.set_predicate(even, refilter=False)
    assert proxy.rowCount() == 4 and not calls  # the old rows are not filtered again
    model.set_rows([10, 11, 12])
    assert proxy.rowCount() == 2
    assert sorted(calls) == [10, 11, 12]  # the new rows, once each
    assert [proxy.index(i, 0).data() for i in range(proxy.rowCount())] == ["10", "12"]
    proxy.set_predicate(lambda n: n > 10)  # refiltered at once
    assert [proxy.index(i, 0).data() for i in range(proxy.rowCount())] == ["11", "12"]


def test_export_processes_are_prepared_once_on_a_worker(qtbot, monkeypatch):
    import ui.tasks as tasks

    threads: list[threading.Thread] = []
    monkeypatch.setattr(tasks, "_prepared", False)
    monkeypatch.setattr(
        tasks, "_prepare_processes", lambda: threads.append(threading.current_thread())
    )
    off = TaskRunner()
    off.use_processes = False  # as in most tests: nothing to prepare
    qtbot.wait(50)
    assert threads == [] and not tasks._prepared
    TaskRunner()
    TaskRunner()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=5000)
    qtbot.wait(50)
    assert len(threads) == 1  # once per process
    assert threads[0] is not threading.main_thread()  # never on the window's thread


def test_shown_rows_are_the_rows_the_filter_keeps_in_order(qtbot):
    from PySide6.QtCore import Qt

    from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel

    model: RowTableModel[int] = RowTableModel([Column("n", str, sort=lambda n: n)])
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([5, 2, 8, 3, 6])
    proxy.set_predicate(lambda n: n % 2 == 0)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    expected = [proxy.index(i, 0).data(ROW_ROLE) for i in range(proxy.rowCount())]
    assert proxy.shown_rows() == expected == [8, 6, 2]
