"""一单两库: the item list, the target and inspector registries, their forms, queries and exports.

Spreadsheet imports live in registry.imports (one engine, one module per kind).
"""
