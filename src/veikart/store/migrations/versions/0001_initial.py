"""The initial store: changesets, append-only audit trail, versioned documents and observations.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None



def _versioned() -> list[sa.Column]:
    """The columns that make a row a version: known from `valid_from` until `valid_to`."""
    return [
        sa.Column("added_in", sa.Integer, sa.ForeignKey("changeset.id"), nullable=False),
        sa.Column("removed_in", sa.Integer, sa.ForeignKey("changeset.id")),
        sa.Column("valid_from", sa.DateTime, nullable=False),
        sa.Column("valid_to", sa.DateTime),
    ]


def upgrade() -> None:
    op.create_table(
        "changeset",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("framework_id", sa.String(80)),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("changeset_id", sa.Integer, sa.ForeignKey("changeset.id"), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
    )
    op.create_index("ix_audit_changeset", "audit", ["changeset_id"])
    op.create_table(
        "document",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        *_versioned(),
    )
    op.create_index(
        "ux_document_current",
        "document",
        ["framework_id", "kind", "key"],
        unique=True,
        sqlite_where=sa.text("removed_in IS NULL"),
        postgresql_where=sa.text("removed_in IS NULL"),
    )
    op.create_index("ix_document_framework", "document", ["framework_id", "kind"])
    op.create_table(
        "observation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(80), nullable=False),
        sa.Column("indicator_id", sa.String(80), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("series", sa.Text, nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("n", sa.Integer),
        sa.Column("flags", sa.String(40), nullable=False, server_default=""),
        sa.Column("provenance", sa.String(20), nullable=False),
        sa.Column("source", sa.String(80), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        *_versioned(),
    )
    op.create_index(
        "ix_observation_current", "observation", ["framework_id", "indicator_id", "removed_in"]
    )
    _append_only("audit")


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE on an append-only table, in the database itself."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_append_only ON audit")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    for name in ("observation", "document", "audit", "changeset"):
        op.drop_table(name)
