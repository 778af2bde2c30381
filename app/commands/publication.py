"""`dualrandom publish|publication|followup|exemptions|inspection add-case`.

    dualrandom publish TASK_CODE OUT.xlsx|OUT.pdf [--department CODE] [--db URL]
    dualrandom publication list [--year YEAR] [--json] [--db URL]
    dualrandom publication correct TASK_CODE OUT.xlsx|OUT.pdf --reason TEXT
                                   --change USCC,ITEM_CODE,CATEGORY[,FINDING] … [--db URL]
    dualrandom publication file FILE_ID OUT [--db URL]
    dualrandom publication layout [FILE] [--db URL]
    dualrandom followup list [--all] [--json] [--db URL]
    dualrandom followup close ID --date YYYY-MM-DD --outcome TEXT [--db URL]
    dualrandom exemptions list|add ITEM_CODE --violation TEXT|export OUT [--db URL]
    dualrandom inspection add-case --source 投诉举报 --reference REF --target USCC …
                                   --item CODE … --team BADGE … --start D --end D [--db URL]

`publish` publishes the task's reviewed results (records the publication with
both files) and writes the one OUT names; run again it writes the stored file.
TASK_CODE may be CASE-<number> for a case or special inspection. On a database
with accounts, --user signs in (password from the terminal or --password-stdin).
Exit 0 done, 2 refused (reason on stderr).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from app.cli import add_db_option, cli_actor, open_db, refuse


def _login_options(p: argparse.ArgumentParser) -> None:
    # --db, --user and --password-stdin: open_db signs in where the database has accounts.
    add_db_option(p)


def register(subparsers: Any) -> None:
    pub = subparsers.add_parser("publish", help="公示任务的抽查结果并写出公告 PDF 或上传 xlsx")
    pub.add_argument("task_code", metavar="TASK_CODE", help="任务编号，或 CASE-检查编号")
    pub.add_argument("out", metavar="OUT", help="输出文件（.pdf 公告或 .xlsx 上传表）")
    pub.add_argument("--department", metavar="CODE", help="只公示该部门的结果（部门代码）")
    _login_options(pub)
    pub.set_defaults(run=run_publish)

    grp = subparsers.add_parser("publication", help="公示记录：列表、更正、取回文件")
    sub = grp.add_subparsers(dest="publication_command", metavar="ACTION", required=True)
    lst = sub.add_parser("list", help="列出某年度的公示记录")
    lst.add_argument("--year", type=int, default=date.today().year)
    lst.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
    add_db_option(lst)
    lst.set_defaults(run=run_list)
    cor = sub.add_parser("correct", help="更正已公示的结果：发布新版本并写出更正公告")
    cor.add_argument("task_code", metavar="TASK_CODE")
    cor.add_argument("out", metavar="OUT")
    cor.add_argument("--reason", required=True, help="更正原因")
    cor.add_argument(
        "--change",
        action="append",
        required=True,
        metavar="USCC,ITEM_CODE,CATEGORY[,FINDING]",
        help="更正一项结果（可重复）",
    )
    cor.add_argument("--department", metavar="CODE")
    _login_options(cor)
    cor.set_defaults(run=run_correct)
    lay = sub.add_parser("layout", help="设置公示上传表格式文件（省级格式，JSON）")
    lay.add_argument("layout_file", nargs="?", metavar="FILE", help="不填则恢复全国通用格式")
    add_db_option(lay)
    lay.set_defaults(run=run_layout)
    get = sub.add_parser("file", help="取回已公示的文件（校验 sha256）")
    get.add_argument("file_id", type=int, metavar="FILE_ID")
    get.add_argument("out", metavar="OUT")
    add_db_option(get)
    get.set_defaults(run=run_file)

    fu = subparsers.add_parser("followup", help="后续处置：未完结列表与办结")
    fsub = fu.add_subparsers(dest="followup_command", metavar="ACTION", required=True)
    fl = fsub.add_parser("list", help="按部门列出后续处置（默认只列未完结）")
    fl.add_argument("--all", action="store_true", help="包括已完结")
    fl.add_argument("--json", action="store_true")
    add_db_option(fl)
    fl.set_defaults(run=run_followups)
    fc = fsub.add_parser("close", help="办结一条后续处置")
    fc.add_argument("follow_up_id", type=int, metavar="ID")
    fc.add_argument("--date", dest="closed_on", type=date.fromisoformat, required=True)
    fc.add_argument("--outcome", required=True, help="处置结果")
    _login_options(fc)
    fc.set_defaults(run=run_close)

    ex = subparsers.add_parser("exemptions", help="轻微违法违规经营行为免罚清单")
    esub = ex.add_subparsers(dest="exemptions_command", metavar="ACTION", required=True)
    el = esub.add_parser("list", help="列出免罚清单")
    add_db_option(el)
    el.set_defaults(run=run_exemptions)
    ea = esub.add_parser("add", help="把某事项的一种轻微违法行为列入免罚清单")
    ea.add_argument("item_code", metavar="ITEM_CODE")
    ea.add_argument("--violation", required=True, help="违法行为")
    ea.add_argument("--conditions", default="", help="不予处罚的情形")
    ea.add_argument("--basis", default="", help="法律依据")
    add_db_option(ea)
    ea.set_defaults(run=run_exemption_add)
    ee = esub.add_parser("export", help="导出免罚清单公示文件（.pdf 或 .xlsx）并记录公示")
    ee.add_argument("out", metavar="OUT")
    add_db_option(ee)
    ee.set_defaults(run=run_exemption_export)

    ins = subparsers.add_parser("inspection", help="个案检查与专项检查（非随机抽取）")
    isub = ins.add_subparsers(dest="inspection_command", metavar="ACTION", required=True)
    case = isub.add_parser("add-case", help="登记个案或专项检查：每个检查对象一次检查")
    case.add_argument("--source", required=True, help="投诉举报、转办交办、数据监测、专项检查")
    case.add_argument("--reference", required=True, help="来源编号或说明")
    case.add_argument("--target", action="append", required=True, metavar="USCC")
    case.add_argument("--item", action="append", required=True, metavar="ITEM_CODE")
    case.add_argument("--team", action="append", required=True, metavar="BADGE_NO")
    case.add_argument("--start", type=date.fromisoformat, required=True)
    case.add_argument("--end", type=date.fromisoformat, required=True)
    case.add_argument("--department", metavar="CODE", help="负责部门代码（默认本人部门）")
    add_db_option(case)
    case.set_defaults(run=run_add_case)


def _errors() -> tuple[type[Exception], ...]:
    from app.domain.publication import LayoutFileError
    from app.services.access.auth import LoginError, PermissionDenied
    from app.services.inspections.common import InspectionError
    from app.services.publication.records import PublicationError

    return (PublicationError, InspectionError, PermissionDenied, LoginError, LayoutFileError)


def _call(args: argparse.Namespace, work: Any) -> int:
    from app.services.access.audit import acting_as

    db = open_db(args)
    try:
        with acting_as(cli_actor()):
            return int(work(db) or 0)
    except _errors() as exc:
        return refuse(str(exc))
    finally:
        db.dispose()


def _write(out: Path, published: Any) -> None:
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        from app.services.publication.records import PublicationError

        raise PublicationError(f"输出文件须为 .pdf 或 .xlsx：{out.name}")
    out.write_bytes(published.file(suffix))


def run_publish(args: argparse.Namespace) -> int:
    from app.services.publication.results import publish_results

    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        return refuse(f"输出文件须为 .pdf 或 .xlsx：{out.name}")

    def work(db: Any) -> int:
        done = publish_results(db, args.task_code, department_code=args.department)
        _write(out, done)
        print(done.message)
        print(f"已写出 {out}")
        return 0

    return _call(args, work)


def run_correct(args: argparse.Namespace) -> int:
    from app.services.publication.results import ResultCorrection, correct_results

    fixes = []
    for raw in args.change:
        parts = [p.strip() for p in raw.split(",", 3)]
        if len(parts) < 3:
            return refuse(f"--change 须为 USCC,ITEM_CODE,CATEGORY[,FINDING]：{raw}")
        fixes.append(
            ResultCorrection(
                parts[0], parts[1], parts[2], finding=parts[3] if len(parts) > 3 else None
            )
        )
    out = Path(args.out)

    def work(db: Any) -> int:
        done = correct_results(
            db, args.task_code, args.reason, fixes, department_code=args.department
        )
        _write(out, done)
        print(done.message)
        for line in done.changes:
            print(f"  {line}")
        return 0

    return _call(args, work)


def run_list(args: argparse.Namespace) -> int:
    from app.services.publication.overview import page_rows

    def work(db: Any) -> int:
        for r in page_rows(db, args.year, date.today()):
            files = [{"id": f.file_id, "name": f.name, "sha256": f.sha256} for f in r.files]
            if args.json:
                row = {
                    "id": r.publication_id,
                    "kind": r.kind.value,
                    "subject": r.subject_key,
                    "title": r.title,
                    "version": r.version_no,
                    "state": r.state.value,
                    "doc_number": r.doc_number,
                    "published_on": r.published_on.isoformat() if r.published_on else None,
                    "published_by": r.published_by,
                    "due_date": r.due_date.isoformat() if r.due_date else None,
                    "overdue": r.overdue,
                    "files": files,
                }
                print(json.dumps(row, ensure_ascii=False))
            else:
                when = f"{r.published_on:%Y-%m-%d}" if r.published_on else "—"
                late = "（逾期）" if r.overdue else ""
                print(f"{r.publication_id or '-':>5}  {r.state_label}{late}  {when}  {r.title}")
                for f in r.files:
                    print(f"       文件 {f.file_id}: {f.name}  sha256 {f.sha256[:16]}…")
        return 0

    return _call(args, work)


def run_layout(args: argparse.Namespace) -> int:
    from app.services.publication.layouts import set_layout_file

    def work(db: Any) -> int:
        layout = set_layout_file(db, args.layout_file)
        print(f"公示上传表格式：{layout.name or layout.sheet}（{len(layout.columns)} 列）")
        return 0

    return _call(args, work)


def run_file(args: argparse.Namespace) -> int:
    from app.services.publication.records import save_file

    def work(db: Any) -> int:
        print(f"已写出 {save_file(db, args.file_id, args.out)}")
        return 0

    return _call(args, work)


def run_followups(args: argparse.Namespace) -> int:
    from app.domain.auth import Permission
    from app.services.access.auth import current_principal
    from app.services.publication import follow_ups

    def work(db: Any) -> int:
        if current_principal().may(Permission.PUBLISH):
            follow_ups.sync(db)
        rows = follow_ups.list_follow_ups(db, date.today(), open_only=not args.all)
        for dept, lines in follow_ups.by_department(rows).items():
            if not args.json:
                print(f"{dept}（{len(lines)}）")
            for r in lines:
                if args.json:
                    print(
                        json.dumps(
                            {
                                "id": r.follow_up_id,
                                "kind": r.kind.value,
                                "department": r.department,
                                "uscc": r.uscc,
                                "item": r.item,
                                "due_date": r.due_date.isoformat(),
                                "status": r.status.value,
                                "overdue": r.overdue,
                            },
                            ensure_ascii=False,
                        )
                    )
                else:
                    print(
                        f"  {r.follow_up_id:>5}  {r.kind.label}  {r.target_name}  {r.item}  "
                        f"期限 {r.due_date:%Y-%m-%d}  {r.status_text}"
                    )
        return 0

    return _call(args, work)


def run_close(args: argparse.Namespace) -> int:
    from app.services.publication.follow_ups import close_follow_up

    def work(db: Any) -> int:
        print(
            close_follow_up(db, args.follow_up_id, closed_on=args.closed_on, outcome=args.outcome)
        )
        return 0

    return _call(args, work)


def run_exemptions(args: argparse.Namespace) -> int:
    from app.services.publication.exemptions import list_exemptions

    def work(db: Any) -> int:
        for r in list_exemptions(db):
            print(
                f"{r.exemption_id:>5}  {r.department}  {r.item_code} {r.item_name}：{r.violation}"
            )
        return 0

    return _call(args, work)


def run_exemption_add(args: argparse.Namespace) -> int:
    from app.services.publication.exemptions import add_exemption

    def work(db: Any) -> int:
        n = add_exemption(
            db, args.item_code, args.violation, conditions=args.conditions, legal_basis=args.basis
        )
        print(f"已列入免罚清单（条目 {n}）。")
        return 0

    return _call(args, work)


def run_exemption_export(args: argparse.Namespace) -> int:
    from app.services.publication.exemptions import export_exemptions

    def work(db: Any) -> int:
        print(f"已写出 {export_exemptions(db, args.out)}，并记录公示。")
        return 0

    return _call(args, work)


def run_add_case(args: argparse.Namespace) -> int:
    from app.services.inspections.cases import CaseInput, add_case, source_from_text

    def work(db: Any) -> int:
        ids = add_case(
            db,
            CaseInput(
                source_from_text(args.source),
                args.reference,
                args.target,
                args.item,
                args.team,
                args.start,
                args.end,
                args.department,
            ),
        )
        print(f"已登记检查 {len(ids)} 户：" + "、".join(f"CASE-{i}" for i in ids))
        return 0

    return _call(args, work)
