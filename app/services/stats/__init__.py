"""统计分析: the year's figures a bureau head reads, their drill-down, exports and feedback.

- `frames`: the few SQL queries (one row per inspection, per result, per team
  place, per task) every figure is computed from, as numpy arrays;
- `dashboard`: the figures per department / division / item / risk class,
  the headline JSON of `dualrandom stats`, and the ids behind any number;
- `drill`: the list of inspections behind a number;
- `publication`: publication timeliness (公示), absent until the publication
  tables exist — the figures show “—”;
- `risk_feedback`: risk-class change suggestions a planner accepts or rejects;
- `duty`: the 尽职照单免责 record per inspector and department;
- `export`: the xlsx tables and the PDF report.
"""
