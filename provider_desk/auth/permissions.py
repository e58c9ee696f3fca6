"""Each write service states the permission it needs; the core refuses before anything is written.

Decorate a public service with ``@requires(Permission.EDIT_RECORDS, "change care plans")``. The
acting user comes from the ``Database`` (``db.actor``) or, for the ``_in(session, ...)`` forms
importers use, from ``session.info["actor"]``. A service called from inside another permitted
service (a supervision raising its agreed actions) is part of that service and is not checked
again: the permission belongs to what the user asked for.

Every decorated service is listed in :data:`WRITE_SERVICES`, so a test can run every role against
every service, and another can find any writer that forgot to say what it needs.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from provider_desk.auth.roles import Actor, Permission
from provider_desk.errors import PermissionDenied

P = ParamSpec("P")
T = TypeVar("T")

# Who may grant each permission, for the "ask ..." part of the message.
_ASK = "Ask the registered manager."


@dataclass(frozen=True)
class WriteService:
    """A service that changes data, and what it needs."""

    name: str  # "provider_desk.areas.people.services.save_care_plan"
    permission: Permission
    doing: str  # "change care plans": finishes "Your role (...) cannot ..."
    function: Callable[..., Any]


WRITE_SERVICES: dict[str, WriteService] = {}
"""Every registered write service by its dotted name."""

_inside: contextvars.ContextVar[bool] = contextvars.ContextVar("inside_service", default=False)


def actor_of(target: Any) -> Actor:
    """The acting user of a ``Database`` or a ``Session`` opened by one.

    A session that carries no actor (made outside ``Database.session``) acts for the program
    itself, as a ``Database`` without a signed-in user does.
    """
    actor = getattr(target, "actor", None)
    if isinstance(actor, Actor):
        return actor
    info = getattr(target, "info", None)
    if isinstance(info, dict):
        found = info.get("actor")
        if isinstance(found, Actor):
            return found
        return Actor.system(str(info.get("user") or "program"))
    raise TypeError(f"cannot tell who is acting from {type(target).__name__}")


def refusal(actor: Actor, doing: str) -> PermissionDenied:
    """The plain-words refusal for ``actor`` trying to ``doing``."""
    return PermissionDenied(f"Your role ({actor.role.label}) cannot {doing}.", _ASK)


def authorise(actor: Actor, permission: Permission, doing: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do this."""
    if not actor.can(permission):
        raise refusal(actor, doing)


def requires(permission: Permission, doing: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Mark a write service as needing ``permission``; it is checked before the service runs.

    The service's first argument is the ``Database`` or the open ``Session``.
    """

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            body: Callable[P, T] = wrapper.__wrapped__
            if _inside.get():
                return body(*args, **kwargs)
            if not args:
                raise TypeError(f"{name} takes the database or session first")
            authorise(actor_of(args[0]), permission, doing)
            token = _inside.set(True)
            try:
                return body(*args, **kwargs)
            finally:
                _inside.reset(token)

        WRITE_SERVICES[name] = WriteService(name, permission, doing, wrapper)
        return wrapper

    return decorate


PROGRAM_WRITES: dict[str, str] = {}
"""Writers that run as the program itself, not for a user (dotted name -> why)."""


def program_write(why: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Mark a function that writes for the program itself (seeding a new database, building the
    demo), so the test that looks for unregistered writers knows it was considered."""

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        PROGRAM_WRITES[f"{fn.__module__}.{fn.__qualname__}"] = why
        return fn

    return decorate


def registered(fn: Callable[..., Any]) -> WriteService | None:
    """The registry entry of a service function (None if it never said what it needs)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    entry = WRITE_SERVICES.get(name)
    return entry if entry is not None and entry.function is fn else None
