"""inspections, team members, per-item results, reviews and the holiday table

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column(
            "entered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f("ck_holidays_kind")),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holidays")),
    )
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("draw_rank", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("lead_department_id", sa.Integer(), nullable=False),
        sa.Column("case_source", sa.String(length=16), nullable=True),
        sa.Column("case_reference", sa.String(length=200), nullable=True),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column("reference_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("due_date_estimated", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "case_source IS NULL OR case_source IN ('complaint', 'referral', 'monitoring', 'campaign')",
            name=op.f("ck_inspections_case_source"),
        ),
        sa.CheckConstraint(
            "kind IN ('random', 'case', 'special')", name=op.f("ck_inspections_kind")
        ),
        sa.CheckConstraint(
            "state IN ('not_entered', 'pending_review', 'returned', 'approved', 'published')",
            name=op.f("ck_inspections_state"),
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["draw_attempts.id"],
            name=op.f("fk_inspections_attempt_id_draw_attempts"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_department_id"],
            ["departments.id"],
            name=op.f("fk_inspections_lead_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_inspections_target_id_targets")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["sampling_tasks.id"], name=op.f("fk_inspections_task_id_sampling_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint("task_id", "target_id", name=op.f("uq_inspections_task_id")),
    )
    op.create_index(op.f("ix_inspections_attempt_id"), "inspections", ["attempt_id"], unique=False)
    op.create_index(op.f("ix_inspections_due_date"), "inspections", ["due_date"], unique=False)
    op.create_index(
        op.f("ix_inspections_inspected_on"), "inspections", ["inspected_on"], unique=False
    )
    op.create_index(
        op.f("ix_inspections_lead_department_id"),
        "inspections",
        ["lead_department_id"],
        unique=False,
    )
    op.create_index("ix_inspections_state_due", "inspections", ["state", "due_date"], unique=False)
    op.create_index(op.f("ix_inspections_target_id"), "inspections", ["target_id"], unique=False)
    op.create_index(op.f("ix_inspections_task_id"), "inspections", ["task_id"], unique=False)
    op.create_table(
        "inspection_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=64), nullable=True),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("position >= 1", name=op.f("ck_inspection_members_position")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_inspection_members_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_members_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"],
            ["inspectors.id"],
            name=op.f("fk_inspection_members_inspector_id_inspectors"),
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["inspection_members.id"],
            name=op.f("fk_inspection_members_replaces_id_inspection_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_members")),
    )
    op.create_index(
        op.f("ix_inspection_members_department_id"),
        "inspection_members",
        ["department_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_members_inspection_id"),
        "inspection_members",
        ["inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_members_inspector_id"),
        "inspection_members",
        ["inspector_id"],
        unique=False,
    )
    op.create_index(
        "uq_inspection_members_active_place",
        "inspection_members",
        ["inspection_id", "position"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "inspection_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=16), nullable=True),
        sa.Column("is_problem", sa.Boolean(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("follow_up", sa.String(length=16), nullable=True),
        sa.Column("entered_by_user_id", sa.Integer(), nullable=True),
        sa.Column("entered_by_inspector_id", sa.Integer(), nullable=True),
        sa.Column("entered_by_name", sa.String(length=64), nullable=True),
        sa.Column("entered_department_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_name", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('not_entered', 'pending_review', 'returned', 'approved', 'published')",
            name=op.f("ck_inspection_results_state"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_inspection_results_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_inspector_id"],
            ["inspectors.id"],
            name=op.f("fk_inspection_results_entered_by_inspector_id_inspectors"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_user_id"],
            ["users.id"],
            name=op.f("fk_inspection_results_entered_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_department_id"],
            ["departments.id"],
            name=op.f("fk_inspection_results_entered_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_results_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inspection_items.id"],
            name=op.f("fk_inspection_results_item_id_inspection_items"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"],
            ["users.id"],
            name=op.f("fk_inspection_results_reviewer_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_results")),
        sa.UniqueConstraint(
            "inspection_id", "item_id", name=op.f("uq_inspection_results_inspection_id")
        ),
    )
    op.create_index(
        op.f("ix_inspection_results_category_code"),
        "inspection_results",
        ["category_code"],
        unique=False,
    )
    op.create_index(
        "ix_inspection_results_department_state",
        "inspection_results",
        ["department_id", "state"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_results_inspected_on"),
        "inspection_results",
        ["inspected_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_results_inspection_id"),
        "inspection_results",
        ["inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_results_item_id"), "inspection_results", ["item_id"], unique=False
    )
    op.create_table(
        "inspection_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_name", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('approve', 'return')", name=op.f("ck_inspection_reviews_action")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_reviews_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"],
            ["users.id"],
            name=op.f("fk_inspection_reviews_reviewer_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_reviews")),
    )
    op.create_index(
        op.f("ix_inspection_reviews_inspection_id"),
        "inspection_reviews",
        ["inspection_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("inspection_reviews")
    op.drop_table("inspection_results")
    op.drop_table("inspection_members")
    op.drop_table("inspections")
    op.drop_table("holidays")
