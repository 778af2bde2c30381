"""The installation itself: backups and restore, connection checks, the home page's overview.

No domain rules.
"""
