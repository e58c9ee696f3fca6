"""Expected errors: bad input (ValidationError) and the environment failing (StorageError)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _restore(cls: type[Exception], args: tuple[Any, ...], state: dict[str, Any]) -> Exception:
    """Rebuild an expected error unpickled in another process (an export run in its own process
    reports its error back): the same class, message, fields and advice."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: which field, and a sentence a manager understands."""

    field: str
    message: str


class ValidationError(Exception):
    """Input that cannot be saved. Carries one or more field problems."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        super().__init__("; ".join(p.message for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args, dict(self.__dict__)))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        """A validation error about one field."""
        return cls(Problem(field, message))

    @property
    def field(self) -> str:
        """The first field at fault."""
        return self.problems[0].field

    @property
    def message(self) -> str:
        """Every problem as one sentence list."""
        return str(self)


class StorageError(Exception):
    """The database or disk cannot do what was asked (locked, read-only, full, unreachable).

    Not our bug: the message says what happened and ``advice`` what the user can do about it.
    """

    def __init__(self, message: str, advice: str = "") -> None:
        self.advice = advice
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args, dict(self.__dict__)))

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} {self.advice}".strip()


class SchemaTooNewError(StorageError):
    """The database was written by a newer Provider Desk than this one."""


class ConflictError(StorageError):
    """Someone else changed the record since it was opened (optimistic locking)."""


class PermissionDenied(StorageError):
    """The signed-in user's role does not allow this (see ``provider_desk.auth.roles``)."""


class IntegrityBug(RuntimeError):
    """A save broke one of the database's own rules in a way no user can cause: our bug.

    The message names the rule (constraint) so the crash report says where to look.
    """


class ServerUnreachable(StorageError):
    """The database server cannot be reached (network down, server PC off or restarting).

    Nothing was saved from the attempt; what the user typed is still on screen, and the app
    tries again until the server answers.
    """
