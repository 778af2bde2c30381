"""The demo item list: member departments, inspection items with guides, joint groups.

Pure data. The items are written as a small text document, department by
department (app.services.demo.item_list), because that is how an item list is
read and checked; the parser here turns it into `ItemDef` records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.registry import InspectionMethod, ItemCategory
from app.services.demo.item_list import ITEM_LIST_TEXT

# 联席会议成员单位 in the order of the joint-meeting list, with short codes
# (pinyin initials; 税务局 takes SWUJ because 商务 already has SWJ).
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("FGW", "发展改革委"),
    ("JTJ", "教育体育局"),
    ("GAJ", "公安局"),
    ("RSJ", "人力资源社会保障局"),
    ("SHJ", "生态环境局"),
    ("ZJJ", "住房城乡建设局"),
    ("JTYSJ", "交通运输局"),
    ("NYNCJ", "农业农村局"),
    ("SWJ", "商务投资促进局"),
    ("WLJ", "文化和旅游局"),
    ("WJW", "卫生健康委"),
    ("YJJ", "应急局"),
    ("SCJGJ", "市场监管局"),
    ("TJJ", "统计局"),
    ("CGJ", "城管局"),
    ("HG", "海关"),
    ("SWUJ", "税务局"),
)


@dataclass(frozen=True)
class ItemDef:
    code: str
    department: str  # Department code
    name: str
    category: ItemCategory
    ratio_cap_bp: int | None
    legal_basis: str
    methods: tuple[str, ...]
    target_type: str
    joint_allowed: bool
    # (检查要点, 依据)
    checkpoints: tuple[tuple[str, str], ...]

    @property
    def procedure(self) -> str:
        """抽查细则 procedure: the common steps with this item's specifics."""
        ratio = (
            "按检查对象信用风险分类确定抽查比例，不设比例上限"
            if self.category is ItemCategory.KEY or self.ratio_cap_bp is None
            else f"抽查比例不超过{self.ratio_cap_bp / 100:g}%，按信用风险分类差异化确定"
        )
        return (
            f"一、从检查对象名录库中按“{self.target_type}”范围随机抽取检查对象，{ratio}。\n"
            "二、随机选派两名以上持有效执法证件的执法检查人员组成检查组，存在回避情形的予以回避。\n"
            f"三、检查方式：{'、'.join(self.methods)}；检查前出示执法证件，说明检查依据和内容。\n"
            "四、按检查要点逐项核查，如实填写检查记录表，由检查对象负责人签字确认；"
            "拒绝签字的，由执法人员注明情况。\n"
            "五、自抽查结束之日起20个工作日内，通过国家企业信用信息公示系统（山东）公示抽查结果；"
            "发现问题的，依法责令改正或移送处理。"
        )


# 联合抽查事项: items of three departments that one visit can cover.
JOINT_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "LH-001",
        "食品生产企业联合检查",
        (
            ("SCJGJ", "食品生产企业监督检查"),
            ("YJJ", "工贸企业安全生产检查"),
            ("SHJ", "排污许可执行情况检查"),
        ),
    ),
    (
        "LH-002",
        "住宿场所联合检查",
        (
            ("GAJ", "旅馆业治安管理检查"),
            ("WJW", "公共场所卫生检查"),
            ("SCJGJ", "特种设备使用单位监督检查"),
        ),
    ),
    (
        "LH-003",
        "危险化学品企业联合检查",
        (
            ("YJJ", "安全生产许可条件检查"),
            ("GAJ", "易制爆危险化学品从业单位治安检查"),
            ("SHJ", "危险废物规范化环境管理检查"),
        ),
    ),
)


# 业务专长 an inspector of each department may list.
EXPERTISE: dict[str, tuple[str, ...]] = {
    "FGW": ("节能审查", "招标投标", "投资项目管理"),
    "JTJ": ("民办教育", "校外培训", "体育经营"),
    "GAJ": ("治安管理", "危爆物品管理", "特种行业管理"),
    "RSJ": ("劳动保障监察", "社会保险", "人力资源市场"),
    "SHJ": ("排污许可", "固体废物", "大气污染防治", "环评管理"),
    "ZJJ": ("建筑施工安全", "房地产市场", "燃气安全"),
    "JTYSJ": ("道路运输", "机动车维修", "交通安全"),
    "NYNCJ": ("农资监管", "兽药饲料", "种子管理", "农产品质量安全"),
    "SWJ": ("商贸流通", "预付卡管理", "再生资源回收"),
    "WLJ": ("文化市场", "旅游市场", "网络文化"),
    "WJW": ("公共卫生", "医疗监督", "职业卫生", "饮用水卫生"),
    "YJJ": ("危险化学品", "工贸安全", "应急救援", "安全培训"),
    "SCJGJ": (
        "食品安全", "特种设备", "计量", "广告监管", "价格监管", "网络交易", "药品监管",
        "信用监管", "产品质量", "知识产权",
    ),
    "TJJ": ("统计执法", "统计调查"),
    "CGJ": ("市容管理", "建筑垃圾", "户外广告"),
    "HG": ("海关稽查", "进出口食品", "商品检验"),
    "SWUJ": ("税收征管", "发票管理", "纳税评估"),
}  # fmt: skip


class ItemListError(ValueError):
    """A line of the item list the parser does not understand (a bug in this file)."""


def _category(cell: str) -> tuple[ItemCategory, int | None]:
    words = cell.split()
    if words == ["重点"]:
        return ItemCategory.KEY, None
    if len(words) == 2 and words[0] == "一般" and words[1].endswith("%"):
        return ItemCategory.GENERAL, round(float(words[1][:-1]) * 100)
    raise ItemListError(f"无法识别的事项类别“{cell}”")


def parse_item_list(text: str) -> tuple[ItemDef, ...]:
    """Turn the item-list document above into records with codes like SCJGJ-003."""
    methods = {m.value for m in InspectionMethod}
    items: list[dict[str, Any]] = []
    dept = ""
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            dept = line.split()[1]
        elif line.startswith("* "):
            name, cat, how, target, joint = (c.strip() for c in line[2:].split("|"))
            category, cap = _category(cat)
            if not set(how.split()) <= methods:
                raise ItemListError(f"事项“{name}”的检查方式“{how}”不在检查方式列表中")
            seq = sum(1 for i in items if i["department"] == dept) + 1
            items.append(
                {
                    "code": f"{dept}-{seq:03d}",
                    "department": dept,
                    "name": name,
                    "category": category,
                    "ratio_cap_bp": cap,
                    "legal_basis": "",
                    "methods": tuple(how.split()),
                    "target_type": target,
                    "joint_allowed": joint == "可联合",
                    "checkpoints": [],
                }
            )
        elif line.startswith("依据 "):
            items[-1]["legal_basis"] = line.removeprefix("依据 ")
        elif line.startswith("- "):
            point, _, basis = line[2:].partition(" @ ")
            items[-1]["checkpoints"].append((point.strip(), basis.strip()))
        else:
            raise ItemListError(f"无法识别的行：{line}")
    return tuple(ItemDef(**{**i, "checkpoints": tuple(i["checkpoints"])}) for i in items)


ITEMS: tuple[ItemDef, ...] = parse_item_list(ITEM_LIST_TEXT)
