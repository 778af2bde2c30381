"""publications with their files, follow-up records and the exemption list

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("violation", sa.String(length=300), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inspection_items.id"],
            name=op.f("fk_exemptions_item_id_inspection_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemptions")),
        sa.UniqueConstraint("item_id", "violation", name=op.f("uq_exemptions_item_id")),
    )
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exemptions_item_id"), ["item_id"], unique=False)

    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("doc_number", sa.String(length=60), nullable=False),
        sa.Column("doc_seq", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('item_list', 'plan', 'results', 'exemptions')",
            name=op.f("ck_publications_kind"),
        ),
        sa.CheckConstraint("version_no >= 1", name=op.f("ck_publications_version_no")),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["publications.id"],
            name=op.f("fk_publications_corrects_id_publications"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_publications_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["annual_plans.id"], name=op.f("fk_publications_plan_id_annual_plans")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["sampling_tasks.id"], name=op.f("fk_publications_task_id_sampling_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
        sa.UniqueConstraint("kind", "subject_key", "version_no", name=op.f("uq_publications_kind")),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publications_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_publications_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_publications_subject_key"), ["subject_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_publications_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_publications_year"), ["year"], unique=False)

    op.create_table(
        "publication_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_publication_files_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_files")),
        sa.UniqueConstraint(
            "publication_id", "file_name", name=op.f("uq_publication_files_publication_id")
        ),
    )
    with op.batch_alter_table("publication_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_files_publication_id"), ["publication_id"], unique=False
        )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
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
            "kind IN ('rectify', 'case_filed', 'notify_department', 'judicial', 'other')",
            name=op.f("ck_follow_ups_kind"),
        ),
        sa.CheckConstraint(
            "status = 'open' OR (closed_on IS NOT NULL AND outcome <> '')",
            name=op.f("ck_follow_ups_closed"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_follow_ups_status")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_follow_ups_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["inspection_results.id"],
            name=op.f("fk_follow_ups_result_id_inspection_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("result_id", name=op.f("uq_follow_ups_result_id")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_ups_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_ups_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_ups_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_status"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_due_date"))
        batch_op.drop_index(batch_op.f("ix_follow_ups_department_id"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("publication_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_files_publication_id"))

    op.drop_table("publication_files")
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publications_year"))
        batch_op.drop_index(batch_op.f("ix_publications_task_id"))
        batch_op.drop_index(batch_op.f("ix_publications_subject_key"))
        batch_op.drop_index(batch_op.f("ix_publications_plan_id"))
        batch_op.drop_index(batch_op.f("ix_publications_department_id"))

    op.drop_table("publications")
    with op.batch_alter_table("exemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exemptions_item_id"))

    op.drop_table("exemptions")
