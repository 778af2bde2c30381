"""the nonce is stored only with the result; the process holding an open attempt

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

`draw_attempts.nonce` becomes NULL until the seed is computed (the nonce lives
only in the operator's process before that), and `holder` names that process
(pid and start time) so that a later process on the same workstation can tell
an attempt whose process is gone — and whose nonce is lost with it — from one
still in progress.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draw_attempts") as batch:
        batch.alter_column("nonce", existing_type=sa.LargeBinary(), nullable=True)
        batch.add_column(sa.Column("holder", sa.String(length=64), nullable=True))
    # Open attempts of an older version kept their nonce in the table, where anyone
    # reading the database could see it: they cannot be trusted any more.
    op.execute("UPDATE draw_attempts SET nonce = NULL WHERE state IN ('committed', 'witnessing')")


def downgrade() -> None:
    with op.batch_alter_table("draw_attempts") as batch:
        batch.drop_column("holder")
    op.get_bind().execute(
        sa.text("UPDATE draw_attempts SET nonce = :empty WHERE nonce IS NULL"), {"empty": b""}
    )
    with op.batch_alter_table("draw_attempts") as batch:
        batch.alter_column("nonce", existing_type=sa.LargeBinary(), nullable=False)
