"""年度抽查计划: plans and tasks, filing, publishing, adjustments with history, plan exports.

What a task would draw from, computed live, is in plans.pool; drawing it is in draws.
"""
