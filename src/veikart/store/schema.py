"""Tables of the store (SQLAlchemy Core). The Alembic migrations in migrations/ create them;
a test checks that the two agree.

Everything is versioned the same way: a row is known from `valid_from` (changeset `added_in`)
until `valid_to` (changeset `removed_in`, NULL while current). A correction closes the old row and
adds a new one, so the store can be read "as known on date D". Metadata (framework, indicators,
periods) is kept as JSON documents of the core model; observations as columns.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

changeset = Table(
    "changeset",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, comment="UTC"),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("framework_id", String(80)),
    Column("summary", Text, nullable=False, server_default=""),
)

# Append-only: triggers created by the migration refuse UPDATE and DELETE.
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("changeset_id", Integer, ForeignKey("changeset.id"), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("op", String(10), nullable=False),
    Column("old", Text),
    Column("new", Text),
)
Index("ix_audit_changeset", audit.c.changeset_id)

document = Table(
    "document",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(80), nullable=False),
    Column("kind", String(20), nullable=False),  # framework | indicator | period
    Column("key", String(80), nullable=False),
    Column("position", Integer, nullable=False),
    Column("doc", Text, nullable=False),
    Column("added_in", Integer, ForeignKey("changeset.id"), nullable=False),
    Column("removed_in", Integer, ForeignKey("changeset.id")),
    Column("valid_from", DateTime, nullable=False),
    Column("valid_to", DateTime),
)
Index(
    "ux_document_current",
    document.c.framework_id,
    document.c.kind,
    document.c.key,
    unique=True,
    sqlite_where=text("removed_in IS NULL"),
    postgresql_where=text("removed_in IS NULL"),
)
Index("ix_document_framework", document.c.framework_id, document.c.kind)

observation = Table(
    "observation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(80), nullable=False),
    Column("indicator_id", String(80), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("series", Text, nullable=False),  # dimension values joined with '|', '' = total
    Column("period", String(20), nullable=False),  # "2015/16-2017/18" is 15
    Column("value", Float),
    Column("n", Integer),
    Column("flags", String(40), nullable=False, server_default=""),
    Column("provenance", String(20), nullable=False),
    Column("source", String(80), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    Column("added_in", Integer, ForeignKey("changeset.id"), nullable=False),
    Column("removed_in", Integer, ForeignKey("changeset.id")),
    Column("valid_from", DateTime, nullable=False),
    Column("valid_to", DateTime),
)
Index("ix_observation_current", observation.c.framework_id, observation.c.indicator_id, observation.c.removed_in)
