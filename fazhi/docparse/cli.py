"""``plan parse FILE [--year YYYY] [--json]``: read a plan file and print its tasks;
``report analyze FILE [--plan PLAN_FILE] [--json]``: read an annual report (``analyze_main``).

Exit status 0 on success; 2 with one line of Chinese on stderr when the file cannot be read (unsupported,
damaged, hostile, too large, empty) or the arguments are wrong. The lead wires this to ``fazhi plan parse``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from fazhi.docparse import parse_plan_document
from fazhi.docparse.errors import DocumentError
from fazhi.docparse.report import analyse_report
from fazhi.docparse.safety import DEFAULT_MAX_BYTES


class _Parser(argparse.ArgumentParser):
    usage_line = "plan parse FILE [--year YYYY] [--json]"

    def error(self, message: str) -> NoReturn:
        raise DocumentError(f"命令参数有误:{message}。用法:{self.usage_line}")


class _AnalyzeParser(_Parser):
    usage_line = "report analyze FILE [--plan PLAN_FILE] [--json]"


def build_parser(prog: str = "plan parse") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="读取法治政府建设工作计划,输出任务、责任单位、指标和时限。")
    parser.add_argument(
        "file", metavar="FILE", help="计划文件:.docx、.pdf(有文字层)、.html、.txt 或 .xlsx 台账"
    )
    parser.add_argument(
        "--year", type=int, default=None, help="计划年度,用于换算“11月底前”等时限(默认取标题中的年份)"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON(计划导入使用的格式)")
    parser.add_argument(
        "--max-mb", type=float, default=DEFAULT_MAX_BYTES / 1048576, help="文件大小上限(MB),默认 50"
    )
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(list(argv) if argv is not None else None)
        if args.year is not None and not 1900 <= args.year <= 2100:
            raise DocumentError(f"年度 {args.year} 不合理:请用四位数年份,例如 --year 2024。")
        document = parse_plan_document(args.file, year=args.year, max_bytes=int(args.max_mb * 1048576))
    except DocumentError as exc:
        err.write("错误:" + " ".join(str(exc).split()) + "\n")
        return 2
    result = document.to_dict()
    if args.json:
        out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(_summary(result))
    return 0


_KIND_NAMES = {"plan": "工作计划", "report": "情况报告", "other": "其他"}


def _summary(result: dict[str, Any]) -> str:
    lines = [
        f"标题:{result['title'] or '(未识别)'}",
        f"发文机关:{result['issuer'] or '(未识别)'}  文号:{result['doc_number'] or '(无)'}  "
        f"日期:{result['date'] or '(未识别)'}  年度:{result['year'] or '(未识别)'}",
        f"类型:{_KIND_NAMES[result['kind']]}  任务:{len(result['tasks'])} 项",
    ]
    for task in result["tasks"]:
        units = "、".join(task["units"]) or "(无责任单位)"
        lines.append(f"  {'.'.join(task['path'])}  {task['title'] or task['text'][:30]}  [{units}]")
    lines.extend(f"提示:{warning}" for warning in result["warnings"])
    return "\n".join(lines) + "\n"


def build_analyze_parser(prog: str = "report analyze") -> argparse.ArgumentParser:
    parser = _AnalyzeParser(
        prog=prog,
        description="读取法治政府建设年度报告,输出章节、数据表述;给出计划时核对任务和指标的落实情况。",
    )
    parser.add_argument("file", metavar="FILE", help="报告文件:.docx、.pdf(有文字层)、.html 或 .txt")
    parser.add_argument("--plan", metavar="PLAN_FILE", default=None, help="对照的工作计划文件")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument(
        "--max-mb", type=float, default=DEFAULT_MAX_BYTES / 1048576, help="文件大小上限(MB),默认 50"
    )
    return parser


def analyze_main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """``report analyze``: exit 0 with the analysis on stdout, 2 with one Chinese line on stderr."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_analyze_parser().parse_args(list(argv) if argv is not None else None)
        max_bytes = int(args.max_mb * 1048576)
        plan = parse_plan_document(args.plan, max_bytes=max_bytes) if args.plan else None
        if plan is not None and not plan.tasks:
            raise DocumentError(f"{args.plan} 中没有识别到计划任务,无法对照:请确认它是工作计划。")
        result = analyse_report(args.file, plan, max_bytes=max_bytes).to_dict()
    except DocumentError as exc:
        err.write("错误:" + " ".join(str(exc).split()) + "\n")
        return 2
    if args.json:
        out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(_analysis_summary(result))
    return 0


_PART_NAMES = {
    "leaders": "第一责任人职责",
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足",
    "next_year": "下一年度安排",
    "other": "其他",
}


def _analysis_summary(result: dict[str, Any]) -> str:
    lines = [
        f"类型:{_KIND_NAMES[result['kind']]}  地区:{result['region'] or '(未识别)'}  "
        f"年度:{result['year'] or '(未识别)'}  数据表述:{len(result['claims'])} 处",
    ]
    lines.extend(f"  {section['title']}  [{_PART_NAMES[section['part']]}]" for section in result["sections"])
    if "coverage" in result:
        reported = sum(1 for item in result["coverage"] if item["status"] == "reported")
        lines.append(f"计划任务:{len(result['coverage'])} 项,报告中有对应内容 {reported} 项")
        lines.extend(
            f"  未见报告:{'.'.join(item['path'])}  {item['task'][:30]}"
            for item in result["coverage"]
            if item["status"] == "not_reported"
        )
        status_names = {"met": "已达到", "not_met": "未达到", "not_reported": "未报告"}
        lines.extend(
            f"  指标 {'.'.join(item['path'])} {item['target']}:{status_names[item['status']]}"
            + (f"({item['reported']})" if item["reported"] else "")
            for item in result["targets"]
        )
    return "\n".join(lines) + "\n"
