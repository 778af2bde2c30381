"""检查与结果: inspections created from a draw, team changes, result entry and review, imports.

Also the 20-working-day clock (holiday table), the home page's to-do, and notices/checklists glue.
"""
