"""Annual report generation: one county's report, and every county of the generated province.

    DATABASE_URL=postgres://postgres@127.0.0.1/fazhi_bench .venv/bin/python -m bench.bench_reports --runs 5

For each county (all of them, or ``--counties N``), times `generate` (the figures from the records, the
sentences with their sources) plus `docx.render`, and each on its own, against a baseline measured in the same
run: python-docx writing a blank document with the same paragraphs, the floor any .docx writer pays. The
county cases are timed in turn with their baseline, run by run, and a ratio is taken per run; medians are
reported. Aims (issue 6): a county's report in under 2 seconds, the province's 100 in under a minute.
Not part of the test suite; record the figures in BENCHMARKS.md. Reads the database only (nothing is stored).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--year", type=int, default=None, help="the plans' year (default: the newest)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--counties", type=int, default=0, help="only the first N counties (0: all)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()

    import docx as python_docx

    from fazhi.orgs.models import Region
    from fazhi.plans.models import Plan, PlanStatus
    from fazhi.reports import docx
    from fazhi.reports.generate import generate
    from fazhi.reports.indicators import Scope

    published = Plan.objects.filter(status=PlanStatus.PUBLISHED)
    year: int = args.year or published.order_by("-year").values_list("year", flat=True).first() or 0
    regions = list(
        Region.objects.filter(pk__in=published.filter(year=year).values("region_id")).order_by("path")
    )
    if args.counties:
        regions = regions[: args.counties]

    def full(region: Region) -> tuple[float, float, list[str]]:
        """Seconds for the whole report, of which in `generate`, and the paragraphs for the baseline."""
        started = time.perf_counter()
        report = generate(Scope(region=region, year=year))
        generated = time.perf_counter()
        docx.render(report)
        texts = [s.title for s in report.sections] + [
            "".join(sentence.text for sentence in paragraph.sentences)
            for section in report.sections
            for paragraph in section.paragraphs
        ]
        return time.perf_counter() - started, generated - started, texts

    def baseline(texts: list[str]) -> float:
        started = time.perf_counter()
        document = python_docx.Document()
        for text in texts:
            document.add_paragraph(text)
        document.save(io.BytesIO())
        return time.perf_counter() - started

    full(regions[0])  # warm up the imports and the connection
    province_times: list[float] = []
    province_cpu: list[float] = []  # this process only: less disturbed by other work on the machine
    per_report: list[float] = []
    in_generate: list[float] = []
    ratios: list[float] = []
    for _run in range(args.runs):
        total = cpu = 0.0
        for region in regions:
            cpu_started = time.process_time()
            seconds, generating, texts = full(region)
            cpu += time.process_time() - cpu_started
            base = baseline(texts)
            total += seconds
            per_report.append(seconds)
            in_generate.append(generating)
            ratios.append(seconds / base)
        province_times.append(total)
        province_cpu.append(cpu)
    print(f"year {year}, {len(regions)} counties, {args.runs} runs")
    print(
        f"one county's report: median {statistics.median(per_report) * 1000:.0f} ms, "
        f"max {max(per_report) * 1000:.0f} ms (aim < 2000 ms)"
    )
    rendering = [whole - part for whole, part in zip(per_report, in_generate, strict=True)]
    print(
        f"  of which generate (figures, sentences): median {statistics.median(in_generate) * 1000:.0f} ms; "
        f"docx.render: median {statistics.median(rendering) * 1000:.0f} ms "
        f"({sum(rendering) / sum(per_report):.0%} of the time)"
    )
    print(f"ratio to python-docx writing the same paragraphs: median {statistics.median(ratios):.1f}x")
    print(f"all {len(regions)} counties: median {statistics.median(province_times):.1f} s (aim < 60 s)")
    print(
        f"  of which this process's CPU time: median {statistics.median(province_cpu):.1f} s "
        "(the database server's is not counted)"
    )


if __name__ == "__main__":
    main()
