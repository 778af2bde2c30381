"""risk-class change suggestions from inspection results

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("from_class", sa.String(length=1), nullable=True),
        sa.Column("to_class", sa.String(length=1), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'accepted', 'rejected')", name=op.f("ck_risk_suggestions_state")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_risk_suggestions_target_id_targets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_suggestions")),
    )
    with op.batch_alter_table("risk_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_risk_suggestions_state_target", ["state", "target_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_suggestions_target_id"), ["target_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("risk_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_suggestions_target_id"))
        batch_op.drop_index("ix_risk_suggestions_state_target")
    op.drop_table("risk_suggestions")
