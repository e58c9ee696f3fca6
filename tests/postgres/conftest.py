"""A fresh PostgreSQL database per test, on the server .ci/run starts (loopback only)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_VAR = "PROVIDER_DESK_TEST_POSTGRES_URL"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
    server = os.environ.get(SERVER_VAR)
    if not server:
        if os.environ.get("PROVIDER_DESK_REQUIRE_POSTGRES"):
            pytest.fail(f"{SERVER_VAR} is not set, but CI requires the PostgreSQL tests")
        pytest.skip(f"no PostgreSQL server: set {SERVER_VAR} (.ci/run starts one)")
    name = f"pd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
