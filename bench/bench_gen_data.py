"""Benchmark `fazhi gen-data` against plain `executemany` inserts of the same number of rows.

Each run generates the province into a fresh, migrated database, in a subprocess of its own so its peak RSS
is its own; then, into another fresh database, a baseline child inserts as many rows into the same tables with
the driver's `executemany` of prebuilt tuples (no ORM, no Python-side logic). The figures are medians over the
runs, and the ratio generator/baseline is taken per run (both measured in the same run) and then its median.

    .venv/bin/python bench/bench_gen_data.py            # 3 runs, SQLite and PostgreSQL; writes BENCHMARKS.md
    .venv/bin/python bench/bench_gen_data.py --runs 1 --databases sqlite --no-write
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/fazhi_bench"
START, END = "<!-- bench_gen_data:start -->", "<!-- bench_gen_data:end -->"
INTRO = """# Benchmarks

Figures measured by the scripts in `bench/` (see `bench/README.md`), each with the command that produced
it and the machine it ran on. Times are medians over several runs, compared with a baseline measured in the
same run.
"""


# --- measuring a child process ------------------------------------------------------------------------------


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """Run argv; return its stdout, peak RSS in MB and CPU seconds (from wait4: its own, no other's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{shlex.join(argv)} failed:\n{err.read().decode()}")
        return out.read().decode(), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def run(argv: list[str], env: dict[str, str]) -> str:
    return subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


# --- databases ----------------------------------------------------------------------------------------------


@dataclass
class Database:
    name: str  # "sqlite" or "postgresql"
    url: str
    tmp: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fazhi.settings",
            "DATABASE_URL": self.url,
            "FAZHI_DATA_DIR": str(self.tmp / "var"),
            "PYTHONPATH": str(ROOT),
        }

    def recreate(self) -> None:
        """An empty database with the current migrations applied."""
        if self.name == "sqlite":
            path = Path(urlsplit(self.url).path)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            parts = urlsplit(self.url)
            target = [
                "-h",
                parts.hostname or "127.0.0.1",
                "-p",
                str(parts.port or 5432),
                "-U",
                parts.username or "",
            ]
            dbname = parts.path.lstrip("/")
            run(["dropdb", "--if-exists", *target, dbname], self.env())
            run(["createdb", *target, dbname], self.env())
        run([sys.executable, "-m", "fazhi.cli", "migrate", "-v", "0"], self.env())

    def version(self) -> str:
        if self.name == "sqlite":
            return f"SQLite {sqlite3.sqlite_version}"
        import psycopg

        with psycopg.connect(self.url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {row[0].split()[0] if row else '?'}"


# --- the baseline child -------------------------------------------------------------------------------------

PASSWORD_HASH = "pbkdf2_sha256$1200000$" + "s" * 22 + "$" + "h" * 44  # the length of a real Django hash


def baseline_tables(counts: dict[str, int], now: Any) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """The same number of rows per table as the generator wrote, as flat tuples with valid foreign keys."""
    regions, units, groups = counts["orgs.region"], counts["orgs.unit"], counts["orgs.unitgroup"]
    users = counts["orgs.user"]
    return [
        (
            "orgs_region",
            ["id", "name", "level", "code", "path", "parent_id"],
            [(i, f"示范地区{i}", "town", f"{i:012d}", f"/1/{i}/", None if i == 1 else 1)
             for i in range(1, regions + 1)],
        ),
        (
            "orgs_unit",
            ["id", "name", "kind", "is_enforcement_body", "is_decision_body", "is_active", "phone", "note",
             "sort_order", "region_id"],
            [(i, f"示范单位{i}", "department", True, False, True, "0571-5550000", "", i, 1 + i % regions)
             for i in range(1, units + 1)],
        ),
        (
            "orgs_unitgroup",
            ["id", "name", "kinds", "flags", "include_subregions", "note", "region_id"],
            [(i, f"示范分组{i}", "[]", '["is_enforcement_body"]', True, "", 1 + i % regions)
             for i in range(1, groups + 1)],
        ),
        (
            "orgs_unitgroup_members",
            ["id", "unitgroup_id", "unit_id"],
            [(i, 1 + i % groups, i) for i in range(1, counts["orgs.unitgroup_members"] + 1)],
        ),
        (
            "orgs_alias",
            ["id", "name", "valid_from", "valid_to", "note", "region_id", "unit_id", "group_id"],
            [(i, f"示范别名{i}", None, None, "", 1 + i % regions, i, None)
             for i in range(1, counts["orgs.alias"] + 1)],
        ),
        (
            "orgs_user",
            ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
             "is_staff", "is_active", "date_joined", "full_name", "phone"],
            [(i, PASSWORD_HASH, None, False, f"bench-{i}", "", "", "", False, True, now, "王建国",
              "13800000000") for i in range(1, users + 1)],
        ),
        (
            "orgs_roleassignment",
            ["id", "role", "region_id", "user_id", "unit_id"],
            # One role per account, then unit head roles for the accounts that hold two roles.
            [(i, "liaison" if i <= users else "unit_head", None, 1 + i % users, 1 + i % units)
             for i in range(1, counts["orgs.roleassignment"] + 1)],
        ),
    ]  # fmt: skip


def baseline_child(url: str, counts: dict[str, int]) -> dict[str, Any]:
    now: Any
    if url.startswith("sqlite"):
        conn: Any = sqlite3.connect(urlsplit(url).path)
        # The same pragmas Django's settings give the generator's connection.
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        placeholder, now = "?", "2025-01-01 00:00:00"  # as Django stores datetimes in SQLite
    else:
        import psycopg

        conn = psycopg.connect(url)
        placeholder = "%s"
        now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    tables = baseline_tables(counts, now)
    started = time.perf_counter()
    cursor = conn.cursor()
    for table, columns, rows in tables:
        marks = ", ".join([placeholder] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    conn.commit()
    seconds = time.perf_counter() - started
    conn.close()
    return {"seconds": seconds, "rows": sum(len(rows) for _t, _c, rows in tables)}


# --- the benchmark ------------------------------------------------------------------------------------------


@dataclass
class Runs:
    database: str
    version: str = ""
    gen_seconds: list[float] = field(default_factory=list)
    gen_rss: list[float] = field(default_factory=list)
    gen_cpu: list[float] = field(default_factory=list)
    base_seconds: list[float] = field(default_factory=list)
    stage_seconds: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def ratios(self) -> list[float]:
        return [gen / base for gen, base in zip(self.gen_seconds, self.base_seconds, strict=True)]


def bench(db: Database, runs: int, scale: str, seed: int) -> Runs:
    result = Runs(db.name)
    for number in range(1, runs + 1):
        db.recreate()
        result.version = result.version or db.version()
        argv = [
            sys.executable,
            "-m",
            "fazhi.cli",
            "gen-data",
            "--scale",
            scale,
            "--seed",
            str(seed),
            "--json",
            # The stages the executemany baseline knows how to mirror (bench_supervision_load.py covers the
            # plans and reports).
            "--stages",
            "regions,units,directory,people",
        ]
        out, rss, cpu = run_measured(argv, db.env())
        summary = json.loads(out)
        result.rows = summary["rows"]
        result.gen_seconds.append(summary["seconds"])
        result.gen_rss.append(rss)
        result.gen_cpu.append(cpu)
        for stage in summary["stages"]:
            result.stage_seconds.setdefault(stage["name"], []).append(stage["seconds"])

        db.recreate()
        argv = [sys.executable, __file__, "--baseline-child", db.url, json.dumps(result.rows)]
        out, _rss, _cpu = run_measured(argv, db.env())
        baseline = json.loads(out)
        assert baseline["rows"] == result.total_rows
        result.base_seconds.append(baseline["seconds"])
        print(
            f"{db.name} run {number}/{runs}: generator {summary['seconds']:.2f} s, peak RSS {rss:.0f} MB; "
            f"baseline {baseline['seconds']:.2f} s",
            file=sys.stderr,
        )
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM"
    import django

    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def table(results: list[Runs], runs: int) -> str:
    lines = [
        "| Database | Runs | Rows | Generator, median | Generator CPU, median | Peak RSS, median | Rows/s "
        "| Baseline `executemany`, median | Generator / baseline, median |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        gen = statistics.median(r.gen_seconds)
        lines.append(
            f"| {r.version} | {runs} | {r.total_rows:,} | {gen:.2f} s | {statistics.median(r.gen_cpu):.2f} s "
            f"| {statistics.median(r.gen_rss):.0f} MB | {r.total_rows / gen:,.0f} "
            f"| {statistics.median(r.base_seconds):.2f} s "
            f"| {statistics.median(r.ratios()):.1f}× |"
        )
    return "\n".join(lines)


def stage_line(r: Runs) -> str:
    medians = {name: statistics.median(times) for name, times in r.stage_seconds.items()}
    rest = statistics.median(r.gen_seconds) - sum(medians.values())
    return (
        " · ".join(f"{name} {seconds:.2f} s" for name, seconds in medians.items())
        + f"; the rest of the median total (about {rest:.2f} s) is the existence check"
        + " and the one password hash"
    )


def section(results: list[Runs], runs: int, scale: str, command: str, load: tuple[float, float]) -> str:
    rows = " · ".join(f"{label} {count:,}" for label, count in results[0].rows.items())
    per_run = "\n".join(
        f"- {r.database}: generator {', '.join(f'{s:.2f}' for s in r.gen_seconds)} s; "
        f"baseline {', '.join(f'{s:.2f}' for s in r.base_seconds)} s; "
        f"peak RSS {', '.join(f'{m:.0f}' for m in r.gen_rss)} MB; "
        f"generator CPU {', '.join(f'{c:.2f}' for c in r.gen_cpu)} s"
        for r in results
    )
    stages = "\n".join(f"- {r.database}: {stage_line(r)}" for r in results)
    return f"""{START}
## Data generator: `fazhi gen-data --scale {scale}`

Command: `{command}`

Measured {datetime.date.today().isoformat()} on {machine()}. One-minute load average {load[0]:.1f} before
the runs and {load[1]:.1f} after them: the machine was shared, so the figures carry that noise.

Rows written per run (audit entries not counted): {rows}.

{table(results, runs)}

Per run:
{per_run}

Generator stages, median seconds:
{stages}

The generator's time is its own, from the start of `generate()` to the last commit (Django start-up excluded),
and includes hashing the one shared password. Peak RSS and CPU time (user + system) are those of the
generating process, from `wait4`; the CPU time includes Django's start-up and is less disturbed than the
wall-clock time when other work shares the machine, but leaves out the database server's own work. The
baseline inserts the same number of rows into the same tables, as prebuilt tuples through the driver's
`executemany` in one transaction, timed from the first insert to the commit; the ratio is taken per run.
psycopg's `executemany` sends one prepared INSERT per row (pipelined), while `bulk_create` sends INSERTs of up
to 1,000 rows each, so on PostgreSQL the baseline is the plain-driver way of inserting, not the fastest way
the server can load rows (COPY would be).
{END}
"""


def write(text: str) -> None:
    from bench.http_load import write_section

    write_section(text, START, END, INTRO)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--baseline-child"]:
        print(json.dumps(baseline_child(argv[1], json.loads(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="dropped and recreated on every run")
    parser.add_argument("--no-write", action="store_true", help=f"do not update {BENCHMARKS.name}")
    options = parser.parse_args(argv)
    command = shlex.join([os.path.relpath(sys.executable, ROOT), "bench/bench_gen_data.py", *argv])
    results = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-gen-data-") as tmp:
        for name in options.databases.split(","):
            if name == "sqlite":
                db = Database(name, f"sqlite:///{tmp}/bench.sqlite3", Path(tmp))
            elif name == "postgresql":
                db = Database(name, options.pg_url, Path(tmp))
            else:
                parser.error(f"unknown database {name!r}")
            results.append(bench(db, options.runs, options.scale, options.seed))
    print(table(results, options.runs))
    if not options.no_write:
        write(section(results, options.runs, options.scale, command, (load_before, os.getloadavg()[0])))
        print(f"\nWritten to {BENCHMARKS.relative_to(ROOT)}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
