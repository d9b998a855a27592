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
