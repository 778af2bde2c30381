"""Demo data for 聊城市 and its generators: item list, departments, inspectors, targets, plans.

Only the demo command and tests use it; the domain rules it relies on stay in app.domain.
"""
