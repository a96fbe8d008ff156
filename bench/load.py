"""Load: 32 concurrent clients reading a mix of every list endpoint and page, for every role.

Usage, from the repository root::

    .venv/bin/python bench/load.py                         # 1,000,000 reports, 32 clients, 60 s
    .venv/bin/python bench/load.py --scale 10000 --seconds 20

The portal is served as in production (gunicorn, 2 workers, production settings, Redis cache) on
127.0.0.1, on the database bench/scale.py reads (``mss_bench_ingest_<scale>``, seeded if needed).
Each client is a thread with its own keep-alive connection that goes round the mix, from its own
starting point, until the time is up: every (role, endpoint) bench/scale.py lists that the role
may read, API lists with a token, pages and map data with a browser session. While they read,
the read cache's data version moves on every ``--write-every`` seconds (10 by default), as new
posts and reports do, so the cached answers are computed again under load.

Targets (issue 14): at least 75 requests/s, a p99 under 1 s, no error (any answer but 200).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    REPO_ROOT,
    database_url,
    emit,
    free_port,
    get,
    machine,
    serve,
)
from bench.scale import CACHE_URL, measured_at_scale

TARGET_RPS = 75
TARGET_P99_MS = 1000


def _client(port: int, mix: list[tuple[str, str, str]], start: int, deadline: float, out: list) -> None:
    """Go round ``mix`` (name, path, credential) from ``start`` until ``deadline``; append
    (name, ms, status) to ``out``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    turn = start
    while time.monotonic() < deadline:
        name, path, credential = mix[turn % len(mix)]
        turn += 1
        headers = {"Accept-Encoding": "gzip", "Accept": "application/json"}
        if credential.startswith("sessionid="):
            headers["Cookie"] = credential
        else:
            headers["Authorization"] = f"Bearer {credential}"
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        except (OSError, http.client.HTTPException) as exc:
            status, body = f"error: {exc!r}", b""
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append((name, (time.perf_counter() - started) * 1000, status))
        del body
    connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def mix_of(port: int) -> list[tuple[str, str, str]]:
    """The load's reads: (name, path, credential) for every (role, endpoint) of bench/scale.py the role
    may read, a user of each role asking (its API token, or its browser session for the pages)."""
    from analysis.pages import PageFilters, update_params
    from bench.scale import readers_of, reads

    readers = readers_of(("analyst", "reporter", "approver", "partner"))
    since = update_params(PageFilters())["published_after"]
    return [
        (f"{role} {name}", path, credential)
        for role, name, path, credential in reads(readers, since)
        if get(port, path, credential)[1] == 200  # also warms both workers' code
    ]


def measure(database: str, clients: int, seconds: float, write_every: float) -> dict:
    """In a process set up for ``database``: serve it and load it."""
    from core import read_cache

    port = free_port()
    log = REPO_ROOT / "var" / "bench-load-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = serve(database, port, log, CACHE_URL=CACHE_URL)
    try:
        mix = mix_of(port)
        results: list[tuple[str, float, object]] = []
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_client, args=(port, mix, i * 7, deadline, results), daemon=True)
            for i in range(clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        writes = 0
        while time.monotonic() < deadline:
            time.sleep(min(write_every, max(0.0, deadline - time.monotonic())))
            if time.monotonic() < deadline:
                read_cache.bump()
                writes += 1
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    times = [ms for _, ms, _ in results]
    errors = [(name, status) for name, _, status in results if status != 200]
    by_endpoint: dict[str, list[float]] = defaultdict(list)
    for name, ms, _ in results:
        by_endpoint[name].append(ms)
    slowest = sorted(
        (
            {"endpoint": name, "n": len(v), "p50_ms": round(statistics.median(v), 1),
             "p99_ms": round(_percentile(v, 0.99), 1)}
            for name, v in by_endpoint.items()
        ),
        key=lambda row: -row["p99_ms"],
    )  # fmt: skip
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(results),
        "mix": len(mix),
        "writes": writes,
        "rps": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "p99_ms": round(_percentile(times, 0.99), 1),
        "errors": len(errors),
        "error_samples": [f"{name}: {status}" for name, status in errors[:10]],
        "slowest": slowest[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="operation reports in the database")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--write-every", type=float, default=10, help="seconds between data-version moves")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import django

        os.environ["DATABASE_URL"] = database_url(args.measure)
        django.setup()
        result = measure(args.measure, args.clients, args.seconds, args.write_every)
        print(json.dumps(result))
        return 0

    facts = machine()
    result = measured_at_scale(
        __file__, args.scale, "--clients", str(args.clients), "--seconds", str(args.seconds),
        "--write-every", str(args.write_every),
    )  # fmt: skip
    print(
        f"\n{result['clients']} clients, {result['seconds']} s, {args.scale:,} reports, a mix of "
        f"{result['mix']} (role, endpoint) reads, the data version moved {result['writes']} times:\n"
        f"  {result['requests']:,} requests, {result['rps']} requests/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}"
    )
    for sample in result["error_samples"]:
        print(f"  error: {sample}")
    print("slowest (by p99):")
    for row in result["slowest"]:
        print(f"  {row['endpoint']:<40} n={row['n']:<5} p50 {row['p50_ms']:7.1f}  p99 {row['p99_ms']:7.1f}")
    met = {
        "rps": result["rps"] >= TARGET_RPS,
        "p99": result["p99_ms"] < TARGET_P99_MS,
        "no_error": result["errors"] == 0,
    }
    print("targets: " + ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in met.items()))
    emit(
        "load",
        command=" ".join(["bench/load.py", *sys.argv[1:]]),
        machine=facts,
        scale=args.scale,
        result=result,
        targets=met,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
