"""Load on the supervision pages: 20 concurrent clients against gunicorn on a generated province.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench \\
        .venv/bin/python bench/bench_supervision_load.py --small postgres://postgres@127.0.0.1:5432/fazhi_bench_tiny

The database must hold `fazhi gen-data --scale province` (and --small one at another scale, for query counts).
The script starts gunicorn on a free port against DATABASE_URL, logs in a generated county coordinator and a
liaison officer with real sessions, warms up, then for each of several rounds sends the same number of
requests from `--clients` threads to each page in turn and to `healthz` (a trivial view: one `SELECT 1`), the
baseline measured in the same round. It prints per page p50/p95 latency and requests per second (medians
over rounds) and their ratios to the baseline, and the number of SQL queries each page makes in-process
(CaptureQueriesContext) on each database, which should not grow with the data.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("healthz", "supervision:dashboard", "supervision:overdue", "supervision:my_tasks")


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def personas() -> dict[str, Any]:
    """The county coordinator (office pages) and the liaison of the unit owing the most reports there."""
    from django.db.models import Count

    from fazhi.orgs.models import Role, RoleAssignment
    from fazhi.supervision.models import Report

    coordinator = (
        RoleAssignment.objects.filter(
            role=Role.COORDINATOR, region__level="county", user__username__regex=r"^g[0-9]{2}-.*-coord1$"
        )
        .select_related("user", "region")
        .order_by("region__code")
        .first()
    )
    assert coordinator is not None, "no generated county coordinator: run `fazhi gen-data` first"
    busiest = (
        Report.objects.filter(plan__region=coordinator.region)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .first()
    )
    assert busiest is not None, "the generated county has no reports"
    liaison = (
        RoleAssignment.objects.filter(role=Role.LIAISON, unit_id=busiest["unit_id"])
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    assert liaison is not None
    return {
        "coordinator": coordinator.user, "region": coordinator.region, "liaison": liaison.user,
        "unit_reports": busiest["n"],
    }  # fmt: skip


def sessions() -> dict[str, str]:
    """Real sessions (the session table) for the two personas, as the login view would create them."""
    from django.test import Client

    people = personas()
    cookies = {}
    for who in ("coordinator", "liaison"):
        client = Client()
        client.force_login(people[who])
        cookies[who] = client.cookies["sessionid"].value
    return cookies


def count_queries() -> dict[str, Any]:
    """SQL queries per page, in-process, and the size of the data behind each page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fazhi.supervision.models import Report

    people = personas()
    counts: dict[str, Any] = {"reports": Report.objects.count(), "unit_reports": people["unit_reports"]}
    counts["plan_reports"] = Report.objects.filter(plan__region=people["region"]).count()
    for page in PAGES:
        client = Client()
        if page != "healthz":  # the baseline is asked without a session, the least a request costs
            client.force_login(people["liaison" if page.endswith("my_tasks") else "coordinator"])
        client.get(reverse(page))  # first request: caches (calendars, content types) filled
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(page))
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(captured.captured_queries)
    return counts


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, cookie: str | None) -> tuple[int, float]:
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http://127.0.0.1 only)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own local server)
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def load(url: str, cookie: str | None, clients: int, per_client: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        mine, bad = [], []
        for _ in range(per_client):
            status, seconds = _get(url, cookie)
            mine.append(seconds)
            if status != 200:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{url}: {len(errors)} responses were not 200 (e.g. {errors[0]})")
    latencies.sort()
    return {
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[max(0, round(0.95 * len(latencies)) - 1)],
        "rps": len(latencies) / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", help="DATABASE_URL of a smaller generated database, for query counts")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10, help="requests per client per page per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_bench")
    if args.count_queries:  # the child process of one database's query count
        _django(database_url)
        print(json.dumps(count_queries()))
        return

    queries = {}
    for name, url in ((_db_name(database_url), database_url), (_db_name(args.small or ""), args.small)):
        if url:
            out = subprocess.run(
                [sys.executable, __file__, "--count-queries"], env={**os.environ, "DATABASE_URL": url},
                check=True, capture_output=True, text=True, cwd=ROOT,
            ).stdout  # fmt: skip
            queries[name] = json.loads(out.strip().splitlines()[-1])

    load_before = os.getloadavg()[0]
    _django(database_url)
    from django.db import connection
    from django.urls import reverse

    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics until autovacuum gets to them; measure with them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cookies = sessions()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FAZHI_DEBUG": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fazhi.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning", "--timeout", "120"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{base}{reverse('healthz')}", None)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        targets = {
            page: (
                f"{base}{reverse(page)}",
                None
                if page == "healthz"
                else cookies["liaison" if page.endswith("my_tasks") else "coordinator"],
            )
            for page in PAGES
        }
        for url, cookie in targets.values():  # warm up every worker's caches and connection
            load(url, cookie, args.workers, 2)
        rounds: dict[str, list[dict[str, float]]] = {page: [] for page in PAGES}
        for _round in range(args.rounds):
            for page, (url, cookie) in targets.items():
                rounds[page].append(load(url, cookie, args.clients, args.requests))
    finally:
        server.terminate()
        server.wait(timeout=30)

    results: dict[str, Any] = {}
    for page, runs in rounds.items():
        base_runs = rounds["healthz"]
        results[page] = {
            key: statistics.median(run[key] for run in runs) for key in ("p50_ms", "p95_ms", "rps")
        } | {
            f"{key}_ratio": statistics.median(
                run[key] / b[key] for run, b in zip(runs, base_runs, strict=True)
            )
            for key in ("p50_ms", "p95_ms", "rps")
        }
    load_after = os.getloadavg()[0]
    report = {
        "clients": args.clients, "requests_per_client": args.requests, "rounds": args.rounds,
        "workers": args.workers, "cpus": os.cpu_count(), "pages": results, "queries": queries,
    }  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    argv = [os.path.relpath(sys.executable, ROOT), os.path.relpath(__file__, ROOT), *sys.argv[1:]]
    text = markdown(report, (load_before, load_after), shlex.join([f"DATABASE_URL={database_url}", *argv]))
    print(text)
    if args.write:
        write(text)


START, END = "<!-- bench_supervision_load:start -->", "<!-- bench_supervision_load:end -->"


def markdown(report: dict[str, Any], load: tuple[float, float], command: str) -> str:
    from bench.bench_gen_data import machine

    r = report
    rows = "\n".join(
        f"| `{page}` | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['rps']:.1f} | {p['p50_ms_ratio']:.1f}× "
        f"| {p['p95_ms_ratio']:.1f}× | {p['rps_ratio']:.3f} |"
        for page, p in r["pages"].items()
    )
    counts = "\n".join(
        f"| {name} | {c['reports']:,} | {c['plan_reports']:,} | {c['unit_reports']:,} | "
        + " | ".join(str(c[page]) for page in PAGES)
        + " |"
        for name, c in r["queries"].items()
    )
    return f"""{START}
## Supervision pages under load: `bench/bench_supervision_load.py`

Command: `{command}`

Measured {datetime.date.today().isoformat()} on {machine()}; gunicorn with {r["workers"]} sync workers and
the PostgreSQL server on the same machine, {r["clients"]} client threads in the same machine too. One-minute
load average {load[0]:.1f} before and {load[1]:.1f} after: the 2 cores were shared with other people's test
runs, so absolute times are inflated and noisy; the ratios to `healthz`, measured in the same rounds, are
the figures to compare.

{r["clients"]} concurrent clients, {r["requests_per_client"]} requests each per page per round,
{r["rounds"]} rounds; medians over the rounds (ratios taken per round, then the median).

| Page | p50 ms | p95 ms | req/s | p50 / baseline | p95 / baseline | req/s / baseline |
|---|---:|---:|---:|---:|---:|---:|
{rows}

SQL queries per page (in-process, CaptureQueriesContext, second request):

| Database | Reports | In the county's plan | Of the liaison's unit | {" | ".join(f"`{p}`" for p in PAGES)} |
|---|---:|---:|---:|{"---:|" * len(PAGES)}
{counts}
{END}
"""


def write(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8")
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        updated = before + text + ("\n" + after if after else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()
