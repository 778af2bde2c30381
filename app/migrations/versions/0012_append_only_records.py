"""append-only audit log and draw records on PostgreSQL (triggers that refuse changes)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04

The application role on a shared server has no UPDATE/DELETE/TRUNCATE
privilege on these tables (`dualrandom db setup-server`); the triggers refuse
the same for every role that has not switched them off, which only a
table's owner can do. A draw attempt changes state (committed → witnessing →
computed → superseded, or aborted) and receives its nonce when the seed is
fixed, but what it committed to never changes, and an ended attempt stays
ended. SQLite has no roles: whoever can write the file can do anything, so
nothing is added there (docs/admin-guide.md, threat model).
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APPEND_ONLY = ("audit_log", "draw_results", "draw_witnesses")

REFUSE = """
CREATE OR REPLACE FUNCTION dualrandom_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '表 % 只能追加，不能修改、删除或清空（%）', TG_TABLE_NAME, TG_OP
        USING ERRCODE = '42501';
END $$
"""

ATTEMPT_GUARD = """
CREATE OR REPLACE FUNCTION dualrandom_attempt_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.task_id IS DISTINCT FROM OLD.task_id
        OR NEW.attempt_no IS DISTINCT FROM OLD.attempt_no
        OR NEW.manifest IS DISTINCT FROM OLD.manifest
        OR NEW.manifest_hash IS DISTINCT FROM OLD.manifest_hash
        OR NEW.nonce_commitment IS DISTINCT FROM OLD.nonce_commitment
        OR NEW.started_at IS DISTINCT FROM OLD.started_at
        OR NEW.replaces_id IS DISTINCT FROM OLD.replaces_id
        OR (OLD.nonce IS NOT NULL AND length(OLD.nonce) > 0
            AND NEW.nonce IS DISTINCT FROM OLD.nonce)
        OR (OLD.state IN ('aborted', 'superseded') AND NEW.state IS DISTINCT FROM OLD.state)
        OR (OLD.state = 'computed' AND NEW.state NOT IN ('computed', 'superseded'))
    THEN
        RAISE EXCEPTION '随机抽取第 % 次（id %）的承诺与记录不能改动', OLD.attempt_no, OLD.id
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$
"""

# The drawn targets' rows are derived from the result bytes and written in the
# result's transaction; the one later change is resolving each code to its
# registry row (target_id, NULL → id) in the same transaction.
TARGET_GUARD = """
CREATE OR REPLACE FUNCTION dualrandom_draw_target_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
        OR NEW.attempt_id IS DISTINCT FROM OLD.attempt_id
        OR NEW.rank IS DISTINCT FROM OLD.rank
        OR NEW.batch IS DISTINCT FROM OLD.batch
        OR NEW.candidate_id IS DISTINCT FROM OLD.candidate_id
        OR NEW.stratum IS DISTINCT FROM OLD.stratum
        OR NEW.lead_inspector_id IS DISTINCT FROM OLD.lead_inspector_id
        OR NEW.team::text IS DISTINCT FROM OLD.team::text
        OR NEW.missing IS DISTINCT FROM OLD.missing
        OR (OLD.target_id IS NOT NULL AND NEW.target_id IS DISTINCT FROM OLD.target_id)
    THEN
        RAISE EXCEPTION '表 draw_targets 只能追加，不能修改或删除（%）', TG_OP
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(REFUSE)
    op.execute(ATTEMPT_GUARD)
    op.execute(TARGET_GUARD)
    op.execute(
        "CREATE TRIGGER draw_targets_guard BEFORE UPDATE OR DELETE ON draw_targets "
        "FOR EACH ROW EXECUTE FUNCTION dualrandom_draw_target_guard()"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dualrandom_refuse_change()"
        )
    for table in (*APPEND_ONLY, "draw_targets", "draw_attempts"):
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dualrandom_refuse_change()"
        )
    op.execute(
        "CREATE TRIGGER draw_attempts_no_delete BEFORE DELETE ON draw_attempts "
        "FOR EACH ROW EXECUTE FUNCTION dualrandom_refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER draw_attempts_guard BEFORE UPDATE ON draw_attempts "
        "FOR EACH ROW EXECUTE FUNCTION dualrandom_attempt_guard()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    for table in (*APPEND_ONLY, "draw_targets", "draw_attempts"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP TRIGGER IF EXISTS draw_targets_guard ON draw_targets")
    op.execute("DROP FUNCTION IF EXISTS dualrandom_draw_target_guard()")
    op.execute("DROP TRIGGER IF EXISTS draw_attempts_no_delete ON draw_attempts")
    op.execute("DROP TRIGGER IF EXISTS draw_attempts_guard ON draw_attempts")
    op.execute("DROP FUNCTION IF EXISTS dualrandom_attempt_guard()")
    op.execute("DROP FUNCTION IF EXISTS dualrandom_refuse_change()")
