"""What the load benchmarks share: Django set up on a given database, gunicorn on a free port, concurrent GETs
from client threads, medians over rounds as ratios to a baseline measured in the same rounds, and the section
of BENCHMARKS.md a script writes (bench_supervision_load.py, bench_portal_load.py)."""

from __future__ import annotations

import argparse
import contextlib
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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("p50_ms", "p95_ms", "rps")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def db_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def in_child(script: str, flag: str, database_url: str) -> Any:
    """Run `script flag` in a subprocess on `database_url` and return the JSON of its last line of output
    (one database per process: Django's connection is set up once)."""
    out = subprocess.run(
        [sys.executable, script, flag], env={**os.environ, "DATABASE_URL": database_url},
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def analyze() -> None:
    """Fresh bulk loads have no planner statistics until autovacuum gets to them; measure with them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, cookie: str | None = None) -> tuple[int, float]:
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http://127.0.0.1 only)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (our own local server)
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int) -> Iterator[str]:
    """gunicorn serving the project on a free port against `database_url`; yields the base URL once
    `healthz` answers, and stops it afterwards."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FAZHI_DEBUG": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fazhi.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--timeout", "120"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def load(urls: str | Sequence[str], cookie: str | None, clients: int, per_client: int) -> dict[str, float]:
    """`clients` threads each send `per_client` requests one after another (to the URLs in turn, each
    client starting at another one); p50 and p95 latency in ms and requests per second over the whole."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    latencies: list[float] = []
    errors: list[tuple[str, int]] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        mine, bad = [], []
        for i in range(per_client):
            url = urls[(offset + i) % len(urls)]
            status, seconds = get(url, cookie)
            mine.append(seconds)
            if status != 200:
                bad.append((url, status))
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(i * per_client,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} responses were not 200 (e.g. {errors[0]})")
    latencies.sort()
    return {
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[max(0, round(0.95 * len(latencies)) - 1)],
        "rps": len(latencies) / wall,
    }


def medians(rounds: dict[str, list[dict[str, float]]], baseline: str) -> dict[str, dict[str, float]]:
    """Per page, the median over rounds of each figure, and of its ratio to the baseline's in each round."""
    results = {}
    base_runs = rounds[baseline]
    for page, runs in rounds.items():
        results[page] = {key: statistics.median(run[key] for run in runs) for key in KEYS} | {
            f"{key}_ratio": statistics.median(
                run[key] / b[key] for run, b in zip(runs, base_runs, strict=True)
            )
            for key in KEYS
        }
    return results


def add_load_options(parser: argparse.ArgumentParser, clients: int, requests: int, rounds: int) -> None:
    parser.add_argument("--clients", type=int, default=clients)
    parser.add_argument(
        "--requests", type=int, default=requests, help="requests per client per page per round"
    )
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")


def load_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "clients": args.clients, "requests_per_client": args.requests, "rounds": args.rounds,
        "workers": args.workers, "cpus": os.cpu_count(),
    }  # fmt: skip


def report(
    figures: dict[str, Any], markdown: Callable[[], str], args: argparse.Namespace, section: tuple[str, str]
) -> None:
    """Print the figures as JSON (--json), or as Markdown, also written into BENCHMARKS.md (--write)."""
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    text = markdown()
    print(text)
    if args.write:
        write_section(text, *section)


def command(database_url: str, script: str) -> str:
    argv = [os.path.relpath(sys.executable, ROOT), os.path.relpath(script, ROOT), *sys.argv[1:]]
    return shlex.join([f"DATABASE_URL={database_url}", *argv])


def write_section(text: str, start: str, end: str, intro: str = "") -> None:
    """Put `text` (which starts with `start` and ends with `end`) in place of that section of BENCHMARKS.md,
    or at its end the first time (after `intro` if there is no such file yet)."""
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else intro
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        updated = before + text + ("\n" + after if after else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated, encoding="utf-8")
