"""A task's pool: live preview, in-memory histogram, task scope as SQL, inspector pool.

No writes: the pool is read to preview and to build a draw's manifest.
"""
