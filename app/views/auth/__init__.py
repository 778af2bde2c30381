"""Login at start: who uses the program, decided before the main window opens."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from app.models.db import Database
from app.services.access import auth
from app.services.access.auth import Principal, StartMode
from app.views.auth.dialogs import ChangePasswordDialog, CreateAdminDialog, LoginDialog

__all__ = ["ChangePasswordDialog", "CreateAdminDialog", "LoginDialog", "sign_in_at_start"]


def sign_in_at_start(db: Database, parent: QWidget | None = None) -> Principal | None:
    """Log in (or create the first administrator, or pass on a single-PC install).

    The principal is signed in for the whole process; None when the user quit.
    """
    mode = auth.start_mode(db)
    where = db.describe()
    if mode is StartMode.ANONYMOUS:
        principal: Principal | None = auth.anonymous_principal()
    elif mode is StartMode.CREATE_ADMIN:
        create = CreateAdminDialog(
            lambda u, d, p: auth.create_first_admin(db, u, d, p), where, parent
        )
        principal = create.principal if create.exec() == QDialog.DialogCode.Accepted else None
    else:
        login = LoginDialog(lambda u, p: auth.login(db, u, p), where, parent)
        principal = login.principal if login.exec() == QDialog.DialogCode.Accepted else None
    if principal is None:
        return None
    auth.sign_in(principal)
    if principal.must_change_password:
        change = ChangePasswordDialog(
            lambda old, new: auth.change_password(db, old, new), parent, required=True
        )
        if change.exec() != QDialog.DialogCode.Accepted:
            auth.sign_in(None)
            return None
    return principal
