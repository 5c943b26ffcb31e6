"""Enforcement cases at province scale: the annual case figures, and the streaming case import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench_cases \\
        .venv/bin/python -m bench.bench_enforcement figures --runs 7
    DATABASE_URL=… .venv/bin/python -m bench.bench_enforcement import --cases 100000 --runs 3

The database must hold a generated province with its cases (`fazhi gen-data --scale province`, or
`bench.gen_data.add_stage("cases", …)` on a province generated before the stage existed).

figures: times `fazhi.enforcement.figures.case_figures` (the ORM: cases by kind, body and month, and the
法制审核 rate of the year's major decisions) for the whole province against a baseline measured in the same
run: one raw SQL query returning the same rows, turned into the same dictionaries. The two alternate run by
run, the results are checked equal, and the ratio is taken per run; medians are reported.

import: exports `--cases` of the province's cases with their steps to a CSV file in the importer's format (one
row per step; numbers prefixed 导入 so they do not clash), then imports it with
`fazhi.enforcement.case_import` in a subprocess of its own (its peak RSS, VmHWM read by the child itself,
is the importer's alone), and deletes what it imported before the next run. The baseline, measured in the
same run, is reading the same file with the csv module and doing nothing else (the floor any CSV importer
pays). Not part of the test suite; record the figures in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "导入"
HEADER = [
    "执法主体", "案件编号", "案件类型", "事项编码", "案由", "当事人", "当事人类型", "证件号码", "联系电话",
    "重大执法决定", "环节", "日期", "执法人员证号", "审核人员证号", "备注", "罚款金额", "偏离裁量基准理由",
]  # fmt: skip


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()


def _province() -> Any:
    from fazhi.orgs.models import Region

    return Region.objects.get(parent=None, name="示范省")


# --- figures ------------------------------------------------------------------------------------------------

RAW = """
SELECT c.id, c.kind, c.unit_id, c.registered_on, c.is_major, c.decided_on,
       EXISTS (SELECT 1 FROM enforcement_legalreview r
               WHERE r.case_id = c.id AND r.result = 'passed' AND r."on" <= c.decided_on)
FROM enforcement_case c
JOIN orgs_unit u ON u.id = c.unit_id
JOIN orgs_region g ON g.id = u.region_id
WHERE g.path LIKE %s
  AND (c.registered_on BETWEEN %s AND %s OR (c.is_major AND c.decided_on BETWEEN %s AND %s))
ORDER BY c.id
"""


def raw_case_figures(region: Any, year: int) -> Any:
    from django.db import connection

    from fazhi.enforcement.figures import CaseFigures, Share
    from fazhi.enforcement.models import CaseKind

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    by_kind: dict[str, list[int]] = {kind.value: [] for kind in CaseKind}
    by_body: dict[int, list[int]] = {}
    by_month: dict[int, list[int]] = {month: [] for month in range(1, 13)}
    major: list[int] = []
    reviewed: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(RAW, [region.path + "%", start, end, start, end])
        for pk, kind, unit_id, registered, is_major, decided, passed in cursor.fetchall():
            if start <= registered <= end:
                by_kind.setdefault(kind, []).append(pk)
                by_body.setdefault(unit_id, []).append(pk)
                by_month[registered.month].append(pk)
            if is_major and decided is not None and start <= decided <= end:
                major.append(pk)
                if passed:
                    reviewed.append(pk)
    return CaseFigures(by_kind, by_body, by_month, Share(reviewed, major))


def bench_figures(runs: int, year: int | None) -> dict[str, Any]:
    from fazhi.enforcement.figures import case_figures
    from fazhi.enforcement.models import Case

    province = _province()
    year = year or Case.objects.order_by("-registered_on").values_list("registered_on", flat=True)[0].year
    orm_times, raw_times = [], []
    for run in range(runs):
        started = time.perf_counter()
        orm = case_figures(province, year)
        middle = time.perf_counter()
        raw = raw_case_figures(province, year)
        ended = time.perf_counter()
        if run == 0 and orm != raw:
            raise SystemExit("the ORM and the raw query disagree")
        orm_times.append(middle - started)
        raw_times.append(ended - middle)
    ratios = [o / r for o, r in zip(orm_times, raw_times, strict=True)]
    registered = sum(len(ids) for ids in orm.by_kind.values())
    return {
        "year": year, "runs": runs, "cases_registered": registered, "bodies": len(orm.by_body),
        "major_decisions": orm.major_reviewed.total, "reviewed": orm.major_reviewed.count,
        "orm_median_s": statistics.median(orm_times), "raw_median_s": statistics.median(raw_times),
        "ratio_median": statistics.median(ratios), "orm_s": orm_times, "raw_s": raw_times, "ratios": ratios,
    }  # fmt: skip


# --- import -------------------------------------------------------------------------------------------------

EXPORT = """
WITH picked AS MATERIALIZED (
    SELECT c.* FROM enforcement_case c
    JOIN orgs_unit u ON u.id = c.unit_id JOIN orgs_region g ON g.id = u.region_id
    WHERE g.path LIKE %s AND c.number NOT LIKE %s ORDER BY c.id LIMIT %s
)
SELECT u.name, c.number, c.kind, p.code, c.cause, c.party_name, c.party_type, c.party_id_number,
       c.party_phone, c.is_major, e.step, e."on", e.notes, c.penalty_amount, c.discretion_reason,
       (SELECT string_agg(o.certificate_number, '、' ORDER BY o.certificate_number)
        FROM enforcement_caseevent_officers eo JOIN enforcement_officer o ON o.id = eo.officer_id
        WHERE eo.caseevent_id = e.id)
FROM picked c
JOIN orgs_unit u ON u.id = c.unit_id
LEFT JOIN enforcement_power p ON p.id = c.power_id
JOIN enforcement_caseevent e ON e.case_id = c.id
ORDER BY c.id, e."on", e.id
"""

KIND_WORDS = {"inspection": "行政检查", "penalty_simple": "行政处罚简易程序",
              "penalty_ordinary": "行政处罚普通程序", "coercion": "行政强制"}  # fmt: skip
STEP_WORDS = {
    "register": "立案", "investigate": "调查取证", "notify": "告知", "statement": "陈述申辩", "waive": "放弃",
    "request_hearing": "要求听证", "hold_hearing": "举行听证", "review_pass": "法制审核通过",
    "review_return": "法制审核退回", "discuss": "集体讨论", "decide": "决定", "serve": "送达",
    "execute": "执行", "close": "结案", "archive": "归档",
}  # fmt: skip


def export_cases(path: Path, cases: int) -> tuple[int, int]:
    """Write `cases` of the province's cases as the importer's CSV; returns (cases, rows)."""
    from django.db import connection, transaction

    province = _province()
    rows = 0
    last = None
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle, transaction.atomic():
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        with connection.cursor() as settings:
            # The planner would merge-join every step of the province; a nested loop reads only the chosen
            # cases'.
            settings.execute("SET LOCAL enable_mergejoin = off")
            settings.execute("SET LOCAL jit = off")
        # A server-side cursor: the rows stream, this process (whose memory the import's child inherits at
        # fork) stays small.
        cursor = connection.chunked_cursor()
        cursor.execute(EXPORT, [province.path + "%", PREFIX + "%", cases])
        while batch := cursor.fetchmany(10_000):
            for row in batch:
                unit, number, kind, power, cause, party, party_type, id_number, phone, major = row[:10]
                step, on, notes, amount, reason, officers = row[10:]
                first = (unit, number) != last
                last = (unit, number)
                count += first
                natural = "自然人" if party_type == "natural" else "法人"
                fields = [KIND_WORDS[kind], power or "", cause, party, natural, id_number, phone]
                case_columns = [*fields, "是" if major else "否"] if first else [""] * 8
                review = step in ("review_pass", "review_return")
                decided = step == "decide"
                writer.writerow([
                    unit, PREFIX + number, *case_columns, STEP_WORDS[step], on.isoformat(),
                    "" if review else officers or "", officers if review else "", notes,
                    amount if decided and amount is not None else "", reason if decided else "",
                ])  # fmt: skip
                rows += 1
    return count, rows


def _import_once(path: str) -> None:
    """In the subprocess: import the file as the system, print the outcome as JSON."""
    _setup()
    from fazhi.audit.recorder import acting_as
    from fazhi.enforcement import case_import

    started = time.perf_counter()

    def progress(rows: int, cases: int, _share: float | None) -> None:
        if cases % 100_000 == 0:  # a line now and then on stderr, so a long run can be followed
            seconds = time.perf_counter() - started
            print(f"{cases} cases in {seconds:.0f} s, peak RSS {_peak_rss_mb():.0f} MB", file=sys.stderr)

    with acting_as(None, "bench"):
        result = case_import.import_cases(_province(), Path(path), progress=progress)
    seconds = time.perf_counter() - started
    errors = [f"{e.sheet} {e.row} {e.column} {e.message}" for e in result.errors[:5]]
    print(json.dumps({"seconds": seconds, "created": result.created, "events": result.events,
                      "rows": result.rows, "errors": result.error_count, "first_errors": errors,
                      "peak_rss_mb": _peak_rss_mb()},
                     ensure_ascii=False))  # fmt: skip


def _peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not getrusage's ru_maxrss: that counts what the
    parent had resident when it forked this child, before the exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (the benchmark runs on Linux)")


def _run_import(path: Path) -> tuple[dict[str, Any], float, float]:
    argv = [sys.executable, "-m", "bench.bench_enforcement", "_import_once", str(path)]
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        text = out.read().decode()
    if status != 0:
        raise SystemExit(f"import failed: {text}")
    outcome = json.loads(text.strip().splitlines()[-1])
    return outcome, outcome.pop("peak_rss_mb"), usage.ru_utime + usage.ru_stime


def _delete_imported() -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        imported = "SELECT id FROM enforcement_case WHERE number LIKE %s"
        cursor.execute(
            "DELETE FROM enforcement_caseevent_officers WHERE caseevent_id IN "
            f"(SELECT id FROM enforcement_caseevent WHERE case_id IN ({imported}))",
            [PREFIX + "%"],
        )
        for table in ("enforcement_caseevent", "enforcement_legalreview", "enforcement_case_investigators"):
            cursor.execute(f"DELETE FROM {table} WHERE case_id IN ({imported})", [PREFIX + "%"])
        cursor.execute("DELETE FROM enforcement_case WHERE number LIKE %s", [PREFIX + "%"])
        return cursor.rowcount


def _parse_only(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            pass
    return time.perf_counter() - started


def bench_import(cases: int, runs: int, keep: Path | None) -> dict[str, Any]:
    path = keep or Path(tempfile.mkdtemp()) / "cases.csv"
    started = time.perf_counter()
    exported, rows = export_cases(path, cases)
    export_seconds = time.perf_counter() - started
    _delete_imported()
    results = []
    for _run in range(runs):
        outcome, rss, cpu = _run_import(path)
        if outcome["errors"]:
            raise SystemExit(f"the import refused the file: {outcome}")
        baseline = _parse_only(path)
        started = time.perf_counter()
        deleted = _delete_imported()
        results.append({**outcome, "peak_rss_mb": rss, "cpu_s": cpu, "baseline_s": baseline,
                        "ratio": outcome["seconds"] / baseline, "delete_s": time.perf_counter() - started,
                        "deleted": deleted})  # fmt: skip
    seconds = statistics.median(r["seconds"] for r in results)
    return {
        "cases": exported, "rows": rows, "file_mb": path.stat().st_size / 1e6, "export_s": export_seconds,
        "runs": results, "median_s": seconds,
        "median_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in results),
        "median_ratio": statistics.median(r["ratio"] for r in results),
        "cases_per_s": exported / seconds, "rows_per_s": rows / seconds,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["figures", "import", "_import_once"])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the exported CSV here and keep it")
    args = parser.parse_args()
    if args.what == "_import_once":
        _import_once(args.file)
        return
    _setup()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; load average {os.getloadavg()}")
    if args.what == "figures":
        result = bench_figures(args.runs, args.year)
    else:
        result = bench_import(args.cases, args.runs, args.keep)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
