"""Plan reader speed: the seeds, a synthetic 40,000-character plan (and a 1 MB one), and a full .docx import
against python-docx merely opening the same file. Medians (and minima) over several runs, one table.

    .venv/bin/python -m bench.parse_bench            # 7 runs each
    .venv/bin/python -m bench.parse_bench --runs 15 --no-1mb

Aims: a 40,000-character plan is read and parsed in under 100 ms; a full .docx import
(``parse_plan_document(path)``: checks, reading and parsing) costs at most twice the bare
``docx.Document(path)``. The cases of each group (the seeds; the two 40k cases; the three .docx cases) are
timed in turn, run by run, so that other work on the machine weighs on all of them alike; a ratio is taken
per run and its median reported. Not part of the test suite; record the figures in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import docx

from fazhi.docparse import parse_plan_document, read_path, read_text
from fazhi.docparse.plan import parse_source

SEEDS = Path(__file__).resolve().parents[1] / "fazhi" / "docparse" / "tests" / "fixtures" / "seeds"
_CN = "一二三四五六七八九十"
_UNITS = ["区司法局", "区政府办公室", "区发改委", "区市场监督管理局", "各行政执法单位", "各街道办事处"]
TEXT_AIM_MS = 100.0
DOCX_AIM_RATIO = 2.0


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


def alternate(actions: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Seconds per run of each action, taken in turn, run by run, so that other work on the machine weighs
    on all of them alike. Each action runs once first: imports and regex compilation are not measured."""
    for action in actions:
        action()
    out: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, times in zip(actions, out, strict=True):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return out


Row = tuple[str, int, list[float], str]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-1mb", action="store_true", help="skip the 1 MB plan (about a minute)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    rows: list[Row] = []

    def speed(chars: int, times: list[float]) -> str:
        return f"{chars / statistics.median(times):,.0f} chars/s"

    seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("00*.txt"))}
    everything = "".join(seeds.values())
    seed_times = alternate(
        [
            *(partial(parse_text, text) for text in seeds.values()),
            lambda: [parse_text(t) for t in seeds.values()],
        ],
        args.runs,
    )
    for (name, text), times in zip(seeds.items(), seed_times, strict=False):
        tasks = len(parse_source(read_text(text)).tasks)
        rows.append((f"text {name} ({tasks} tasks)", len(text), times, speed(len(text), times)))
    rows.append(
        (
            "text: the 5 seeds, one after another",
            len(everything),
            seed_times[-1],
            speed(len(everything), seed_times[-1]),
        )
    )

    plan_40k = synthetic_plan(40_000)
    source_40k = read_text(plan_40k)
    tasks_40k = len(parse_source(source_40k).tasks)
    full_40k, parse_40k = alternate(
        [partial(parse_text, plan_40k), partial(parse_source, source_40k)], args.runs
    )
    verdict = "met" if statistics.median(full_40k) * 1000 < TEXT_AIM_MS else "NOT met"
    rows.append(
        (f"text 40k ({tasks_40k} tasks)", len(plan_40k), full_40k, f"aim < {TEXT_AIM_MS:.0f} ms: {verdict}")
    )
    rows.append(
        ("text 40k, parse only (no read_text)", len(plan_40k), parse_40k, speed(len(plan_40k), parse_40k))
    )
    if not args.no_1mb:
        plan_1mb = synthetic_plan(1_000_000)
        (times,) = alternate([partial(parse_text, plan_1mb)], args.runs)
        tasks = len(parse_source(read_text(plan_1mb)).tasks)
        rows.append((f"text 1MB ({tasks} tasks)", len(plan_1mb), times, speed(len(plan_1mb), times)))

    with tempfile.TemporaryDirectory() as folder:
        path = plan_docx(Path(folder) / "plan.docx", plan_40k)
        size = path.stat().st_size
        bare, full, read = alternate(
            [lambda: docx.Document(str(path)), lambda: parse_plan_document(path), lambda: read_path(path)],
            args.runs,
        )
    ratio = statistics.median(f / b for f, b in zip(full, bare, strict=True))
    read_ratio = statistics.median(r / b for r, b in zip(read, bare, strict=True))
    verdict = "met" if ratio <= DOCX_AIM_RATIO else "NOT met"
    rows.append(("docx: docx.Document(path) only", size, bare, "baseline"))
    rows.append(
        (
            "docx: parse_plan_document(path)",
            size,
            full,
            f"{ratio:.2f}x baseline; aim <= {DOCX_AIM_RATIO:.0f}x: {verdict}",
        )
    )
    rows.append(("docx: read_path(path), no parsing", size, read, f"{read_ratio:.2f}x baseline"))

    print(f"{'case':<40} {'chars/bytes':>11} {'median ms':>10} {'min ms':>8}  result")
    for name, chars, times, result in rows:
        median_ms, min_ms = statistics.median(times) * 1000, min(times) * 1000
        print(f"{name:<40} {chars:>11,} {median_ms:>10.1f} {min_ms:>8.1f}  {result}")
    print(
        f"\n{args.runs} runs per case (ratios: median of the per-run ratios); "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; load average (1, 5, 15 min) "
        f"before {_load(load_before)}, after {_load(os.getloadavg())}"
    )
    return 0


def _load(load: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in load)


if __name__ == "__main__":
    raise SystemExit(main())
