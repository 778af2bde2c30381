"""SQLite backups: daily and on demand, kept N, restored only after an integrity check.

Backups are taken with SQLite's online backup API (a consistent copy even
while the program writes) into the data folder's `backups/` directory as
`STEM__YYYYMMDD-HHMMSS__KIND.sqlite`; KIND is `auto` (daily, the newest
BACKUP_KEEP are kept) or `manual` (kept until deleted by hand). A restore
first checks the backup (PRAGMA integrity_check and that it is a database of
this program), then moves the current file aside as
`STEM.before-restore-YYYYMMDD-HHMMSS.sqlite` and writes the backup in its place.
It refuses while any process has the database open (the shared lock on
`NAME.sqlite.inuse`, app/models/inuse.py): replacing the file under a running
import would leave the import's rows in the displaced file.
Each backup has metadata beside it, `BACKUP.sqlite.json`, with the audit
chain head it holds (entry number and hash): an anchor outside the database
for `dualrandom audit verify --anchor`.
PostgreSQL is backed up with pg_dump on the server (docs/admin-guide.md).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import data_dir
from app.domain.errors import UserError
from app.models.inuse import InUseLock, LockHeld

log = logging.getLogger(__name__)

BACKUP_KEEP = 14
DAILY = timedelta(hours=24)
PG_HINT = (
    "PostgreSQL 数据库由服务器备份：请在服务器上用 pg_dump 备份、pg_restore 恢复，"
    "并设置每晚自动备份，见《管理员手册》docs/admin-guide.md。"
)


class BackupError(UserError):
    """A backup or restore that cannot be done; str() is the message for the user."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int
    kind: str  # auto / manual / other

    @property
    def kind_text(self) -> str:
        return {"auto": "每日自动", "manual": "手动"}.get(self.kind, "其他")


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sqlite_file(url: str) -> Path:
    """The file behind a SQLite URL; BackupError (with the pg_dump hint) otherwise."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        raise BackupError(PG_HINT)
    if not u.database or u.database == ":memory:":
        raise BackupError("内存数据库没有文件，无法备份或恢复。")
    return Path(u.database)


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


def copy_database(src: Path, dest: Path) -> Path:
    """A consistent copy of `src` at `dest` (written under a temporary name first)."""
    if not src.exists():
        raise BackupError(f"数据库文件“{src}”不存在，无法备份。")
    if not dest.parent.is_dir():
        raise BackupError(f"备份文件夹“{dest.parent}”不存在，请先建好文件夹。")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(src)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
                # One self-contained file: no -wal/-shm beside a backup.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"备份“{src}”到“{dest}”失败：{exc}") from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"写入备份文件“{dest}”失败（磁盘已满或无写入权限？）：{exc}") from exc
    return dest


def metadata_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def file_chain_head(path: Path) -> tuple[int, str]:
    """The audit chain head stored in a database file (read only)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = con.execute(
            "SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return (int(row[0]), str(row[1])) if row else (0, "0" * 64)


def write_metadata(src: Path, dest: Path) -> tuple[int, str] | None:
    """`dest.json` beside a backup: when, of what, and the audit chain head it holds."""
    try:
        seq, digest = file_chain_head(dest)
    except sqlite3.Error:
        return None  # not one of our databases: a plain copy, nothing to anchor
    doc = {
        "database": str(src),
        "taken_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "audit_chain_head": {"seq": seq, "entry_hash": digest, "anchor": f"{seq}:{digest}"},
    }
    metadata_path(dest).write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    return seq, digest


def backup_now(
    db_path: Path, *, kind: str = "manual", directory: Path | None = None, keep: int = BACKUP_KEEP
) -> Path:
    """Back up into the backups folder; after an automatic one, prune old automatic ones.

    A manual backup is the administrator's; the daily one runs for whoever uses the PC.
    """
    if kind != "auto":
        _require_admin()
    folder = directory or backups_dir()
    folder.mkdir(parents=True, exist_ok=True)  # the program's own backups folder
    stamp = _stamp()
    # Several in one second are numbered on from the highest number of that second,
    # so the names keep their order even after older ones were pruned.
    taken = [_order(b)[1] for b in list_backups(db_path, folder) if f"__{stamp}" in b.path.name]
    n = max(taken, default=0) + 1
    suffix = f"-{n}" if n > 1 else ""
    dest = folder / f"{db_path.stem}__{stamp}{suffix}__{kind}.sqlite"
    copy_database(db_path, dest)
    write_metadata(db_path, dest)
    log.info("backed up %s to %s", db_path, dest)
    if kind == "auto":
        prune(db_path, keep=keep, directory=folder)
    return dest


def list_backups(db_path: Path, directory: Path | None = None) -> list[BackupInfo]:
    """This database's backups, newest first."""
    folder = directory or backups_dir()
    found = []
    for path in folder.glob(f"{db_path.stem}__*.sqlite"):
        try:
            st = path.stat()
        except OSError:
            continue
        parts = path.stem.split("__")
        kind = parts[-1] if len(parts) == 3 and parts[-1] in ("auto", "manual") else "other"
        found.append(BackupInfo(path, datetime.fromtimestamp(st.st_mtime), st.st_size, kind))
    return sorted(found, key=_order, reverse=True)


def _order(b: BackupInfo) -> tuple[datetime, int]:
    # STEM__YYYYMMDD-HHMMSS[-N]__KIND: the name orders backups (several in one second too).
    parts = b.path.stem.split("__")
    stamp = parts[1].split("-") if len(parts) == 3 else []
    try:
        taken = datetime.strptime("-".join(stamp[:2]), "%Y%m%d-%H%M%S")
        return taken, int(stamp[2]) if len(stamp) > 2 else 1
    except ValueError:
        return b.taken_at, 0


def latest_backup(db_path: Path, directory: Path | None = None) -> BackupInfo | None:
    backups = list_backups(db_path, directory)
    return backups[0] if backups else None


def prune(db_path: Path, *, keep: int = BACKUP_KEEP, directory: Path | None = None) -> list[Path]:
    autos = [b for b in list_backups(db_path, directory) if b.kind == "auto"]
    removed = []
    for b in autos[keep:]:
        try:
            metadata_path(b.path).unlink(missing_ok=True)
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:
            log.warning("cannot remove old backup %s: %s", b.path, exc)
    return removed


def backup_due(
    db_path: Path, *, directory: Path | None = None, now: datetime | None = None
) -> bool:
    """True when the file exists and its newest backup is missing or over 24 h old (mtimes only)."""
    if not db_path.exists():
        return False
    newest = latest_backup(db_path, directory)
    return newest is None or (now or datetime.now()) - newest.taken_at > DAILY


def daily_backup_due(url: str) -> Path | None:
    """The SQLite file to back up now (its last backup is over a day old), or None."""
    try:
        path = sqlite_file(url)
    except BackupError:
        return None
    return path if backup_due(path) else None


def run_daily_backup(path: Path) -> None:
    """The automatic daily backup; a failure is logged, never shown (the next start retries)."""
    try:
        backup_now(path, kind="auto")
    except BackupError as exc:
        log.error("daily backup failed: %s", exc)


def start_daily_backup(url: str) -> threading.Thread | None:
    """Headless callers: the daily backup on a thread of its own (the GUI uses its jobs)."""
    path = daily_backup_due(url)
    if path is None:
        return None
    # A daemon thread: the copy goes to a .partial name, so an exit mid-copy
    # leaves no half backup under a real name.
    thread = threading.Thread(
        target=run_daily_backup, args=(path,), name="daily-backup", daemon=True
    )
    thread.start()
    return thread


def _require_admin() -> None:
    from app.domain.auth import Permission
    from app.services.access.auth import require

    require(Permission.MANAGE_SYSTEM)


# --- checking and restoring -----------------------------------------------------------


def integrity_problems(path: Path) -> list[str]:
    """What is wrong with a database file; [] when it is sound and one of ours."""
    if not path.exists():
        return [f"文件“{path}”不存在。"]
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"无法打开“{path}”：{exc}"]
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            return [f"完整性检查未通过：{r}" for r in rows[:10]]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables or "audit_log" not in tables:
            return [f"“{path.name}”不是双随机一公开监管工作台的数据库。"]
    except sqlite3.DatabaseError as exc:
        return [f"“{path.name}”已损坏或不是 SQLite 数据库：{exc}"]
    finally:
        con.close()
    return []


def is_damaged(db_path: Path) -> bool:
    """An existing file that SQLite reports broken (what a failed open is worth a restore for)."""
    return db_path.exists() and bool(integrity_problems(db_path))


_SIDE_FILES = ("-wal", "-shm", "-journal")


def _move_aside(db_path: Path) -> Path | None:
    if not db_path.exists():
        return None
    aside = db_path.with_name(f"{db_path.stem}.before-restore-{_stamp()}{db_path.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.stem}.before-restore-{_stamp()}-{n}{db_path.suffix}")
    os.replace(db_path, aside)
    # The write-ahead log belongs to the file it was written for: it moves along.
    for side in _SIDE_FILES:
        extra = Path(f"{db_path}{side}")
        if extra.exists():
            os.replace(extra, Path(f"{aside}{side}"))
    return aside


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace `db_path` with `backup`; return where the replaced file was kept.

    Every connection to `db_path` must be closed first (dispose the engine).
    Refused, with nothing touched, when the backup fails its integrity check.
    """
    _require_admin()
    problems = integrity_problems(backup)
    if problems:
        raise BackupError(f"备份文件“{backup}”未通过检查，数据库未做任何更改：{problems[0]}")
    if backup.resolve() == db_path.resolve():
        raise BackupError("备份文件就是当前数据库文件，无需恢复。")
    with InUseLock(db_path) as inuse:
        try:
            inuse.acquire_exclusive()
        except LockHeld:
            raise BackupError(
                f"数据库“{db_path}”正被其他程序使用（图形界面，或正在导入、抽取等命令），"
                "不能恢复，数据库未做任何更改。请先关闭所有使用它的程序，再恢复。"
            ) from None
        return _replace(backup, db_path)


def audit_problem(backup: Path) -> str | None:
    """Why the backup's own audit chain is broken or incomplete; None when it is sound."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from app.models.db import Database
    from app.services.access.anchors import unlogged_data
    from app.services.access.audit import check_chain

    url = f"sqlite:///file:{backup.resolve()}?mode=ro&uri=true"
    engine = create_engine(url)
    try:
        snapshot = Database(url, engine, sessionmaker(engine))
        report = check_chain(snapshot)
        if report.broken is not None:
            return str(report.broken)
        problems = unlogged_data(snapshot)
        return problems[0] if problems else None
    except Exception as exc:  # an old or odd file: say so rather than guess
        return f"无法校验备份中的审计日志：{exc}"
    finally:
        engine.dispose()


def _replace(backup: Path, db_path: Path) -> Path | None:
    try:
        aside = _move_aside(db_path)
    except OSError as exc:
        raise BackupError(
            f"无法移开当前数据库“{db_path}”（程序是否仍在使用它？请先关闭程序）：{exc}"
        ) from exc
    try:
        copy_database(backup, db_path)
    except BackupError:
        if aside is not None:  # put the original back
            db_path.unlink(missing_ok=True)
            os.replace(aside, db_path)
            for side in _SIDE_FILES:
                extra = Path(f"{aside}{side}")
                if extra.exists():
                    os.replace(extra, Path(f"{db_path}{side}"))
        raise
    log.info("restored %s from %s (previous file kept as %s)", db_path, backup, aside)
    return aside


def record_restore(db_path: Path, backup: Path, aside: Path | None) -> None:
    """Note the restore in the restored database's audit log (after it was opened)."""
    from app.models.db import open_database
    from app.services.access import audit

    db = open_database(f"sqlite:///{db_path}")
    try:
        with db.session() as s:
            audit.record(
                s,
                "restore",
                "database",
                None,
                None,
                {"backup": backup.name, "replaced_file_kept_as": aside.name if aside else None},
            )
    finally:
        db.dispose()
