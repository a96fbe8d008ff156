"""API pages and the map's first request as the data grows from 10,000 to 1,000,000 operation reports.

Usage, from the repository root::

    .venv/bin/python bench/scale.py                       # at 10k and 1M reports
    .venv/bin/python bench/scale.py --scales 10000,100000 # any scales
    .venv/bin/python bench/scale.py --quick               # 10k and 100k

Each scale uses the database bench/ingest.py seeds (``mss_bench_ingest_<scale>``: that many demo
operation reports, a fifth as many updates up to 200,000, 1,000 demo hotspots), seeding it first
if needed. The portal is served as in production (gunicorn, 2 workers, production settings,
Redis cache) on 127.0.0.1, and an analyst reads, with an API token as a partner system would:

- a 100-item page of /api/v1/reports/ and /api/v1/updates/: the first page, and a deep page (a
  cursor 90 % of the way down), next to the raw baseline sampled in turn with it: the same rows
  read with one hand-written SQL query (psycopg2, no ORM) and encoded with json.dumps;
- with a browser session as the map's page does, the map's first request (/map/data/activity/, the
  last 7 days as the map asks for them): with nothing cached (the read cache's data version moved
  on before each request, as any write does) and from the cache, and its gzip bytes;
- every list endpoint of the API and every analyst page and data endpoint, for each role
  (analyst, reporter, approver, partner; a list a role may not read is noted, not timed): the
  first page as a client asks for it (the hotspot list whole), and for the answers kept whole in
  the read cache, also with nothing cached.

Each figure is the median of 15 requests, after both workers have served the page. EXPLAIN
ANALYZE of the costliest queries of each endpoint follows. Targets (issues 7 and 14) at 1,000,000
reports and 200,000 updates: a page within 3x the raw baseline, a deep page within 1.2x the first,
the map's first request under 50 ms from the cache and under 150 ms with nothing cached, every
list's first page under 200 ms for every role.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import statistics
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    BENCH_SECRET_KEY,
    COLLECTIONS,
    PYTHON,
    REPO_ROOT,
    RawPage,
    database_url,
    django_env,
    emit,
    free_port,
    get,
    machine,
    seeded_database,
    serve,
)
from bench.ingest import database_name, updates_for

REQUESTS = 15
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
TARGET_PAGE_VS_RAW = 3.0
TARGET_DEEP_VS_FIRST = 1.2
TARGET_MAP_MS = 50
TARGET_MAP_UNCACHED_MS = 150


def median_get(port: int, path: str, token: str, runs: int = REQUESTS) -> dict:
    get(port, path, token)  # warm the worker (imports, connection)
    times, size = [], 0
    for _ in range(runs):
        elapsed, status, size, body = get(port, path, token)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        times.append(elapsed)
    return {"ms": round(statistics.median(times), 2), "bytes": size}


def page_samples(database: str, port: int, token: str, sql: str, pages: list[tuple[str, tuple]]) -> list:
    """For each (API path, raw position): the page over HTTP and the raw baseline (the same rows read by
    hand-written SQL and encoded with json.dumps: no ORM, no DRF, no HTTP), sampled in turn, so that
    both see the same load on a shared machine. Returns ({"ms", "bytes"}, {"ms", "rows"}) per page."""
    raw = RawPage(database)
    api: dict[str, list[float]] = {path: [] for path, _ in pages}
    baseline: dict[str, list[float]] = {path: [] for path, _ in pages}
    sizes: dict[str, int] = {}
    try:
        for turn in range(REQUESTS + 1):  # the first turn warms the workers and the connections
            for path, position in pages:
                elapsed, status, size, body = get(port, path, token)
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
                raw_ms = raw(sql, position)
                if turn:
                    api[path].append(elapsed)
                    baseline[path].append(raw_ms)
                    sizes[path] = size
    finally:
        raw.close()
    return [
        (
            {"ms": round(statistics.median(api[path]), 2), "bytes": sizes[path]},
            {"ms": round(statistics.median(baseline[path]), 2), "rows": raw.items},
        )
        for path, _ in pages
    ]


def cursor_at(ordering: str, value, pk: int) -> str:
    """A cursor of core.api.pagination.KeysetPagination pointing after (value, pk)."""
    document = json.dumps({"o": ordering, "v": value.isoformat(), "p": pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


def explain_endpoint(path: str, token: str, top: int = 3, *, uncached: bool = False) -> list[str]:
    """EXPLAIN ANALYZE of the costliest queries one request to ``path`` runs (in this process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    credentials = (
        {"HTTP_COOKIE": token}
        if token.startswith("sessionid=")
        else {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    )
    client = Client(SERVER_NAME="localhost", **credentials)
    client.get(path)
    if uncached:
        from core import read_cache

        read_cache.bump()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    ranked = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    lines = [f"-- {path}: {len(captured.captured_queries)} queries"]
    with connection.cursor() as cursor:
        for query in [q for q in ranked if q["sql"].lstrip().upper().startswith("SELECT")][:top]:
            lines.append(f"-- {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query["sql"])
            lines += ["     " + row[0] for row in cursor.fetchall()]
    return lines


# Every list the portal serves, first page as a client asks for it: (name, path, read with a session).
ENDPOINTS = [
    ("api hotspots (whole)", "/api/v1/hotspots/", False),
    ("api updates", "/api/v1/updates/", False),
    ("api reports", "/api/v1/reports/", False),
    ("api training-records", "/api/v1/training-records/", False),
    ("api contingents", "/api/v1/contingents/", False),
    ("api posts", "/api/v1/posts/", False),
    ("api place-candidates", "/api/v1/place-candidates/", False),
    ("api deleted", "/api/v1/deleted/", False),
    ("api webhooks", "/api/v1/webhooks/", False),
    ("map data activity", "/map/data/activity/?published_after={since}", True),
    ("map data weekly", "/map/data/weekly/?published_after={since}", True),
    ("page map", "/", True),
    ("page list", "/updates/", True),
    ("page dashboard", "/dashboard/", True),
    ("page hotspot", "/hotspots/{slug}/", True),
    ("page briefing", "/briefing/", True),
    ("page notifications", "/notifications/", True),
    # OGC API - Features: what a partner's QGIS or GDAL reads, a page of each collection.
    ("ogc hotspots items", "/ogc/collections/hotspots/items", False),
    ("ogc updates items", "/ogc/collections/updates/items", False),
    ("ogc reports items", "/ogc/collections/operation-reports/items", False),
    ("ogc training items", "/ogc/collections/training-records/items", False),
]
# Answers (or their counts) kept in the read cache: their figure with nothing cached is measured too.
CACHED_ANSWERS = (
    "api hotspots (whole)",
    "map data activity",
    "page list",
    "page briefing",
    "ogc updates items",
    "ogc reports items",
)
TARGET_LIST_MS = 200


def endpoint_matrix(port: int, readers: dict, since: str) -> list[dict]:
    """Every list endpoint and page for every role: the median first request (over REQUESTS, after one
    to warm), and for the cached answers the median with nothing cached (the read cache's version
    moved on before each request, as any write does). Lists a role may not read are noted, not timed."""
    from core import read_cache

    rows = []
    for role, name, path, credential in reads(readers, since):
        _, status, _, _ = get(port, path, credential)
        row = {"role": role, "endpoint": name, "path": path, "status": status}
        if status == 200:
            row.update(median_get(port, path, credential))
            if name in CACHED_ANSWERS:
                cold = []
                for _ in range(5):
                    read_cache.bump()
                    cold.append(get(port, path, credential)[0])
                row["cold_ms"] = round(statistics.median(cold), 1)
        rows.append(row)
        shown = f"{row['ms']:8.1f} ms" if "ms" in row else f"  ({status})"
        cold_text = f", nothing cached {row['cold_ms']:.1f} ms" if "cold_ms" in row else ""
        print(f"  {role:<9} {name:<24} {shown}{cold_text}", file=sys.stderr, flush=True)
    return rows


def reads(readers: dict, since: str) -> Iterator[tuple[str, str, str, str]]:
    """(role, endpoint, path, credential) for every endpoint of ENDPOINTS and every reader of
    ``readers`` (`readers_of`): its browser session for the pages, its API token for the rest."""
    from urllib.parse import quote

    from hotspots.models import Hotspot

    slug = Hotspot.objects.order_by("pk").values_list("slug", flat=True).first()
    for role, (token, browser) in readers.items():
        for name, template, by_session in ENDPOINTS:
            yield role, name, template.format(since=quote(since), slug=slug), browser if by_session else token


def readers_of(roles) -> dict[str, tuple[str, str]]:
    """For each role, a user of it: {role: (API token, browser session cookie)}."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group

    from accounts.services import api_token_issue

    readers = {}
    for role in roles:
        user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}")
        user.groups.set([Group.objects.get(name=role)])
        _, token = api_token_issue(user=user, name="bench")
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session.update(
            {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1]}
            | {HASH_SESSION_KEY: user.get_session_auth_hash()}
        )
        session.create()
        readers[role] = (token, f"sessionid={session.session_key}")
    return readers


def measure(database: str) -> dict:
    """In a process set up for ``database``: serve it, read the API and the map, compare with raw SQL."""
    from django.db import connection
    from django.utils import timezone

    from accounts.roles import ANALYST, APPROVER, PARTNER, REPORTER
    from analysis.pages import PageFilters, update_params
    from core import read_cache

    readers = readers_of((ANALYST, REPORTER, APPROVER, PARTNER))
    token, browser = readers[ANALYST]

    port = free_port()
    log = REPO_ROOT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = serve(database, port, log, CACHE_URL=CACHE_URL)
    result: dict = {"collections": {}}
    explain: list[str] = []
    try:
        for name, (path, ordering, table, column, sql) in COLLECTIONS.items():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608
                (total,) = cursor.fetchone()
                cursor.execute(
                    f"SELECT {column}, id FROM {table} WHERE {column} IS NOT NULL "  # noqa: S608
                    f"ORDER BY {column} DESC, id DESC OFFSET %s LIMIT 1",
                    [int(total * 0.9)],
                )
                deep_value, deep_pk = cursor.fetchone()
            first_path = f"{path}?page_size=100"
            deep_path = f"{first_path}&cursor={cursor_at(ordering, deep_value, deep_pk)}"
            far_future = (timezone.now() + timedelta(days=3650), 0)
            (first, raw_first), (deep, raw_deep) = page_samples(
                database, port, token, sql, [(first_path, far_future), (deep_path, (deep_value, deep_pk))]
            )
            result["collections"][name] = {
                "rows": total,
                "first_ms": first["ms"],
                "deep_ms": deep["ms"],
                "raw_first_ms": raw_first["ms"],
                "raw_deep_ms": raw_deep["ms"],
                "first_vs_raw": round(first["ms"] / raw_first["ms"], 2),
                "deep_vs_raw": round(deep["ms"] / raw_deep["ms"], 2),
                "deep_vs_first": round(deep["ms"] / first["ms"], 2),
                "page_bytes_gzip": first["bytes"],
            }
            explain += explain_endpoint(first_path, token) + explain_endpoint(deep_path, token)

        # The last 7 days exactly as the map's page asks for them (its first, preloaded request).
        since = update_params(PageFilters())["published_after"]
        map_path = "/map/data/activity/?published_after=" + since
        for _ in range(4):
            # Warm both workers on the uncached path (their first computation also loads code).
            read_cache.bump()
            get(port, map_path, browser)
        cold = []
        for _ in range(REQUESTS):
            read_cache.bump()  # what any write does: the next request computes the whole answer
            cold.append(get(port, map_path, browser)[0])
        warm = median_get(port, map_path, browser)
        result["map"] = {
            "cold_ms": round(statistics.median(cold), 1),
            "warm_ms": warm["ms"],
            "bytes_gzip": warm["bytes"],
            "path": map_path,
        }
        read_cache.bump()
        explain += explain_endpoint(map_path, browser, top=4, uncached=True)
        result["endpoints"] = endpoint_matrix(port, readers, since)
        read_cache.bump()
        explain += explain_endpoint("/api/v1/hotspots/", readers[PARTNER][0], top=3, uncached=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    result["explain"] = explain
    return result


def run_scale(scale: int, fresh: bool) -> dict:
    database = database_name(scale)
    print(f"\n== {scale:,} operation reports, {updates_for(scale):,} updates ({database})", file=sys.stderr)
    result = measured_at_scale(__file__, scale, fresh=fresh)
    result.update(database=database, reports=scale, updates=updates_for(scale))
    return result


def measured_at_scale(script: str, scale: int, *args: str, fresh: bool = False) -> dict:
    """Seed (or top up) ``scale``'s database (bench/ingest.py's shape), then run ``script --measure``
    on it in a child process (Django is set up once per process and database), served with the Redis
    cache; the child's last line is its result, in JSON."""
    database = database_name(scale)
    seeded_database(
        database, hotspots=1000, reports=scale, updates=updates_for(scale), training=scale // 50, fresh=fresh
    )
    output = subprocess.run(
        [PYTHON, script, "--measure", database, *args],
        cwd=REPO_ROOT,
        env={**django_env(database), "CACHE_URL": CACHE_URL, "DJANGO_SECRET_KEY": BENCH_SECRET_KEY},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,1000000", help="operation reports per database")
    parser.add_argument("--quick", action="store_true", help="10k and 100k reports")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import django

        os.environ["DATABASE_URL"] = database_url(args.measure)
        django.setup()
        print(json.dumps(measure(args.measure), default=str))
        return 0

    scales = [10_000, 100_000] if args.quick else [int(s) for s in args.scales.split(",")]
    facts = machine()
    results = [run_scale(scale, args.fresh) for scale in scales]

    print("\nAPI pages (100 items, median of 15, ms) next to raw SQL + json.dumps of the same rows")
    header = (
        f"{'collection':<10} {'rows':>10} {'first':>8} {'raw':>7} {'x raw':>6} {'deep':>8} {'raw':>7} "
        f"{'x raw':>6} {'deep/first':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        for name, c in r["collections"].items():
            print(
                f"{name:<10} {c['rows']:>10,} {c['first_ms']:>8.1f} {c['raw_first_ms']:>7.1f} "
                f"{c['first_vs_raw']:>6.2f} {c['deep_ms']:>8.1f} {c['raw_deep_ms']:>7.1f} "
                f"{c['deep_vs_raw']:>6.2f} {c['deep_vs_first']:>10.2f}"
            )
    print("\nThe map's first request (last 7 days), ms")
    for r in results:
        m = r["map"]
        print(
            f"{r['reports']:>10,} reports: nothing cached {m['cold_ms']:.1f}, "
            f"cached {m['warm_ms']:.1f}, "
            f"{m['bytes_gzip'] / 1000:.1f} KB gzip"
        )
    for r in results:
        print(f"\nEXPLAIN at {r['reports']:,} reports:")
        print("\n".join(r.pop("explain")))

    last = results[-1]
    pages = last["collections"].values()
    met = {
        "page_vs_raw": all(
            c["first_vs_raw"] <= TARGET_PAGE_VS_RAW and c["deep_vs_raw"] <= TARGET_PAGE_VS_RAW for c in pages
        ),
        "deep_vs_first": all(c["deep_vs_first"] <= TARGET_DEEP_VS_FIRST for c in pages),
        "map_cached": last["map"]["warm_ms"] < TARGET_MAP_MS,
        "map_uncached": last["map"]["cold_ms"] < TARGET_MAP_UNCACHED_MS,
        "every_list_every_role": all(row["ms"] < TARGET_LIST_MS for row in last["endpoints"] if "ms" in row),
    }
    print(
        f"\nEvery list and page, every role, first request (median of {REQUESTS}, ms), "
        f"at {last['reports']:,} reports"
    )
    for row in last["endpoints"]:
        if "ms" in row:
            cold = f"  nothing cached {row['cold_ms']:.1f}" if "cold_ms" in row else ""
            print(f"  {row['role']:<9} {row['endpoint']:<24} {row['ms']:8.1f}{cold}")
        else:
            print(f"  {row['role']:<9} {row['endpoint']:<24}   not readable ({row['status']})")
    print(
        f"\ntargets at {last['reports']:,} reports: "
        + ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in met.items())
    )
    ratios = {}
    if len(results) > 1:
        first = results[0]
        for name in last["collections"]:
            for key in ("first_ms", "deep_ms", "raw_first_ms"):
                ratios[f"{name}_{key}"] = round(
                    last["collections"][name][key] / first["collections"][name][key], 2
                )
        ratios["map_cold_ms"] = round(last["map"]["cold_ms"] / first["map"]["cold_ms"], 2)
        ratios["map_warm_ms"] = round(last["map"]["warm_ms"] / first["map"]["warm_ms"], 2)
        print(f"ratios {last['reports']:,} vs {first['reports']:,} reports: {ratios}")
    emit(
        "scale",
        command=" ".join(["bench/scale.py", *sys.argv[1:]]),
        machine=facts,
        results=results,
        scale_ratios=ratios,
        targets=met,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
