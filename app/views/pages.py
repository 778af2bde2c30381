"""The left navigation: one entry per page, built lazily on first visit.

A page's factory is named as "module:callable" so that start-up imports only
what the first page needs. Pages not built yet show a plain placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    # "package.module:factory" taking (AppContext, parent) → QWidget; None = not built yet.
    factory: str | None
    # What the page will be for, shown on the placeholder.
    purpose: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "首页", "app.views.home:HomePage", "工作概览与待办。"),
    PageSpec(
        "items",
        "事项清单",
        "app.views.registry.items_page:ItemsPage",
        "抽查事项清单与抽查细则：事项、检查方式、法律依据、检查要点，Excel 导入导出，公示版 PDF。",
    ),
    PageSpec(
        "targets",
        "检查对象库",
        "app.views.registry.targets_page:TargetsPage",
        "检查对象名录库：市场主体的查询、筛选、编辑与 Excel 导入导出。",
    ),
    PageSpec(
        "inspectors",
        "执法人员库",
        "app.views.registry.inspectors_page:InspectorsPage",
        "执法检查人员名录库：人员、执法证、执法资质与回避关系。",
    ),
    PageSpec(
        "plans",
        "抽查计划",
        "app.views.plans.page:PlansPage",
        "年度抽查计划与抽查任务：制定、备案、调整与公开。",
    ),
    PageSpec(
        "draw",
        "随机抽取",
        "app.views.draw.console:DrawPage",
        "现场随机抽取：见证人输入、投屏展示、抽取记录与核验包。",
    ),
    PageSpec(
        "results",
        "检查与结果",
        "app.views.results.page:ResultsPage",
        "检查通知书、检查记录表、结果录入与审核、后续处置。",
    ),
    PageSpec(
        "publication",
        "公示",
        "app.views.publication.page:PublicationPage",
        "抽查计划与抽查结果的公示文件、后续处置、个案与专项检查。",
    ),
    PageSpec(
        "stats",
        "统计分析",
        "app.views.dashboard.page:StatsPage",
        "抽查统计、图表与信用风险分类反馈。",
    ),
    PageSpec(
        "settings",
        "系统设置",
        "app.views.settings.page:SettingsPage",
        "数据库连接、用户与权限、备份与审计日志。",
    ),
)
