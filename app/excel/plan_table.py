"""The columns of a published annual plan table (年度抽查计划), read by the plan import.

Never written: a plan is exported by app.excel.plan_writer in its own layout.
"""

from __future__ import annotations

from app.excel.templates import ColumnSpec, Template

# A published annual plan table (年度抽查计划), read by the plan import; never written.
PLAN_TABLE = Template(
    kind="plan",
    title="年度抽查计划表",
    columns=(
        ColumnSpec("序号", "seq", in_template=False),
        ColumnSpec(
            "检查主体",
            "department",
            required=True,
            aliases=("实施部门", "检查部门", "责任部门", "实施主体", "发起部门", "牵头部门"),
        ),
        ColumnSpec(
            "年度计划名称",
            "title",
            aliases=("计划名称", "任务名称", "抽查任务", "抽查任务名称", "年度抽查计划名称"),
        ),
        ColumnSpec(
            "检查内容",
            "content",
            aliases=("抽查事项", "检查事项", "抽查内容", "抽查事项名称", "事项名称"),
        ),
        ColumnSpec(
            "计划开展时间",
            "period",
            aliases=("开展时间", "计划时间", "实施时间", "抽查时间", "检查时间", "时间安排"),
        ),
        ColumnSpec("股室", "office", aliases=("承办股室", "责任股室", "科室", "承办科室")),
        ColumnSpec("抽查比例", "ratio", aliases=("比例",)),
        ColumnSpec("抽查频次", "frequency", aliases=("频次", "检查频次")),
        ColumnSpec("抽查数量", "count", aliases=("数量", "抽查户数", "抽取数量")),
        ColumnSpec("检查对象", "target_type", aliases=("抽查对象",)),
    ),
)
