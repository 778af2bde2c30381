"""What every use case shares: the user-error family, Cancelled, optimistic locking.

No use case of its own lives here, and nothing here imports another services package.
"""
