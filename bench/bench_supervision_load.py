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
import functools
import json
import os
from typing import Any

from bench.http_load import (
    add_load_options,
    analyze,
    command,
    db_name,
    gunicorn,
    in_child,
    load,
    load_settings,
    medians,
    report,
    setup_django,
)

PAGES = ("healthz", "supervision:dashboard", "supervision:overdue", "supervision:my_tasks")


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", help="DATABASE_URL of a smaller generated database, for query counts")
    add_load_options(parser, clients=20, requests=10, rounds=5)
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_bench")
    if args.count_queries:  # the child process of one database's query count
        setup_django(database_url)
        print(json.dumps(count_queries()))
        return

    queries = {
        db_name(url): in_child(__file__, "--count-queries", url) for url in (database_url, args.small) if url
    }
    load_before = os.getloadavg()[0]
    setup_django(database_url)
    from django.urls import reverse

    analyze()
    cookies = sessions()
    with gunicorn(database_url, args.workers) as base:
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

    load_after = os.getloadavg()[0]
    figures = {**load_settings(args), "pages": medians(rounds, "healthz"), "queries": queries}
    text = functools.partial(markdown, figures, (load_before, load_after), command(database_url, __file__))
    report(figures, text, args, (START, END))


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


if __name__ == "__main__":
    main()
