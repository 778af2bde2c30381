"""统计分析 page: the dashboard, its charts and tables, drill-down, exports, risk feedback."""
