"""公示: the documents made public (item list; plans and results as they are built).

The PDF and xlsx layouts are in app.reports and app.excel; this package gathers their data.
"""
