"""The dashboard as an xlsx of its tables or a PDF report with its charts (same numbers)."""

from __future__ import annotations

from pathlib import Path

from app.excel.stats_writer import Sheet, write_sheets
from app.models.db import Database
from app.reports.stats_report import (
    BarChartData,
    LineChartData,
    StackChartData,
    StatsReport,
    TableData,
    write_stats_report,
)
from app.services.stats import charts
from app.services.stats.dashboard import Dashboard
from app.services.stats.figures import Row
from app.services.system.bureau import load_bureau

ROW_HEADERS = [
    "检查户次",
    "结果已录入",
    "发现问题",
    "问题发现率",
    "95%置信下限",
    "95%置信上限",
    "按时录入",
    "逾期录入",
    "逾期未录入",
]
DASH = "—"


def _row_values(r: Row) -> list[object]:
    iv = r.interval
    return [
        r.label,
        r.inspections,
        r.inspected,
        r.with_problems,
        r.problem_rate if r.inspected else DASH,
        iv.low if iv else DASH,
        iv.high if iv else DASH,
        r.on_time,
        r.late,
        r.overdue,
    ]


def headline_rows(d: Dashboard) -> list[tuple[str, object]]:
    t, tot, pub = d.tasks, d.total, d.publication
    return [
        ("统计期间", d.period.label),
        ("计划任务", t.planned),
        ("已抽取任务", t.drawn),
        ("已完成任务", t.done),
        ("抽中检查对象（户）", t.targets_drawn),
        ("双随机检查（户次）", tot.inspections),
        ("结果已全部录入（户次）", tot.inspected),
        ("发现问题（户次）", tot.with_problems),
        ("问题发现率", tot.problem_rate),
        ("结果按时录入", tot.on_time),
        ("结果逾期录入", tot.late),
        ("结果逾期未录入", tot.overdue),
        ("公示按时", pub.on_time),
        ("公示逾期", pub.late),
        ("逾期未公示", pub.overdue),
        ("名录库在营户数", d.coverage.registry),
        ("被检查户数", d.coverage.inspected_targets),
        ("覆盖率", d.coverage.coverage),
        ("多次被检查的企业（户）", d.multi_visited),
        ("个案检查（户次）", d.other["case"]["inspections"]),
        ("专项检查（户次）", d.other["special"]["inspections"]),
    ]


def sheets(d: Dashboard) -> list[Sheet]:
    out = [Sheet("总体情况", ["项目", "数值"], headline_rows(d))]
    for name, first, rows in (
        ("按风险分类", "风险分类", d.by_risk),
        ("按部门", "部门", d.by_department),
        ("按区划", "区划", d.by_division),
        ("按事项", "抽查事项", d.by_item),
    ):
        out.append(Sheet(name, [first, *ROW_HEADERS], [_row_values(r) for r in rows]))
    out.append(
        Sheet(
            "抽查任务",
            ["部门", "计划任务", "已抽取", "已完成", "抽中对象"],
            [[r.label, r.planned, r.drawn, r.done, r.targets_drawn] for r in d.tasks_by_department],
        )
    )
    cov = [d.coverage, *d.coverage_by_risk, *d.coverage_by_division]
    out.append(
        Sheet(
            "覆盖率",
            ["范围", "名录库在营户数", "被检查户数", "覆盖率"],
            [[r.label, r.registry, r.inspected_targets, r.coverage] for r in cov],
        )
    )
    codes = sorted({c for per in d.item_categories.values() for c in per})
    out.append(
        Sheet(
            "结果类型",
            ["抽查事项", *(d.category_names.get(c, c) for c in codes)],
            [
                [r.label, *(d.item_categories.get(r.key, {}).get(c, 0) for c in codes)]
                for r in d.by_item
            ],
        )
    )
    out.append(
        Sheet(
            "每月检查",
            ["月份", "完成检查", "公示结果"],
            [[m, n, p] for m, n, p in d.monthly],
        )
    )
    out.append(
        Sheet(
            "多头检查",
            ["被检查部门数", "企业数"],
            [[f"{n} 个部门", c] for n, c in d.multi_by_departments.items()],
        )
    )
    out.append(
        Sheet("人员工作量", ["检查人员", "检查户次"], [[lbl, n] for _k, lbl, n in d.workload])
    )
    return out


def _pct(x: object) -> str:
    return f"{x * 100:.1f}%" if isinstance(x, float) else str(x)


def report(db: Database, d: Dashboard) -> StatsReport:
    bureau = load_bureau(db)
    tot, pub = d.total, d.publication
    iv = tot.interval
    summary = [
        f"{d.period.label}计划抽查任务 {d.tasks.planned} 项，已抽取 {d.tasks.drawn} 项，"
        f"已完成 {d.tasks.done} 项，抽中检查对象 {d.tasks.targets_drawn:,} 户。",
        f"开展双随机抽查 {tot.inspections:,} 户次，结果已全部录入 {tot.inspected:,} 户次，"
        f"其中发现问题 {tot.with_problems:,} 户次，问题发现率 {_pct(tot.problem_rate)}"
        + (f"（95%置信区间 {iv.text()}）" if iv else "")
        + "。",
        f"检查结果按时录入 {tot.on_time:,} 户次，逾期录入 {tot.late:,} 户次，"
        f"逾期未录入 {tot.overdue:,} 户次；结果公示"
        + f"按时 {pub.on_time:,}、逾期 {pub.late:,}、逾期未公示 {pub.overdue:,} 户次。",
        f"名录库在营市场主体 {d.coverage.registry:,} 户，被抽查 {d.coverage.inspected_targets:,}"
        f" 户，覆盖率 {_pct(d.coverage.coverage)}；"
        f"同一企业被检查两次及以上 {d.multi_visited:,} 户。",
        f"另开展个案检查 {d.other['case']['inspections']:,} 户次、专项检查 "
        f"{d.other['special']['inspections']:,} 户次，未计入以上双随机抽查数据。",
    ]
    bars = charts.problem_rate_bars(d)
    stack = charts.category_stack(d)
    lines = charts.monthly_lines(d)
    work = charts.workload_histogram(d)
    tables = [
        TableData(
            f"表{i}　{title}",
            [first, "检查户次", "已录入", "发现问题", "问题发现率", "95%置信区间"],
            [
                [
                    r.label,
                    str(r.inspections),
                    str(r.inspected),
                    str(r.with_problems),
                    _pct(r.problem_rate) if r.inspected else DASH,
                    r.interval.text() if r.interval else DASH,
                ]
                for r in rows
            ],
        )
        for i, (title, first, rows) in enumerate(
            (
                ("按风险分类", "风险分类", d.by_risk),
                ("按部门", "部门", d.by_department),
                ("按区划", "区划", d.by_division),
                ("按事项", "抽查事项", d.by_item),
            ),
            start=1,
        )
    ]
    return StatsReport(
        issuer=bureau.full_name,
        title=f"{d.period.label}双随机抽查统计分析报告"
        if d.period.label.endswith("年")
        else f"双随机抽查统计分析报告（{d.period.label}）",
        period_label=d.period.label,
        summary=summary,
        charts=[
            BarChartData(bars.title, bars.labels, bars.values, percent=True),
            StackChartData(stack.title, stack.labels, stack.series),
            LineChartData(lines.title, lines.labels, lines.series),
            BarChartData(work.title, work.labels, work.values),
        ],
        tables=tables,
        issued_on=d.today,
        notes=[
            "口径：仅统计双随机抽查；“结果已录入”指该次检查全部事项均已录入结果；"
            "问题发现率 = 发现问题户次 / 结果已录入户次，置信区间按 Wilson 法计算。"
        ],
    )


def write_export(db: Database, d: Dashboard, path: Path) -> None:
    """xlsx: every table; pdf: the report with the charts."""
    if path.suffix.lower() == ".pdf":
        write_stats_report(report(db, d), path)
    else:
        write_sheets(path, sheets(d))
