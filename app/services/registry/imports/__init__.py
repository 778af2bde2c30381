"""Registry imports: one engine reads a workbook in one transaction; one module per kind.

Writing workbooks (templates, exports) is in app.excel and registry.export, not here.
"""
