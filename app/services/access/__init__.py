"""Who is acting and what they may do: sign-in, users and roles, the hash-chained audit log.

Permission checks for a use case are called from that use case's package, not kept here.
"""
