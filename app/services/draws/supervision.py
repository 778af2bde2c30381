"""Who may confirm a second draw of a task (重新抽取须经监督人员确认).

Where the database has user accounts, the supervisor signs in on the
operator's PC with their own password: a name typed by the operator alone
would let one person redraw quietly. The supervisor must be another person
than the signed-in operator and hold plan management or publication rights
(计划管理员, 审核/公示 or 系统管理员) in one of the task's departments.
A single-PC install without accounts records the typed name instead.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.auth import Permission
from app.models.db import Database
from app.models.users import User
from app.services.access.auth import PermissionDenied, current_principal, in_scope, login
from app.services.draws.attempts import DrawError
from app.services.plans.queries import load_task
from app.services.plans.scope import task_department_ids

# Rights that make someone a supervisor of the draw, besides running it.
SUPERVISOR_PERMISSIONS = (Permission.MANAGE_PLANS, Permission.PUBLISH)


def supervisor_sign_in_required(db: Database) -> bool:
    """True when accounts exist: the supervisor must then sign in."""
    with db.session() as s:
        return bool(s.scalar(select(func.count()).select_from(User).where(User.active.is_(True))))


def confirm_supervisor(db: Database, task_code: str, username: str, password: str) -> str:
    """Check the supervisor's password and rights; return the name for the record.

    Wrong passwords count towards the account's lock-out like any login.
    Raises LoginError or PermissionDenied with a Chinese message.
    """
    operator = current_principal()
    supervisor = login(db, username, password)
    if operator.user_id is not None and supervisor.user_id == operator.user_id:
        raise PermissionDenied("监督人员不能是抽取操作员本人，请由另一位有权限的人员确认。")
    if not any(supervisor.may(p) for p in SUPERVISOR_PERMISSIONS):
        raise PermissionDenied(
            f"“{supervisor.label}”不是计划管理员、审核/公示人员或系统管理员，不能确认重新抽取。"
        )
    with db.session() as s:
        departments = task_department_ids(load_task(s, task_code, DrawError))
    if departments and not in_scope(departments, supervisor):
        raise PermissionDenied(
            f"“{supervisor.label}”不属于任务“{task_code}”的牵头或参与部门，不能确认重新抽取。"
        )
    return f"{supervisor.display_name or supervisor.username}（{supervisor.username}）"
