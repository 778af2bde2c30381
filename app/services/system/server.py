"""The shared PostgreSQL server's two roles: the owner that migrates, the application role.

`setup_server(admin_url, app_role, app_password)` (run by the administrator
with the owner's — or a superuser's — connection, idempotent):
- brings the schema to this program's head as the owner (so the tables, the
  functions and the triggers of revision 0012 belong to the owner);
- creates the application role (LOGIN) or updates its password;
- grants it what the program needs and nothing more: read and write the
  registries, plans and settings; only SELECT and INSERT on the audit log
  and the draw records (results, witnesses, drawn targets); draw attempts
  also UPDATE (their state moves on), never DELETE; only SELECT on the
  user change journal (revision 0018's trigger writes it as the owner);
  no TRUNCATE anywhere;
  no CREATE on the schema, so it cannot run DDL, and not owning the tables
  it cannot switch the triggers off.
Clients then connect as the application role. Run it again after installing
a new version: the migration runs as the owner and new tables get grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from app.domain.errors import InvalidInput
from app.models.db import DatabaseError, open_database

# Readable and appendable by the application role, never changed or deleted.
APPEND_ONLY = ("audit_log", "draw_results", "draw_witnesses", "draw_targets")
# Changes state, never deleted.
NO_DELETE = ("draw_attempts",)
# Written only by the owner's trigger functions (the user change journal) or by migrations.
READ_ONLY = ("alembic_version", "user_changes")
_ROLE_OPTIONS = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"


class ServerSetupError(InvalidInput):
    """setup-server cannot proceed; str() is the message for the administrator."""


@dataclass(frozen=True)
class SetupReport:
    database: str
    owner: str
    app_role: str
    created: bool
    app_url: str


def _ident(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _literal(value: str) -> str:
    # Utility statements (CREATE/ALTER ROLE) take no bind parameters.
    return "'" + value.replace("'", "''") + "'"


def _tables(conn: Connection) -> list[str]:
    rows = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ).scalars()
    return sorted(rows)


def _sequence(conn: Connection, table: str, column: str) -> str:
    name = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table, "c": column})
    if not name:
        raise ServerSetupError(f"表 {table} 的 {column} 没有序列：表结构与本程序版本不符。")
    return str(name)


def setup_server(admin_url: str, app_role: str, app_password: str | None) -> SetupReport:
    url = make_url(admin_url)
    if url.get_backend_name() != "postgresql":
        raise ServerSetupError(
            "setup-server 只用于 PostgreSQL 服务器（--admin-db postgresql+psycopg://…）。"
        )
    role = app_role.strip()
    if not role or role == url.username:
        raise ServerSetupError("应用角色须是另一个角色，不能与数据库所有者相同。")
    db = open_database(admin_url)  # migrates as the owner
    try:
        with db.engine.begin() as conn:
            owner, superuser = conn.execute(
                text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
            ).one()
            table_owner = conn.scalar(
                text(
                    "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename = 'audit_log'"
                )
            )
            if not superuser and table_owner != owner:
                raise ServerSetupError(
                    f"“{owner}”不是数据库表的所有者（所有者为“{table_owner}”）：请用所有者的连接运行。"
                )
            dbname = conn.scalar(text("SELECT current_database()"))
            exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
            q = _ident(conn, role)
            password = f" PASSWORD {_literal(app_password)}" if app_password else ""
            try:
                verb = "ALTER" if exists else "CREATE"
                conn.execute(text(f"{verb} ROLE {q} WITH {_ROLE_OPTIONS}{password}"))
            except Exception as exc:
                raise ServerSetupError(
                    f"无法创建或修改角色“{role}”（所有者须有 CREATEROLE 权限，或请超级用户先执行 "
                    f"CREATE ROLE {q} LOGIN PASSWORD '…'）：{exc}"
                ) from exc
            _grant(conn, q, _ident(conn, dbname))
    except DatabaseError:
        raise
    finally:
        db.dispose()
    app_url = url.set(username=role, password=None).render_as_string(hide_password=True)
    return SetupReport(dbname, owner, role, not exists, app_url)


def _grant(conn: Connection, role: str, dbname: str) -> None:
    tables = _tables(conn)
    stmts = [
        f"GRANT CONNECT ON DATABASE {dbname} TO {role}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE CREATE ON SCHEMA public FROM {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    for table in APPEND_ONLY:
        if table in tables:
            stmts.append(f"REVOKE UPDATE, DELETE ON {table} FROM {role}")
    if "draw_targets" in tables:
        # Only the registry row of a drawn code is filled in after the insert.
        stmts.append(f"GRANT UPDATE (target_id) ON draw_targets TO {role}")
    for table in NO_DELETE:
        if table in tables:
            stmts.append(f"REVOKE DELETE ON {table} FROM {role}")
    for table in READ_ONLY:
        if table in tables:
            stmts.append(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {role}")
    if "user_changes" in tables:
        # Only the trigger (running as the owner) draws journal row numbers.
        stmts.append(f"REVOKE ALL ON SEQUENCE {_sequence(conn, 'user_changes', 'id')} FROM {role}")
    for stmt in stmts:
        conn.execute(text(stmt))
