"""Time is an argument: only `provider_desk/clock.py` reads the calendar or the wall clock."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import pkgutil
from pathlib import Path

import provider_desk
from provider_desk import clock

ROOT = Path(__file__).resolve().parents[2]

# Attribute calls that read the calendar or the wall clock, whatever the module is imported as.
CALENDAR_READS = {
    "today",  # date.today(), datetime.today()
    "now",  # datetime.now()
    "utcnow",
    "time",  # time.time()
    "time_ns",
    "localtime",
    "gmtime",
    "ctime",
    "currentDate",  # QDate.currentDate()
    "currentDateTime",
    "currentDateTimeUtc",
    "currentTime",
    "currentMSecsSinceEpoch",
    "currentSecsSinceEpoch",
}
TIME_MODULE_READS = {"time", "time_ns", "localtime", "gmtime", "ctime"}
# Receivers whose .now()/.today()/.time() are the standard library's or Qt's clock.
CLOCK_OWNERS = {"date", "datetime", "dt", "time", "QDate", "QDateTime", "QTime"}


def calendar_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) for each place ``source`` reads the clock."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr, owner = node.func.attr, node.func.value
        if attr not in CALENDAR_READS:
            continue
        # dt.date.today(), dt.datetime.now(), datetime.now(), time.time(), QDate.currentDate()
        names = []
        while isinstance(owner, ast.Attribute):
            names.append(owner.attr)
            owner = owner.value
        if isinstance(owner, ast.Name):
            names.append(owner.id)
        if attr in TIME_MODULE_READS and names != ["time"]:
            continue  # dt.time() makes a time of day; only the time module's time() is a read
        if names and names[0] in CLOCK_OWNERS:
            found.append((node.lineno, ".".join([*reversed(names), attr])))
    return found


def test_the_scanner_sees_every_way_of_reading_the_clock() -> None:
    source = "\n".join(
        [
            "import datetime as dt, time",
            "from datetime import date, datetime",
            "a = dt.date.today()",
            "b = datetime.now(dt.UTC)",
            "c = time.time()",
            "d = date.today()",
            "e = QDate.currentDate()",
            "f = dt.datetime.utcnow()",
            "g = row.today()",  # a method of our own, not the clock
            "h = ctx.today()",
            "i = dt.time(0, 0)",  # midnight, not a read
        ]
    )
    assert [line for line, _ in calendar_reads(source)] == [3, 4, 5, 6, 7, 8]


def test_only_the_clock_module_reads_the_calendar() -> None:
    offenders = []
    for folder in ("provider_desk", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "provider_desk" / "clock.py":
                continue
            for line, call in calendar_reads(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {call}()")
    assert offenders == [], "read the date through provider_desk.clock:\n" + "\n".join(offenders)
    assert calendar_reads((ROOT / "provider_desk" / "clock.py").read_text()) != []


def test_no_core_function_has_an_optional_today() -> None:
    """`today` is required wherever a result depends on it: no silent fall-back to the clock."""
    optional = []
    for info in pkgutil.walk_packages(provider_desk.__path__, "provider_desk."):
        module = __import__(info.name, fromlist=["_"])
        for name, obj in vars(module).items():
            if not inspect.isfunction(obj) or obj.__module__ != info.name:
                continue
            param = inspect.signature(obj).parameters.get("today")
            if param is not None and param.default is not inspect.Parameter.empty:
                optional.append(f"{info.name}.{name}")
    assert optional == []


def test_clock_gives_local_today_and_aware_timestamps() -> None:
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
    before = clock.local_now()
    today = clock.today()
    after = clock.local_now()
    assert before.tzinfo is not None and abs((before - now).total_seconds()) < 60
    assert today in {before.date(), after.date()}  # either side of a midnight
    assert len(clock.stamp()) == len("2026-11-23-0915")


def test_the_moved_clock_for_ci_lands_where_it_says() -> None:
    from tests.conftest import moved_clock_destination

    noon = dt.datetime(2028, 2, 29, 12, 0, tzinfo=dt.UTC)
    assert moved_clock_destination("2028-02-29", noon).date() == dt.date(2028, 2, 29)
    assert moved_clock_destination("+1y", noon).date() == dt.date(2029, 2, 28)
    assert moved_clock_destination("+1y", noon.replace(month=3, day=1)).date() == dt.date(
        2029, 3, 1
    )
