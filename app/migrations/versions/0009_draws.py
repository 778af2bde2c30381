"""draw attempts, witnesses, results and drawn targets

Revision ID: 0009
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0002"
branch_labels = None
depends_on = None

STATES = "'committed', 'witnessing', 'computed', 'aborted', 'superseded'"
OPEN = sa.text("state IN ('committed', 'witnessing')")
COMPUTED = sa.text("state = 'computed'")


def upgrade() -> None:
    op.create_table(
        "draw_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("attempt_no", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("manifest", sa.LargeBinary(), nullable=False),
        sa.Column("manifest_hash", sa.String(length=64), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("nonce_commitment", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("workstation", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aborted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("abort_reason", sa.Text(), nullable=True),
        sa.Column("redraw_reason", sa.Text(), nullable=True),
        sa.Column("supervisor", sa.String(length=64), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"state IN ({STATES})", name=op.f("ck_draw_attempts_state")),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["draw_attempts.id"],
            name=op.f("fk_draw_attempts_replaces_id_draw_attempts"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["sampling_tasks.id"],
            name=op.f("fk_draw_attempts_task_id_sampling_tasks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_attempts")),
        sa.UniqueConstraint("nonce_commitment", name=op.f("uq_draw_attempts_nonce_commitment")),
        sa.UniqueConstraint("task_id", "attempt_no", name=op.f("uq_draw_attempts_task_id")),
    )
    op.create_index(op.f("ix_draw_attempts_task_id"), "draw_attempts", ["task_id"])
    op.create_index(op.f("ix_draw_attempts_manifest_hash"), "draw_attempts", ["manifest_hash"])
    op.create_index(
        "uq_draw_attempts_open_task",
        "draw_attempts",
        ["task_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index(
        "uq_draw_attempts_computed_task",
        "draw_attempts",
        ["task_id"],
        unique=True,
        sqlite_where=COMPUTED,
        postgresql_where=COMPUTED,
    )

    op.create_table(
        "draw_witnesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=128), nullable=False),
        sa.Column("digits", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_draw_witnesses_position")),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["draw_attempts.id"],
            name=op.f("fk_draw_witnesses_attempt_id_draw_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draw_witnesses")),
        sa.UniqueConstraint("attempt_id", "position", name=op.f("uq_draw_witnesses_attempt_id")),
    )
    op.create_index(op.f("ix_draw_witnesses_attempt_id"), "draw_witnesses", ["attempt_id"])

    op.create_table(
        "draw_results",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=False),
        sa.Column("result_hash", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("selected", sa.Integer(), nullable=False),
        sa.Column("software", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["draw_attempts.id"],
            name=op.f("fk_draw_results_attempt_id_draw_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_draw_results")),
        sa.UniqueConstraint("result_hash", name=op.f("uq_draw_results_result_hash")),
    )

    op.create_table(
        "draw_targets",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("stratum", sa.String(length=8), nullable=False),
        sa.Column("lead_inspector_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["draw_attempts.id"],
            name=op.f("fk_draw_targets_attempt_id_draw_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_inspector_id"],
            ["inspectors.id"],
            name=op.f("fk_draw_targets_lead_inspector_id_inspectors"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_draw_targets_target_id_targets")
        ),
        sa.PrimaryKeyConstraint("attempt_id", "rank", name=op.f("pk_draw_targets")),
    )
    op.create_index(op.f("ix_draw_targets_target_id"), "draw_targets", ["target_id"])
    op.create_index(
        op.f("ix_draw_targets_lead_inspector_id"), "draw_targets", ["lead_inspector_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_draw_targets_lead_inspector_id"), table_name="draw_targets")
    op.drop_index(op.f("ix_draw_targets_target_id"), table_name="draw_targets")
    op.drop_table("draw_targets")
    op.drop_table("draw_results")
    op.drop_index(op.f("ix_draw_witnesses_attempt_id"), table_name="draw_witnesses")
    op.drop_table("draw_witnesses")
    op.drop_index("uq_draw_attempts_computed_task", table_name="draw_attempts")
    op.drop_index("uq_draw_attempts_open_task", table_name="draw_attempts")
    op.drop_index(op.f("ix_draw_attempts_manifest_hash"), table_name="draw_attempts")
    op.drop_index(op.f("ix_draw_attempts_task_id"), table_name="draw_attempts")
    op.drop_table("draw_attempts")
