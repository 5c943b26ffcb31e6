"""Plan reader throughput: characters per second on the seeds and a synthetic 1 MB plan, and the cost of a
full .docx import against python-docx merely opening the same file. Medians over several runs, one table.

    .venv/bin/python -m bench.parse_bench            # 7 runs each
    .venv/bin/python -m bench.parse_bench --runs 3

Aims: a 40,000-character plan parses in under 100 ms; a full .docx import costs at most twice the bare load.
Not part of the test suite; record the figures in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import docx

from fazhi.docparse import parse_plan_document, read_text
from fazhi.docparse.plan import parse_source

SEEDS = Path(__file__).resolve().parents[1] / "fazhi" / "docparse" / "tests" / "fixtures" / "seeds"
_CN = "一二三四五六七八九十"
_UNITS = ["区司法局", "区政府办公室", "区发改委", "区市场监督管理局", "各行政执法单位", "各街道办事处"]


def _cn(number: int) -> str:
    tens, ones = divmod(number, 10)
    return (("" if tens == 1 else _CN[tens - 1]) + "十" if tens else "") + (_CN[ones - 1] if ones else "")


def synthetic_plan(chars: int) -> str:
    """A plan of about ``chars`` characters: copies of a nine-area plan, each with its own title and units."""
    parts: list[str] = []
    size = 0
    copy = 0
    while size < chars:
        copy += 1
        lines = [
            f"某区{2000 + copy % 100}年第{copy}号法治政府建设工作计划",
            "为推进法治政府建设,制定本计划。",
        ]
        for area in range(1, 10):
            lines.append(f"{_cn(area)}、第{copy}号计划的第{area}个工作领域")
            for task in range(1, 6):
                unit = _UNITS[(area + task) % len(_UNITS)]
                lines.append(f"({_cn(task)})第{copy}号计划任务{area}-{task}")
                lines.append(
                    f"第{copy}号计划要求全面推进依法行政,每年组织开展不少于{task * 10}学时的法律知识培训,"
                    f"审核率达100%,{task + 1}月底前完成自查,每季度报送一次进展情况。"
                    f"(责任单位:{unit}、第{copy}号协办单位)"
                )
        text = "\n".join(lines) + "\n"
        parts.append(text)
        size += len(text)
    return "".join(parts)[: max(chars, 1)]


def plan_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=5)
    for cell, name in zip(
        table.rows[0].cells, ["序号", "主要任务", "牵头单位", "责任单位", "完成时限"], strict=True
    ):
        cell.text = name
    for number in range(1, 41):
        row = table.add_row().cells
        for cell, value in zip(
            row,
            [str(number), f"台账任务{number},不少于{number}次。", "区司法局", "各街道办事处", "12月底前"],
            strict=True,
        ):
            cell.text = value
    document.save(str(path))
    return path


def parse_text(text: str) -> object:
    """Normalise and parse text, as an import of a .txt plan does (parse_source clears its caches after)."""
    return parse_source(read_text(text))


def median_seconds(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: imports and regex compilation are not what is measured
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    rows: list[tuple[str, int, float, str]] = []

    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("00*.txt"))}
    texts["40k"] = synthetic_plan(40_000)
    texts["1MB"] = synthetic_plan(1_000_000)
    for name, text in texts.items():
        seconds = median_seconds(partial(parse_text, text), args.runs)
        tasks = len(parse_source(read_text(text)).tasks)
        rows.append(
            (f"text {name} ({tasks} tasks)", len(text), seconds, f"{len(text) / seconds:,.0f} chars/s")
        )

    with tempfile.TemporaryDirectory() as folder:
        path = plan_docx(Path(folder) / "plan.docx", texts["40k"])
        bare = median_seconds(lambda: docx.Document(str(path)), args.runs)
        full = median_seconds(lambda: parse_plan_document(path), args.runs)
        size = path.stat().st_size
        rows.append(("docx: docx.Document(path) only", size, bare, "baseline"))
        rows.append(("docx: parse_plan_document(path)", size, full, f"{full / bare:.2f}x baseline"))

    print(f"{'case':<36} {'size':>10} {'median ms':>10}  result")
    for name, size, seconds, result in rows:
        print(f"{name:<36} {size:>10,} {seconds * 1000:>10.1f}  {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
