"""a task's item as a published plan wrote it, until a clerk picks the item

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sampling_tasks", sa.Column("pending_item", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sampling_tasks") as batch:
        batch.drop_column("pending_item")
