"""系统设置 page: database, users and roles, backups, audit log."""
