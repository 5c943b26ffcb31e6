"""Load on the public portal's decision search: anonymous clients against gunicorn on a generated province
with a year of published enforcement decisions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench_cases \\
        .venv/bin/python bench/bench_portal_load.py --clients 10 --requests 3 --rounds 3

The database must hold a generated province with its cases and their publications (`fazhi gen-data`, or
`bench.gen_data.add_stage("publications", SCALES["province"])` on a province generated before that stage).
The script starts gunicorn on a free port against DATABASE_URL, warms up, then for each of several rounds
sends the same number of requests from `--clients` threads to each kind of query in turn — the list newest
first, keywords, filters, paging, a keyword that matches nothing, a decision's page (over many decisions)
and the bodies page — and to `healthz` (one `SELECT 1`), the baseline measured in the same round. No account:
the portal is public. It prints per kind p50/p95 latency and requests per second (medians over rounds) and
their ratios to the baseline; then, in-process, each page's SQL queries (CaptureQueriesContext, second
request), their time and the page's, and the EXPLAIN ANALYZE of the slowest query of the slowest search.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import statistics
import time
from typing import Any
from urllib.parse import urlencode

from bench.http_load import (
    add_load_options,
    analyze,
    command,
    db_name,
    gunicorn,
    load,
    load_settings,
    medians,
    report,
    setup_django,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fazhi_bench_cases"
NOTHING = "量子纠缠"  # matches no generated decision
NOTHING_2 = "熊猫"  # nor does this: the worst case, no trigram to look up and no page to stop at
DETAILS = 50  # decision pages the detail kind cycles through


def queries() -> dict[str, tuple[str, list[str]]]:
    """Each kind of request: what it asks, and the paths to ask (relative to the server)."""
    from django.db.models import Count, Max
    from django.urls import reverse

    from fazhi.enforcement.models import Publication

    public = Publication.objects.public()
    busiest = public.values("unit_id").annotate(n=Count("pk")).order_by("-n", "unit_id").first()
    assert busiest is not None, "no published decision: run the gen-data stage `publications` first"
    newest = public.aggregate(day=Max("decided_on"))["day"]
    month = (newest.replace(day=1) - datetime.timedelta(days=40)).replace(
        day=1
    )  # a month, two before the last
    month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    # The busiest market regulator of a county, for keyword + body, and its county, for keyword + region.
    market = (
        public.filter(body_name__endswith="市场监督管理局")
        .values("unit_id", "unit__region_id", "unit__region__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .first()
    )
    assert market is not None
    ids = list(public.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // DETAILS)
    search = reverse("portal:enforcement_decisions")

    def q(**params: Any) -> list[str]:
        return [f"{search}?{urlencode(params)}" if params else search]

    return {
        "healthz": ("baseline: `SELECT 1`", [reverse("healthz")]),
        "newest": ("no filter, newest first", q()),
        "q 餐饮": ("keyword 餐饮 (2 characters)", q(q="餐饮")),
        "q 未取得": ("keyword 未取得", q(q="未取得")),
        "q 超范围": ("keyword 超范围", q(q="超范围")),
        "body": ("the busiest body's decisions", q(body=busiest["unit_id"])),
        "kind": ("kind: ordinary-procedure penalties", q(kind="penalty_ordinary")),
        "dates": (f"decided {month:%Y-%m-%d} to {month_end:%Y-%m-%d}", q(date_from=month, date_to=month_end)),
        "q + region": (f"keyword 餐饮 in a county ({market['unit__region__name']})",
                       q(q="餐饮", region=market["unit__region_id"])),
        "q + body": ("keyword 未取得 and that county's market regulator",
                     q(q="未取得", body=market["unit_id"])),
        "page 5": ("no filter, page 5", q(page=5)),
        "q page 5": ("keyword 餐饮, page 5", q(q="餐饮", page=5)),
        "nothing": (f"keyword {NOTHING}, which matches nothing", q(q=NOTHING)),
        "nothing 2": (f"keyword {NOTHING_2} (2 characters), which matches nothing", q(q=NOTHING_2)),
        "detail": (f"a decision's page ({DETAILS} decisions in turn)",
                   [reverse("portal:enforcement_decision", args=[pk]) for pk in ids[::step][:DETAILS]]),
        "bodies": ("the bodies page", [reverse("portal:enforcement_bodies")]),
    }  # fmt: skip


SEARCHES = ("newest", "q 餐饮", "q 未取得", "q 超范围", "body", "kind", "dates", "q + region", "q + body",
            "page 5", "q page 5", "nothing", "nothing 2")  # fmt: skip


def in_process(paths: dict[str, tuple[str, list[str]]]) -> dict[str, dict[str, Any]]:
    """Per kind: SQL queries of one request (the second: caches filled), their time, the request's time (the
    median of 3), and the slowest query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    found: dict[str, dict[str, Any]] = {}
    for kind, (_what, urls) in paths.items():
        url = urls[0]
        assert client.get(url).status_code == 200, url
        seconds, sql, slowest = [], [], ("", 0.0)
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            timed = [(q["sql"], float(q["time"])) for q in captured.captured_queries]
            sql.append(sum(t for _q, t in timed))
            slowest = max([slowest, *timed], key=lambda pair: pair[1])
        found[kind] = {
            "queries": len(captured.captured_queries), "ms": 1000 * statistics.median(seconds),
            "sql_ms": 1000 * statistics.median(sql), "bytes": len(response.content), "slowest": slowest,
        }  # fmt: skip
    return found


def explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "(EXPLAIN ANALYZE is shown on PostgreSQL only)"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def data_size() -> dict[str, int]:
    from django.db.models import Count

    from fazhi.enforcement.models import Case, Publication

    by_status = dict(Publication.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "cases": Case.objects.count(), "publications": sum(by_status.values()),
        "public": Publication.objects.public().count(), **by_status,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_load_options(parser, clients=10, requests=3, rounds=3)
    parser.add_argument("--only", default="", help="comma-separated kinds to measure (healthz is always)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_URL)

    load_before = os.getloadavg()[0]
    setup_django(database_url)
    analyze()
    paths = queries()
    if args.only:
        chosen = {"healthz", *args.only.split(",")}
        paths = {kind: value for kind, value in paths.items() if kind in chosen}
    with gunicorn(database_url, args.workers) as base:
        for _what, urls in paths.values():  # warm up every worker's caches and connection
            load([base + url for url in urls], None, args.workers, 2)
        rounds: dict[str, list[dict[str, float]]] = {kind: [] for kind in paths}
        for _round in range(args.rounds):
            for kind, (_what, urls) in paths.items():
                rounds[kind].append(load([base + url for url in urls], None, args.clients, args.requests))
    load_after = os.getloadavg()[0]
    results = medians(rounds, "healthz")
    measured = in_process(paths)
    searches = [kind for kind in SEARCHES if kind in paths]
    slowest = max(searches, key=lambda kind: results[kind]["p95_ms"]) if searches else None
    figures = {
        **load_settings(args), "database": db_name(database_url), "data": data_size(),
        "kinds": {kind: what for kind, (what, _urls) in paths.items()},
        "urls": {kind: urls[0] for kind, (_what, urls) in paths.items()},
        "load": results, "in_process": {k: {**v, "slowest": v["slowest"][1]} for k, v in measured.items()},
        "slowest_search": slowest,
        "explain": explain(measured[slowest]["slowest"][0]) if slowest else "",
        "explain_sql": measured[slowest]["slowest"][0] if slowest else "",
    }  # fmt: skip
    text = functools.partial(markdown, figures, (load_before, load_after), command(database_url, __file__))
    report(figures, text, args, (START, END))


START, END = "<!-- bench_portal_load:start -->", "<!-- bench_portal_load:end -->"


def markdown(report: dict[str, Any], load: tuple[float, float], command: str) -> str:
    from bench.bench_gen_data import machine

    r, d = report, report["data"]
    header = (
        "| Kind | What | p50 ms | p95 ms | req/s | p50 / baseline | p95 / baseline | req/s / baseline "
        "| Queries | In-process ms | SQL ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    slowest = r["slowest_search"]
    slowest_ms = 1000 * r["in_process"][slowest]["slowest"] if slowest else 0
    shown = f"{d.get('published', 0):,} published, {d.get('withdrawn', 0):,} withdrawn"
    rows = "\n".join(
        f"| {kind} | {r['kinds'][kind]} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['rps']:.1f} "
        f"| {p['p50_ms_ratio']:.1f}× | {p['p95_ms_ratio']:.1f}× | {p['rps_ratio']:.3f} "
        f"| {r['in_process'][kind]['queries']} | {r['in_process'][kind]['ms']:.0f} "
        f"| {r['in_process'][kind]['sql_ms']:.0f} |"
        for kind, p in r["load"].items()
    )
    urls = "\n".join(f"- {kind}: `{url}`" for kind, url in r["urls"].items())
    return f"""{START}
## Portal search under load: `bench/bench_portal_load.py`

Command: `{command}`

Measured {datetime.date.today().isoformat()} on {machine()}; gunicorn with {r["workers"]} sync workers, the
PostgreSQL server and the {r["clients"]} client threads on the same machine. One-minute load average
{load[0]:.1f} before and {load[1]:.1f} after (the load before says what else was running; the benchmark itself
loads both cores), so absolute times are noisy; the ratios to `healthz`, measured in the same rounds, are the
figures to compare.

Data ({r["database"]}): {d["cases"]:,} enforcement cases, {d["publications"]:,} publications of their
decisions, {d["public"]:,} of them on the portal ({shown}; {d.get("pending", 0):,} pending, not
shown).

{r["clients"]} concurrent anonymous clients, {r["requests_per_client"]} requests each per kind per round,
{r["rounds"]} rounds; medians over the rounds (ratios taken per round, then the median). The last three
columns are in-process (Django's test client, no HTTP, no concurrency; the second request, median of 3): SQL
queries, the request's time and its SQL's time, in ms.

{header}
{rows}

URLs:
{urls}

The slowest query of the slowest search by p95 (`{slowest}`, {slowest_ms:.0f} ms in-process):

```
{r["explain"]}
```
{END}
"""


if __name__ == "__main__":
    main()
