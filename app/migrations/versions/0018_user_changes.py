"""user change journal: every row written to `users` on PostgreSQL, by whichever role

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04

Every office PC holds the application role's password, so anyone there can
connect with psql and rewrite `users` (raise a role, reactivate an account,
put a known password hash on a supervisor's account) without the audit hook
seeing it. The application role must keep changing users through the
program, so such changes cannot be refused; they are made visible instead.
An AFTER trigger on `users` appends one row per inserted, updated or deleted
user (and one per TRUNCATE) to `user_changes`: when (clock_timestamp()), the
connected role (session_user), its address, and the old and new values of
the journaled columns — the password hash only as its SHA-256 fingerprint.
The trigger function is SECURITY DEFINER, owned by the owner who migrates,
so the application role needs no write privilege on the journal
(`dualrandom db setup-server` grants it SELECT only), and the append-only
triggers of revision 0012 refuse changes to it. `dualrandom audit verify`
matches the journal against the audit log (app/services/access/user_changes.py).

SQLite: the table is created (the models match the schema on both backends)
but has no trigger and stays empty — whoever can write the file owns
everything, a journal in the same file would prove nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# The same list as app.models.users.JOURNALED_COLUMNS, frozen at this revision.
COLUMNS = (
    "id",
    "username",
    "display_name",
    "department_id",
    "inspector_id",
    "roles",
    "password_hash",
    "must_change_password",
    "failed_attempts",
    "locked_until",
    "active",
)

# `values` keeps the journaled columns of a row, the hash replaced by its
# fingerprint (the PHC string carries its own salt, so the fingerprint gives
# nothing to guess passwords with). An update keeps only what changed; an
# update that changed none of them (bookkeeping only) writes no row.
JOURNAL = """
CREATE OR REPLACE FUNCTION dualrandom_journal_user_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {schema}, pg_temp AS $$
DECLARE
    cols CONSTANT text[] := ARRAY[{columns}];
    old_v jsonb;
    new_v jsonb;
    changed text[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO user_changes (at, db_role, client_addr, operation)
        VALUES (clock_timestamp(), session_user, host(inet_client_addr()), 'truncate');
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT jsonb_object_agg(key, value) INTO old_v
        FROM jsonb_each(to_jsonb(OLD)) WHERE key = ANY (cols);
        old_v := old_v || jsonb_build_object('password_hash',
            'sha256:' || encode(sha256(convert_to(OLD.password_hash, 'UTF8')), 'hex'));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        SELECT jsonb_object_agg(key, value) INTO new_v
        FROM jsonb_each(to_jsonb(NEW)) WHERE key = ANY (cols);
        new_v := new_v || jsonb_build_object('password_hash',
            'sha256:' || encode(sha256(convert_to(NEW.password_hash, 'UTF8')), 'hex'));
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(key) INTO changed FROM jsonb_each(new_v)
        WHERE old_v -> key IS DISTINCT FROM value;
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
        SELECT jsonb_object_agg(key, value) INTO old_v
        FROM jsonb_each(old_v) WHERE key = ANY (changed);
        SELECT jsonb_object_agg(key, value) INTO new_v
        FROM jsonb_each(new_v) WHERE key = ANY (changed);
    END IF;
    INSERT INTO user_changes
        (at, db_role, client_addr, operation, user_id, username, before, after)
    VALUES (
        clock_timestamp(), session_user, host(inet_client_addr()), lower(TG_OP),
        CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
        CASE WHEN TG_OP = 'DELETE' THEN OLD.username ELSE NEW.username END,
        old_v::json, new_v::json
    );
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "user_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("db_role", sa.String(length=64), nullable=False),
        sa.Column("client_addr", sa.String(length=64), nullable=True),
        sa.Column("operation", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_changes")),
    )
    with op.batch_alter_table("user_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_changes_user_id"), ["user_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # Pinned search path: a SECURITY DEFINER function must not resolve names
    # through a schema (or temporary table) the calling role could create.
    schema = bind.dialect.identifier_preparer.quote(bind.scalar(sa.text("SELECT current_schema()")))
    columns = ", ".join(f"'{c}'" for c in COLUMNS)
    op.execute(JOURNAL.format(schema=schema, columns=columns))
    op.execute("REVOKE ALL ON FUNCTION dualrandom_journal_user_change() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER users_journal AFTER INSERT OR UPDATE OR DELETE ON users "
        "FOR EACH ROW EXECUTE FUNCTION dualrandom_journal_user_change()"
    )
    op.execute(
        "CREATE TRIGGER users_journal_truncate AFTER TRUNCATE ON users "
        "FOR EACH STATEMENT EXECUTE FUNCTION dualrandom_journal_user_change()"
    )
    # Append-only like the audit log (revision 0012's function).
    op.execute(
        "CREATE TRIGGER user_changes_append_only BEFORE UPDATE OR DELETE ON user_changes "
        "FOR EACH ROW EXECUTE FUNCTION dualrandom_refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER user_changes_no_truncate BEFORE TRUNCATE ON user_changes "
        "FOR EACH STATEMENT EXECUTE FUNCTION dualrandom_refuse_change()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS users_journal ON users")
        op.execute("DROP TRIGGER IF EXISTS users_journal_truncate ON users")
        op.execute("DROP FUNCTION IF EXISTS dualrandom_journal_user_change()")
    with op.batch_alter_table("user_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_changes_user_id"))
    op.drop_table("user_changes")
