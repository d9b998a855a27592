"""Fixtures of the dashboard tests: the bundled default in a store (SQLite and PostgreSQL), with
its period published, a draft period and a suppressed observation that must never show."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

import veikart
from tests.conftest import PG_URL, require_postgres
from veikart.core.model import PeriodState, ReportingPeriod
from veikart.package.reader import check_package
from veikart.store.store import Store

DEFAULT = Path(veikart.__file__).parent / "data" / "default"
#: A suppressed observation's value and note (pll-nasjonalt, Helse Vest, 2019-01) and a draft
#: period's title: none may appear in any page, API answer, download or static file.
SECRET_VALUE = 87.65432
SECRET_FORMS = ("87.65432", "87,65432", "0.876543", "87,65", "87.65")
SECRET_NOTE = "skjult fordi n er under fem"
SECRET_PERIOD = "2019-01"
DRAFT_ID = "2026-05"
DRAFT_TEXT = "Utkast som ikke er publisert"


def default_data(*, with_secrets: bool = True):  # type: ignore[no-untyped-def]
    data, problems = check_package(DEFAULT)
    assert data is not None, problems
    jan = data.periods["2026-01"]
    data.periods["2026-01"] = jan.model_copy(update={"state": PeriodState.PUBLISHED})
    if with_secrets:
        data.periods[DRAFT_ID] = ReportingPeriod(
            id=DRAFT_ID, date=date(2026, 5, 20), title=DRAFT_TEXT, assessments=[]
        )
        table = data.observations["pll-nasjonalt"]
        table.append(("helse-vest",), SECRET_PERIOD, SECRET_VALUE, None, "suppressed", "published",
                     "nhn-reseptformidleren", SECRET_NOTE)
    return data


def load_default(url: str, **kw: bool) -> None:
    store = Store(url)
    store.migrate()
    store.import_data(default_data(**kw), actor="test")
    store.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store URL holding the default (published period, draft period, suppressed row)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}"
        load_default(url)
        yield url
        return
    admin = require_postgres()
    name = f"veikart_w_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_URL.rsplit('/', 1)[0]}/{name}"
    try:
        load_default(url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def app(web_db: str):  # type: ignore[no-untyped-def]
    from veikart.web.server import create_app

    application = create_app(web_db, chart_cache=False)
    yield application
    application.state.queries.close()


class Client:
    """A synchronous face on httpx's AsyncClient over the real ASGI app."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    def get(self, path: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.get(path, **kw)

        return asyncio.run(go())


@pytest.fixture(scope="module")
def client(app) -> Client:  # type: ignore[no-untyped-def]
    return Client(app)
