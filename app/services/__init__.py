"""Use cases, one package each; views and commands call these, never the models directly.

common, access, registry, plans, draws, system, demo, publication (inspections
and stats join as they are built). See docs/architecture.md for the map.
"""
