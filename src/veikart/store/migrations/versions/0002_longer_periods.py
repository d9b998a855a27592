"""Observation periods up to 20 characters: a range of fiscal years ("2015/16-2017/18") is 15.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observation") as batch:
        batch.alter_column("period", type_=sa.String(20), existing_type=sa.String(10), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("observation") as batch:
        batch.alter_column("period", type_=sa.String(10), existing_type=sa.String(20), existing_nullable=False)
