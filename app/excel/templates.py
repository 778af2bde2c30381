"""The import/export templates of the registries: one column list per kind.

A template is the contract between a clerk's spreadsheet and the database:
export writes exactly `headers`, import recognises them (and their aliases)
in any order, anywhere in the first rows of the first matching sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# The required marker written after a required column's header.
REQUIRED_MARK = "*"


def header_key(text: object) -> str:
    """What header matching compares: no spaces, half-width brackets, no '*'."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = re.sub(r"\s+", "", s)
    s = s.strip("*")
    s = re.sub(r"\((必填|选填)\)$", "", s)
    return s


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its Chinese header, the field it fills, how to fill it in."""

    header: str
    field: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    comment: str = ""
    # False: recognised on import but never written (an alternative layout).
    in_template: bool = True

    @property
    def template_header(self) -> str:
        return self.header + REQUIRED_MARK if self.required else self.header

    def header_keys(self) -> set[str]:
        return {header_key(h) for h in (self.header, *self.aliases)}


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    columns: tuple[ColumnSpec, ...]
    sheet_name: str = ""
    # The fields a header row must have to be recognised; () means the required ones.
    # Published layouts lack some of our required columns (事项编码) and are filled in.
    detect: tuple[str, ...] = ()
    _index: dict[str, ColumnSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            for key in col.header_keys():
                assert key not in self._index, f"{self.kind}: header {key} used twice"
                self._index[key] = col

    @property
    def template_columns(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.in_template)

    @property
    def headers(self) -> list[str]:
        """The header row export and the empty template write."""
        return [c.template_header for c in self.template_columns]

    @property
    def required(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def detected(self) -> tuple[ColumnSpec, ...]:
        """The columns whose headers identify this kind's table."""
        if not self.detect:
            return self.required
        return tuple(self.column(f) for f in self.detect)

    def match(self, header: object) -> ColumnSpec | None:
        return self._index.get(header_key(header))

    def column(self, field_name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.field == field_name)


DATE_HELP = "日期，如 2019-03-01、2019/3/1、2019年3月1日，或 Excel 日期单元格。"
LIST_HELP = "多个时用顿号“、”、逗号或分号分隔。"

TARGETS = Template(
    kind="targets",
    title="检查对象名录库",
    sheet_name="检查对象名录",
    columns=(
        ColumnSpec(
            "统一社会信用代码",
            "uscc",
            required=True,
            aliases=("社会信用代码", "信用代码", "统一代码"),
            comment="必填。18 位统一社会信用代码；小写、空格和全角字符会自动规范。"
            "同一文件中重复的代码只导入首次出现的一行。",
        ),
        ColumnSpec(
            "名称",
            "name",
            required=True,
            aliases=("企业名称", "主体名称", "市场主体名称", "单位名称", "检查对象名称"),
            comment="必填。市场主体名称，最多 200 字。",
        ),
        ColumnSpec(
            "法定代表人（负责人）",
            "legal_rep",
            aliases=("法定代表人", "负责人", "经营者", "法人代表"),
            comment="选填。",
        ),
        ColumnSpec(
            "住所（经营场所）",
            "address",
            aliases=("住所", "经营场所", "地址", "注册地址", "经营地址"),
            comment="选填。",
        ),
        ColumnSpec(
            "行政区划代码",
            "division_code",
            aliases=("所属区划", "区划代码", "行政区划"),
            comment="6 位行政区划代码，如 371502。为空或整列缺失时取统一社会信用代码第 3–8 位。",
        ),
        ColumnSpec(
            "市场主体类型",
            "entity_type",
            aliases=("企业类型", "主体类型"),
            comment="企业、个体工商户或农民专业合作社；“有限责任公司”等具体类型归入企业。",
        ),
        ColumnSpec(
            "行业",
            "industry",
            aliases=("所属行业", "国民经济行业", "国民经济行业分类", "行业分类"),
            comment="国民经济行业分类（GB/T 4754）代码和名称，如“C1391 谷物磨制”；"
            "也可只填代码或只填名称。",
        ),
        ColumnSpec(
            "行业代码",
            "industry_code",
            aliases=("行业门类代码",),
            in_template=False,
        ),
        ColumnSpec("行业名称", "industry_name", in_template=False),
        ColumnSpec(
            "登记状态",
            "reg_status",
            aliases=("经营状态", "状态", "企业状态"),
            comment="存续、在业、开业、迁出、停业、吊销或注销；为空按存续。"
            "只有存续、在业、开业的主体参与随机抽取。",
        ),
        ColumnSpec(
            "信用风险分类",
            "risk_class",
            aliases=("风险等级", "信用风险等级", "风险分类"),
            comment="A、B、C、D 或 低风险、一般风险、较高风险、高风险；为空表示未分类。"
            "无法识别的分类会使该行不予导入。",
        ),
        ColumnSpec(
            "成立日期",
            "founded_on",
            aliases=("登记日期", "注册日期", "成立时间"),
            comment="选填。" + DATE_HELP,
        ),
        ColumnSpec(
            "联系电话",
            "phone",
            aliases=("电话", "联系方式", "手机号码"),
            comment="选填。可写成文本或数字。",
        ),
        ColumnSpec(
            "监管标签",
            "tags",
            aliases=("标签", "重点监管名单", "特殊监管名单"),
            comment="选填。特殊监管名单，如“食品生产、特种设备使用单位”。" + LIST_HELP,
        ),
    ),
)

INSPECTORS = Template(
    kind="inspectors",
    title="执法检查人员名录库",
    sheet_name="执法检查人员名录",
    columns=(
        ColumnSpec(
            "姓名",
            "name",
            required=True,
            aliases=("人员姓名", "执法人员", "检查人员", "执法人员姓名"),
            comment="必填。",
        ),
        ColumnSpec(
            "所属部门",
            "department",
            required=True,
            aliases=("部门", "所在部门", "执法部门", "单位"),
            comment="必填。联席会议成员单位的名称或代码，须已在部门列表中。",
        ),
        ColumnSpec(
            "执法证号",
            "badge_no",
            required=True,
            aliases=("执法证件号", "执法证编号", "执法证件号码", "证件号码"),
            comment="必填，唯一。已有的执法证号会更新该人员的信息。",
        ),
        ColumnSpec(
            "执法证有效期至",
            "badge_expires_on",
            aliases=("有效期至", "证件有效期", "执法证有效期", "有效期"),
            comment="执法证到期日。" + DATE_HELP + "只有在岗且执法证未过期的人员参与随机抽取。",
        ),
        ColumnSpec(
            "执法资质",
            "qualifications",
            aliases=("资质", "可检查事项", "执法资质事项"),
            comment="可检查的抽查事项编码。" + LIST_HELP,
        ),
        ColumnSpec(
            "业务专长",
            "expertise",
            aliases=("专长", "特长"),
            comment="选填。" + LIST_HELP,
        ),
        ColumnSpec(
            "所属区划",
            "district_code",
            aliases=("行政区划代码", "区划代码"),
            comment="6 位行政区划代码，如 371502；用于异地交叉检查。",
        ),
        ColumnSpec(
            "状态",
            "status",
            aliases=("人员状态", "在岗状态"),
            comment="在岗、借调、离岗或退休；为空按在岗。无法识别的状态按离岗导入。",
        ),
        ColumnSpec(
            "联系电话",
            "phone",
            aliases=("电话", "手机号码", "联系方式"),
            comment="选填。",
        ),
    ),
)

ITEMS = Template(
    kind="items",
    title="抽查事项清单",
    sheet_name="抽查事项清单",
    columns=(
        ColumnSpec(
            "事项编码",
            "code",
            required=True,
            aliases=("编码", "事项代码", "抽查事项编码"),
            comment="必填，唯一。已有的编码会更新该事项。",
        ),
        ColumnSpec(
            "事项名称",
            "name",
            required=True,
            aliases=("抽查事项", "抽查事项名称", "名称"),
            comment="必填。",
        ),
        ColumnSpec(
            "实施部门",
            "department",
            required=True,
            aliases=(
                "部门",
                "所属部门",
                "责任部门",
                "抽查部门",
                "检查主体",
                "实施主体",
                "发起部门",
                "牵头部门",
                "实施机关",
            ),
            comment="必填。联席会议成员单位的名称或代码，须已在部门列表中。",
        ),
        ColumnSpec(
            "事项类别",
            "category",
            required=True,
            aliases=("类别", "事项类型", "检查事项类别"),
            comment="必填。重点检查事项或一般检查事项（可简写为“重点”“一般”）。",
        ),
        ColumnSpec(
            "抽查比例上限",
            "ratio_cap",
            aliases=("比例上限", "抽查比例"),
            comment="一般检查事项的抽查比例上限，百分数，最多两位小数，如 5、5%、5.00%；"
            "重点检查事项不填。",
        ),
        ColumnSpec(
            "检查依据",
            "legal_basis",
            aliases=("依据", "法律依据", "抽查依据"),
            comment="选填。",
        ),
        ColumnSpec(
            "检查方式",
            "methods",
            aliases=("抽查方式",),
            comment="实地核查、书面检查、网络监测、检验检测、委托专业机构。" + LIST_HELP,
        ),
        ColumnSpec(
            "检查对象",
            "target_type",
            aliases=("抽查对象", "对象类型"),
            comment="选填。如“食品生产企业”。",
        ),
        ColumnSpec(
            "可联合抽查",
            "joint_allowed",
            aliases=("是否可联合抽查", "是否联合", "联合抽查"),
            comment="是或否；为空按是。",
        ),
        ColumnSpec(
            "检查程序",
            "procedure",
            aliases=("抽查细则", "细则", "检查流程"),
            comment="选填。抽查细则中的检查程序。",
        ),
        ColumnSpec(
            "检查要点",
            "checkpoints",
            aliases=("要点", "检查内容"),
            comment="每个要点一行，写成“要点｜依据”（依据可省略）；"
            "可在行首编号“1.”，编号后的续行并入上一要点。",
        ),
        # Columns of the lists bureaus publish (national/provincial and joint lists).
        ColumnSpec("序号", "seq", aliases=("编号",), in_template=False),
        ColumnSpec(
            "抽查领域", "domain", aliases=("抽查类别", "领域", "监管领域"), in_template=False
        ),
        ColumnSpec(
            "配合部门",
            "partners",
            aliases=("配合单位", "协助部门", "参与部门", "联合部门"),
            in_template=False,
        ),
        ColumnSpec("抽查层级", "level", aliases=("层级", "实施层级"), in_template=False),
    ),
    detect=("name", "department"),
)

RECUSALS = Template(
    kind="recusals",
    title="回避",
    sheet_name="回避",
    columns=(
        ColumnSpec(
            "执法证号",
            "badge_no",
            required=True,
            aliases=("执法证件号", "执法证编号"),
            comment="必填。须是执法检查人员名录中的执法证号。",
        ),
        ColumnSpec(
            "统一社会信用代码",
            "uscc",
            required=True,
            aliases=("社会信用代码", "信用代码", "统一代码"),
            comment="必填。须是检查对象名录中的主体。",
        ),
        ColumnSpec(
            "回避事由",
            "reason",
            required=True,
            aliases=("事由", "回避原因", "原因"),
            comment="必填。如“近亲属任职”。",
        ),
        ColumnSpec(
            "登记日期",
            "recorded_on",
            aliases=("日期", "回避日期", "记录日期"),
            comment="为空时取导入当天。" + DATE_HELP,
        ),
    ),
)

TEMPLATES: dict[str, Template] = {t.kind: t for t in (TARGETS, INSPECTORS, ITEMS, RECUSALS)}
KINDS: tuple[str, ...] = tuple(TEMPLATES)
