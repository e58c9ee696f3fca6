"""The database server going away and coming back, on the real PostgreSQL server: between this
PC and the server sits a small TCP relay the test can cut, as a network or a server restart
would."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from provider_desk.areas.opening import open_database
from provider_desk.errors import ServerUnreachable
from provider_desk.history.queries import latest_change_id, tables_changed_since
from tests.conftest import new_staff

pytestmark = pytest.mark.postgres


class Relay:
    """Forwards connections from a local port to the server until ``cut()``. Every socket it
    opens is closed by ``cut()`` or ``close()`` (the suite turns an unclosed one into an error),
    whatever the threads are doing at the time: they share ``lock``."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = None
            if self.open:
                with contextlib.suppress(OSError):
                    server = socket.create_connection(self.target)
            with self.lock:
                if server is None or not self.open:  # cut meanwhile: refused
                    _close(client)
                    if server is not None:
                        _close(server)
                    continue
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def cut(self) -> None:
        """The network goes down: open connections drop, new ones are refused."""
        with self.lock:
            self.open = False
            for s in self.sockets:
                _close(s)
            self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def _close(s: socket.socket) -> None:
    """Shut a socket down (waking a thread blocked reading it) and close it, each even if the
    other fails (a socket the far end has already dropped)."""
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()


@pytest.fixture
def relayed(pg_url: str) -> Iterator[tuple[str, Relay]]:
    url = make_url(pg_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    yield url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False), relay
    relay.close()


def test_the_server_going_away_is_said_and_the_next_try_works(
    relayed: tuple[str, Relay],
) -> None:
    url, relay = relayed
    db, _ = open_database(url, user="office.pc1")
    new_staff(db)
    seen = latest_change_id(db)
    relay.cut()
    with pytest.raises(ServerUnreachable) as info:
        tables_changed_since(db, seen)  # what the app polls
    assert "Can't reach the database server" in str(info.value)
    assert "your unsaved form is kept" in str(info.value)
    with pytest.raises(ServerUnreachable):
        new_staff(db, "Bob", "Jones")  # a save: refused with the same message, nothing half-done
    relay.restore()
    newest, tables = tables_changed_since(db, seen)  # the retry: the pool reconnects
    assert newest == seen and tables == frozenset()
    new_staff(db, "Bob", "Jones")
    newest, tables = tables_changed_since(db, seen)
    assert newest > seen and "staff_member" in tables
    db.dispose()
