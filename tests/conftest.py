"""Shared fixtures. Every store test runs on SQLite and on PostgreSQL.

PostgreSQL: VEIKART_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test). Each test
gets a database of its own, dropped afterwards. Outside CI a missing server skips those tests
with a message saying so; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from veikart.i18n import set_language
from veikart.store.store import Store

# Every cache a test run writes (charts, PDF slides, compiled catalogues) goes to a folder of the
# run's own, removed at its end: the user's cache neither changes the tests' results nor is
# changed by them. Commands the tests start inherit it.
_CACHE = tempfile.mkdtemp(prefix="veikart-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
PG_URL = os.environ.get("VEIKART_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _pg_admin() -> psycopg.Connection | None:
    try:
        return psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return None


def require_postgres() -> psycopg.Connection:
    conn = _pg_admin()
    if conn is None:
        message = f"PostgreSQL is not reachable at {PG_URL}"
        if IN_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests may not be skipped)")
        pytest.skip(message + "; skipped outside CI")
    return conn


def require_executable(*names: str, package: str) -> str:
    """The path of the first of `names` on PATH. Missing: a failure in CI, a skip elsewhere
    (saying so), as for PostgreSQL."""
    import shutil

    path = next((p for p in map(shutil.which, names) if p), None)
    if path is None:
        message = f"{' or '.join(names)} not found (Debian package {package})"
        if IN_CI:
            pytest.fail(message + " (CI=true: this test may not be skipped)")
        pytest.skip(message + "; skipped outside CI")
    return path


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Tests read messages in English unless they choose bokmål themselves."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def pg_url() -> Iterator[str]:
    admin = require_postgres()
    name = f"veikart_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.migrate()
    yield s
    s.close()
