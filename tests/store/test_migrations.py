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
