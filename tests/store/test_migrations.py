"""Migrations from an empty database create exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from veikart.store.schema import metadata
from veikart.store.store import Store


def test_migrations_from_empty_match_the_declared_schema(store_url: str) -> None:
    with Store(store_url) as store:
        assert store.revision() is None
        store.migrate()
        assert store.revision() == store.head()
        with store.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            assert {"changeset", "audit", "document", "observation"} <= names
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        store.migrate()  # running again is harmless
        assert store.revision() == store.head()


def test_the_codes_schema_head_is_alembics_head(store_url: str) -> None:
    """Reads check the database's migration against SCHEMA_HEAD without importing Alembic;
    a new migration must move it."""
    from alembic.script import ScriptDirectory

    from veikart.store.store import _MIGRATIONS, SCHEMA_HEAD

    assert ScriptDirectory(str(_MIGRATIONS)).get_current_head() == SCHEMA_HEAD
    store = Store(store_url)
    assert store.revision() is None  # an empty database: no version table yet
    store.migrate()
    assert store.revision() == SCHEMA_HEAD
    store.check_ready()


def test_known_revisions_are_alembics_scripts() -> None:
    """A store at a revision outside KNOWN_REVISIONS is said to be made by a newer veikart."""
    from alembic.script import ScriptDirectory

    from veikart.store.store import _MIGRATIONS, KNOWN_REVISIONS, SCHEMA_HEAD

    scripts = ScriptDirectory(str(_MIGRATIONS))
    assert list(KNOWN_REVISIONS) == [r.revision for r in reversed(list(scripts.walk_revisions()))]
    assert KNOWN_REVISIONS[-1] == SCHEMA_HEAD


def test_a_store_at_0001_upgrades_keeping_its_data_and_takes_a_range_of_fiscal_years(store_url: str) -> None:
    """0002 widens observation.period: "2015/16-2017/18" (15 characters) did not fit
    PostgreSQL's VARCHAR(10)."""
    from alembic import command

    from tests.conftest import MINIMAL
    from veikart.core.dataset import ObservationTable
    from veikart.package.reader import check_package

    data, problems = check_package(MINIMAL)
    assert data is not None and not problems
    with Store(store_url) as store:
        if store.path is not None:
            store.path.touch()
        with store._begin() as conn:
            command.upgrade(store._alembic(conn), "0001")
        assert store.revision() == "0001"
        store.migrate()  # 0001 -> 0002
        store.import_data(data, actor="test")
        ind = next(iter(data.indicators))
        old = data.observations[ind]
        table = ObservationTable(ind, old.dimensions)
        for i in range(len(old)):
            table.append(*old.row(i))
        table.append(("",) * len(old.dimensions), "2015/16-2017/18", 1.0, None, "", "published", old.source[0], "")
        data.observations[ind] = table
        summary = store.import_data(data, actor="test")
        assert summary.observations_added == 1
        assert "2015/16-2017/18" in store.load().observations[ind].periods


def test_upgrading_0001_to_0002_keeps_every_row(store_url: str) -> None:
    from alembic import command

    from tests.conftest import MINIMAL
    from veikart.package.reader import check_package

    data, _ = check_package(MINIMAL)
    assert data is not None
    with Store(store_url) as store:
        if store.path is not None:
            store.path.touch()
        with store._begin() as conn:
            command.upgrade(store._alembic(conn), "0001")
        store.migrate()
        store.import_data(data, actor="test")
        before = store.load()
        with store._begin() as conn:
            command.downgrade(store._alembic(conn), "0001")
            command.upgrade(store._alembic(conn), "0002")
        after = store.load()
        assert after.observations.keys() == before.observations.keys()
        for k, t in before.observations.items():
            assert after.observations[k].periods == t.periods and after.observations[k].values == t.values
