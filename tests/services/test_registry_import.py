"""检查对象名录库 import from real xlsx files: layout, aliases, rules, counts, transaction."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.models import Target
from app.models.db import Database
from app.services.registry.imports.engine import ImportCancelled, WorkbookError, import_registry
from tests.registry_data import target_code
from tests.xlsx_files import read_sheets, target_rows, write_xlsx


def _targets(db: Database) -> dict[str, Target]:
    with db.session() as s:
        return {t.uscc: t for t in s.scalars(select(Target))}


def _snapshot(db: Database) -> list[tuple]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(Target.__table__).order_by(Target.id))]


def test_title_rows_merged_cells_aliases_and_messy_codes(db: Database, tmp_path: Path) -> None:
    codes = [target_code(n) for n in range(3)]
    rows = [
        ["序号", "社会信用代码", "企业名称", "法定代表人", "经营场所", "所属区划", "企业类型",
         "经营状态", "风险等级", "登记日期", "联系电话", "备注"],
        [1, " " + codes[0].lower() + " ", "聊城市甲商贸有限公司", "张三", "柳园路1号", 371502,
         "有限责任公司（自然人独资）", "存续（在营、开业、在册）", "低风险", date(2019, 3, 1),
         13800138000, "无"],
        [2, codes[1][:6] + " " + codes[1][6:], "聊城市乙超市", "李四", "东关街2号", "371522",
         "个体工商户", "在业", "B", "2019/3/1", "0635-8888888", ""],
        # full-width characters, 年月日 date
        [3, codes[2].translate({i: i + 0xFEE0 for i in range(0x21, 0x7F)}), "丙合作社", "王五",
         "", "371581", "农民专业合作社", "吊销", "高风险", "2019年3月1日", "", ""],
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "名录.xlsx", rows, title="2026 年度检查对象名录（聊城市）")
    report = import_registry(db, "targets", path)
    assert report.summary() == {
        "total": 3, "inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0, "warnings": 0
    }  # fmt: skip
    assert report.header_row == 3
    assert report.extra_columns == ["序号", "备注"]
    assert any("序号" in n and "备注" in n for n in report.notes)
    got = _targets(db)
    a, b, c = (got[code] for code in codes)
    assert (a.name, a.legal_rep, a.address, a.division_code) == (
        "聊城市甲商贸有限公司", "张三", "柳园路1号", "371502"
    )  # fmt: skip
    assert (a.entity_type, a.reg_status, a.risk_class) == ("企业", "存续", "A")
    assert a.founded_on == b.founded_on == c.founded_on == date(2019, 3, 1)
    assert a.phone == "13800138000" and b.phone == "0635-8888888" and c.phone is None
    assert (b.division_code, b.entity_type, b.risk_class) == ("371522", "个体工商户", "B")
    assert (c.reg_status, c.risk_class, c.address) == ("吊销", "D", None)


def test_header_with_required_marks_spaces_and_brackets(db: Database, tmp_path: Path) -> None:
    rows = [
        ["统一社会信用代码*", "名 称 *", "法定代表人(负责人)", "住所（经营场所）", "信用风险分类"],
        [target_code(1), "甲公司", "张三", "某路", "c"],
    ]
    report = import_registry(db, "targets", write_xlsx(tmp_path / "t.xlsx", rows))
    assert report.inserted == 1 and not report.extra_columns
    t = _targets(db)[target_code(1)]
    assert (t.legal_rep, t.address, t.risk_class) == ("张三", "某路", "C")


def test_data_on_first_sheet_whose_header_matches(db: Database, tmp_path: Path) -> None:
    rows = target_rows([target_code(1)])
    path = write_xlsx(tmp_path / "t.xlsx", rows, sheet="名录", before=["封面", "统计"])
    report = import_registry(db, "targets", path)
    assert (report.sheet, report.inserted) == ("名录", 1)


def test_rejections_name_the_row_and_reason(db: Database, tmp_path: Path) -> None:
    good = target_code(1)
    rows = target_rows(
        [good, "91371502MA3C", "", good, target_code(2), target_code(3)],
        {"信用风险分类": ["A", "", "", "B", "E", ""]},
    )
    rows[6][1] = ""  # 名称 missing
    report = import_registry(db, "targets", write_xlsx(tmp_path / "t.xlsx", rows))
    assert report.summary()["total"] == 6
    assert (report.inserted, report.rejected) == (1, 5)
    reasons = {i.row: i.reason for i in report.rejections}
    assert "18 位" in reasons[3]
    assert "为空" in reasons[4]
    assert reasons[5] == f"统一社会信用代码 {good} 与第 2 行重复"
    assert "未知的信用风险分类“E”" in reasons[6]
    assert reasons[7] == "名称为空"
    # Original values travel with each rejected row.
    assert report.rejections[0].values[:2] == ["91371502MA3C", "聊城市测试商贸1有限公司"]


def test_invalid_optional_fields_import_the_row_with_warnings(db: Database, tmp_path: Path) -> None:
    rows = target_rows(
        [target_code(1), target_code(2)],
        {
            "成立日期": ["2019-02-30", "2020-01-02"],
            "联系电话": ["打电话", 13912345678.0],
            "行政区划代码": ["东昌府区", ""],
            "登记状态": ["清算中", "注销"],
        },
    )
    report = import_registry(db, "targets", write_xlsx(tmp_path / "t.xlsx", rows))
    assert (report.inserted, report.rejected) == (2, 0)
    assert report.summary()["warnings"] == 4
    assert {w.column for w in report.warnings} == {
        "C 列“成立日期”",
        "D 列“联系电话”",
        "E 列“行政区划代码”",
        "F 列“登记状态”",
    }
    assert all(w.row == 2 for w in report.warnings)
    got = _targets(db)
    first, second = got[target_code(1)], got[target_code(2)]
    assert first.founded_on is None and first.phone is None
    assert first.division_code == target_code(1)[2:8]  # fell back to the code
    assert first.reg_status == "清算中"  # kept as written: not drawable
    assert second.phone == "13912345678" and second.division_code == target_code(2)[2:8]
    assert any("1 行的行政区划代码为空" in n for n in report.notes)


def test_missing_division_column_is_derived_and_said(db: Database, tmp_path: Path) -> None:
    code = target_code(5, "371522")
    report = import_registry(db, "targets", write_xlsx(tmp_path / "t.xlsx", target_rows([code])))
    assert _targets(db)[code].division_code == "371522"
    assert any("没有“行政区划代码”列" in n for n in report.notes)
    assert _targets(db)[code].reg_status == "存续"


def test_blank_rows_are_skipped_and_row_numbers_stay_true(db: Database, tmp_path: Path) -> None:
    rows = target_rows([target_code(1), target_code(2)])
    rows.insert(2, [None, None])
    rows.insert(2, ["  ", ""])
    rows.append(["", "只有名称"])
    report = import_registry(db, "targets", write_xlsx(tmp_path / "t.xlsx", rows, title="名录"))
    assert (report.total, report.inserted, report.rejected) == (3, 2, 1)
    assert report.rejections[0].row == 8


def test_updates_are_counted_and_unchanged_rows_left_alone(db: Database, tmp_path: Path) -> None:
    codes = [target_code(n) for n in range(3)]
    cols = {"信用风险分类": ["A", "B", "C"], "联系电话": ["1", "2", "3"]}
    first = write_xlsx(tmp_path / "a.xlsx", target_rows(codes, cols))
    assert import_registry(db, "targets", first).inserted == 3
    versions = {c: t.version for c, t in _targets(db).items()}
    cols["信用风险分类"] = ["A", "D", "C"]
    second = target_rows([*codes, target_code(9)], {k: [*v, ""] for k, v in cols.items()})
    report = import_registry(db, "targets", write_xlsx(tmp_path / "b.xlsx", second))
    assert report.summary() == {
        "total": 4, "inserted": 1, "updated": 1, "unchanged": 2, "rejected": 0, "warnings": 0
    }  # fmt: skip
    got = _targets(db)
    assert got[codes[1]].risk_class == "D" and got[codes[1]].version == versions[codes[1]] + 1
    assert got[codes[0]].version == versions[codes[0]]


def test_columns_absent_from_the_file_are_not_touched(db: Database, tmp_path: Path) -> None:
    code = target_code(1)
    full = target_rows([code], {"联系电话": ["0635-1"], "信用风险分类": ["D"]})
    import_registry(db, "targets", write_xlsx(tmp_path / "a.xlsx", full))
    renamed = [["统一社会信用代码", "名称"], [code, "新名称有限公司"]]
    report = import_registry(db, "targets", write_xlsx(tmp_path / "b.xlsx", renamed))
    assert report.updated == 1
    t = _targets(db)[code]
    assert (t.name, t.phone, t.risk_class) == ("新名称有限公司", "0635-1", "D")


def test_cancel_mid_import_leaves_the_database_untouched(db: Database, tmp_path: Path) -> None:
    import_registry(db, "targets", write_xlsx(tmp_path / "a.xlsx", target_rows([target_code(0)])))
    before = _snapshot(db)
    codes = [target_code(n) for n in range(1, 6_001)]
    rows = target_rows([target_code(0), *codes], {"信用风险分类": ["D"] + [""] * len(codes)})
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) >= 2  # after the first chunk was written

    with pytest.raises(ImportCancelled, match="未做任何修改"):
        import_registry(db, "targets", write_xlsx(tmp_path / "b.xlsx", rows), cancel=cancel)
    assert len(calls) == 2
    assert _snapshot(db) == before


def test_progress_reaches_the_total(db: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    rows = target_rows([target_code(n) for n in range(7)])
    import_registry(
        db, "targets", write_xlsx(tmp_path / "a.xlsx", rows), progress=lambda *a: seen.append(a)
    )
    assert seen[-1] == (7, 7)


def test_header_only_file_imports_nothing(db: Database, tmp_path: Path) -> None:
    report = import_registry(
        db, "targets", write_xlsx(tmp_path / "a.xlsx", [["统一社会信用代码", "名称"]])
    )
    assert report.summary()["total"] == 0


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_text("统一社会信用代码,名称\n1,2\n", encoding="utf-8"), "不是 Excel"),
        (lambda p: p.write_bytes(b""), "空的"),
        (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                                 + "EncryptedPackage".encode("utf-16-le")), "加密"),
        (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500), ".xls"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w/>"), "不是 Excel"),
        (lambda p: p.write_bytes(b"PK\x03\x04garbage"), "损坏"),
        (lambda p: Workbook().save(p), "找不到检查对象名录库的表头"),
        (lambda p: write_xlsx(p, [["统一社会信用代码", "法定代表人"], ["x", "y"]]),
         "缺少必填列 “名称”"),
    ],
)  # fmt: skip
def test_unreadable_files_change_nothing(
    db: Database, tmp_path: Path, make: object, reason: str
) -> None:
    path = tmp_path / "坏文件.xlsx"
    make(path)  # type: ignore[operator]
    with pytest.raises(WorkbookError) as err:
        import_registry(db, "targets", path)
    assert "坏文件.xlsx" in str(err.value) and reason in str(err.value)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Target)) == 0


def test_report_workbook_lists_rejections_and_warnings(db: Database, tmp_path: Path) -> None:
    rows = target_rows(["bad", target_code(1)], {"成立日期": ["", "昨天"], "备注": ["x", "y"]})
    report = import_registry(db, "targets", write_xlsx(tmp_path / "a.xlsx", rows))
    out = tmp_path / "报告.xlsx"
    report.write(out)
    summary, rejected, warned = read_sheets(out)
    assert rejected[0] == ["行号", "原因", "统一社会信用代码", "名称", "成立日期", "备注"]
    assert rejected[1][0] == 2 and rejected[1][2:4] == ["bad", "聊城市测试商贸0有限公司"]
    assert warned[1][:2] == [3, "C 列“成立日期”"] and "昨天" in warned[1][2]
    assert any("未导入 1" in str(r[1]) for r in summary)
