"""The REST API's pages against the raw SQL that reads the same rows, on 200,000 reports and 200,000 updates.

Usage, from the repository root::

    .venv/bin/python bench/api.py                 # seeds mss_bench_api once, then measures
    .venv/bin/python bench/api.py --fresh         # seeds again from nothing
    .venv/bin/python bench/api.py --requests 100  # more requests per series

The database ``mss_bench_api`` is seeded with COPY (200,000 operation reports with their hotspots
and contingents, 200,000 posts and their updates with mentions) and kept for the next run. The
portal is served by gunicorn (2 workers, production settings) on 127.0.0.1, and an analyst reads
with an API token, as a partner system would:

- a 100-item page of /api/v1/reports/ and /api/v1/updates/, the first page and a deep page (a
  cursor 90 % of the way down), each request timed (p50, p95) and requests per second measured
  with 2 clients at once;
- next to the raw baseline of the same run: the same 100 rows and the same fields read by
  hand-written SQL (psycopg2, no ORM, one query with the related rows aggregated in it) and
  encoded with json.dumps.

It prints the figures, the ratios and the targets (a page within 3x the raw baseline; a deep page
within 1.2x the first), then EXPLAIN ANALYZE of every query the API runs for those pages.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    COLLECTIONS,
    REPO_ROOT,
    RawPage,
    django_env,
    emit,
    ensure_database,
    free_port,
    get,
    machine,
    manage,
    serve,
)

DATABASE = "mss_bench_api"
REPORTS = 200_000
UPDATES = 200_000
PAGE = 100
TARGET_PAGE_VS_RAW = 3.0
TARGET_DEEP_VS_FIRST = 1.2
CONTINGENTS = [("KE", "Kenya"), ("JM", "Jamaica"), ("BZ", "Belize"), ("GT", "Guatemala"), ("BS", "Bahamas")]
START = datetime(2024, 3, 1, tzinfo=UTC)

# --- Django in this process (seeding, the token, the query plans) --------------------------------


def setup_django() -> None:
    os.environ.update(django_env(DATABASE))
    import django

    django.setup()


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples of Python values, None for NULL) into a table; returns how many."""
    from django.db import connection

    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write(",".join(_cell(value) for value in row))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.copy_expert(f'COPY "{table}" ({quoted}) FROM STDIN WITH (FORMAT csv)', buffer)
    return count


def _cell(value) -> str:
    # COPY's CSV: an unquoted empty field is NULL, a quoted one an empty string.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def _defaults(model, given: list[str]) -> tuple[list[str], tuple]:
    """The model's other columns and their default values, so new fields never break the COPY."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        value = None if field.null else field.get_default()  # "" for text without a default
        if value is None and not field.null:
            raise RuntimeError(
                f"{model.__name__}.{field.name} has no default: give it a value in bench/api.py"
            )
        value = json.dumps(value) if isinstance(value, dict | list) else value
        columns.append(field.column)
        values.append(value)
    return columns, tuple(values)


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _rows(model, columns: list[str], generate):
    extra_columns, extra_values = _defaults(model, columns)
    return [*columns, *extra_columns], (tuple(_value(v) for v in row) + extra_values for row in generate())


def _setval(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        # Table names are the models' own, never input.
        cursor.execute(f'SELECT setval({sequence}, COALESCE(MAX(id), 1)) FROM "{table}"')  # noqa: S608


def seed(reports: int, updates: int) -> float:
    """Top the bench database up to ``reports`` reports and ``updates`` updates (COPY). Returns seconds."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from hotspots.models import Hotspot
    from ingestion.models import Mention, Post, Source, Update
    from operations.models import Contingent, OperationReport

    started = time.perf_counter()
    have_reports, have_updates = OperationReport.objects.count(), Update.objects.count()
    if have_reports >= reports and have_updates >= updates:
        print(f"seed: {have_reports:,} reports and {have_updates:,} updates already there", flush=True)
        return 0.0
    rng = random.Random(20250301)
    users = get_user_model()
    author, _ = users.objects.get_or_create(username="bench-reporter")
    approver, _ = users.objects.get_or_create(username="bench-approver")
    contingents = [
        Contingent.objects.get_or_create(country_code=c, defaults={"name": n})[0] for c, n in CONTINGENTS
    ]
    source, _ = Source.objects.get_or_create(
        name="bench official", defaults={"kind": "file", "is_official": True}
    )
    press, _ = Source.objects.get_or_create(
        name="bench press", defaults={"kind": "file", "is_official": False}
    )
    hotspots = list(Hotspot.objects.filter(location__isnull=False).values_list("id", "name"))
    now = datetime.now(UTC)
    seconds = int((now - START).total_seconds())

    with transaction.atomic():
        first = (OperationReport.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        count = reports - have_reports
        kinds = ["patrol", "clearance", "escort", "checkpoint", "raid", "site_security"]

        def report_rows():
            for i in range(first, first + max(count, 0)):
                started_at = START + timedelta(seconds=rng.randrange(seconds))
                status = rng.choice(["draft", "submitted", "approved", "approved"])
                placed = i % 3 == 0
                yield (
                    i,
                    now,
                    now,
                    f"BENCH-{i:07d}",
                    f"Operation {i}",
                    "Patrols and checkpoints; barricades removed." if i % 2 else "",
                    rng.choice(kinds),
                    started_at,
                    started_at + timedelta(hours=rng.randrange(1, 12)),
                    f"SRID=4326;POINT({-72.35 + rng.random() * 0.1:.5f} {18.5 + rng.random() * 0.1:.5f})"
                    if placed
                    else None,
                    rng.randrange(10, 300),
                    rng.randrange(0, 5),
                    rng.choice(["public", "partners", "mission"]),
                    status,
                    author.pk,
                    approver.pk if status == "approved" else None,
                    started_at + timedelta(days=1) if status == "approved" else None,
                )

        columns = [
            "id", "created_at", "updated_at", "reference", "title", "summary", "operation_kind", "started_at",
            "ended_at", "location", "personnel_deployed", "arrests", "releasability", "status", "author_id",
            "approved_by_id", "approved_at",
        ]  # fmt: skip
        all_columns, rows = _rows(OperationReport, columns, report_rows)
        done = _copy(OperationReport._meta.db_table, all_columns, rows)
        through = OperationReport.hotspots.through
        _copy(
            through._meta.db_table,
            ["operationreport_id", "hotspot_id"],
            (
                (i, h)
                for i in range(first, first + done)
                for h in rng.sample([h for h, _ in hotspots], 1 + (i % 4 == 0))
            ),
        )
        _copy(
            OperationReport.contingents.through._meta.db_table,
            ["operationreport_id", "contingent_id"],
            ((i, contingents[i % len(contingents)].pk) for i in range(first, first + done)),
        )
        print(f"seed: {done:,} reports copied", flush=True)

        first = (Post.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        count = updates - have_updates
        published = {
            i: None if i % 100 == 0 else START + timedelta(seconds=rng.randrange(seconds))
            for i in range(first, first + max(count, 0))
        }

        def post_rows():
            for i, at in published.items():
                yield (
                    i,
                    now,
                    now,
                    (source if i % 5 else press).pk,
                    f"bench-{i}",
                    f"https://x.com/mss/status/{i}",
                    "MSS_Haiti",
                    f"Joint patrol number {i} with the HNP in the area; the road is open again.",
                    "en",
                    at,
                    json.dumps({"id": f"bench-{i}"}),
                    f"{i:064x}",
                    "processed",
                    now,
                    now,
                )

        columns = [
            "id", "created_at", "updated_at", "source_id", "external_id", "url", "author", "text", "language",
            "published_at", "raw", "content_hash", "state", "processed_at", "fetched_at",
        ]  # fmt: skip
        all_columns, rows = _rows(Post, columns, post_rows)
        done = _copy(Post._meta.db_table, all_columns, rows)

        update_kinds = ["security_operation", "deployment", "training", "incident", "statement"]

        def update_rows():
            for i, at in published.items():
                figures = {"personnel": rng.randrange(20, 400)} if i % 4 == 0 else {}
                yield (i, now, now, i, rng.choice(update_kinds), json.dumps(figures), at, "auto")

        columns = [
            "id",
            "created_at",
            "updated_at",
            "post_id",
            "kind",
            "figures",
            "published_at",
            "review_state",
        ]
        all_columns, rows = _rows(Update, columns, update_rows)
        _copy(Update._meta.db_table, all_columns, rows)
        _copy(
            Mention._meta.db_table,
            ["update_id", "hotspot_id", "matched_text", "start", "end"],
            (
                (i, h, name, 10 * k, 10 * k + len(name))
                for i in published
                for k, (h, name) in enumerate(rng.sample(hotspots, 1 + (i % 3 == 0)))
            ),
        )
        _copy(
            Update.contingents.through._meta.db_table,
            ["update_id", "contingent_id"],
            ((i, contingents[i % len(contingents)].pk) for i in published if i % 4 == 0),
        )
        print(f"seed: {done:,} posts and updates copied", flush=True)
        for model in (OperationReport, Post, Update, Mention):
            _setval(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def issue_token() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.services import api_token_issue

    analyst, _ = get_user_model().objects.get_or_create(username="bench-analyst")
    analyst.groups.add(Group.objects.get(name="analyst"))
    return api_token_issue(user=analyst, name="bench/api.py", expires_days=1)[1]


def deep_cursor(table: str, column: str, ordering: str, fraction: float = 0.9) -> str:
    """The cursor of the page that starts ``fraction`` of the way down (the API's own cursor format)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Table and column names are this module's constants, never input.
        cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" IS NOT NULL')  # noqa: S608
        offset = int(cursor.fetchone()[0] * fraction)
        cursor.execute(
            f'SELECT "{column}", id FROM "{table}" WHERE "{column}" IS NOT NULL '  # noqa: S608
            f'ORDER BY "{column}" DESC, id DESC OFFSET %s LIMIT 1',
            [offset],
        )
        value, pk = cursor.fetchone()
    document = json.dumps(
        {"o": ordering, "v": value.astimezone(UTC).isoformat(), "p": pk}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


def explain(path: str, token: str) -> list[tuple[str, str]]:
    """Every query the API runs for ``path``, with its EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "auth_permission" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


# --- Serving and measuring -----------------------------------------------------------------------


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def measure(port: int, path: str, token: str, raw: RawPage, sql: str, position: tuple, requests: int):
    """API and raw samples taken in turn, so both see the same load on a shared machine."""
    for _ in range(5):  # warm up both workers and their connections
        _, status, _, body = get(port, path, token)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
        raw(sql, position)
    items = len(json.loads(body)["results"])
    api_samples, raw_samples = [], []
    for _ in range(requests):
        api_samples.append(get(port, path, token)[0])
        raw_samples.append(raw(sql, position))
    # Throughput: two clients at once.
    done: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for _ in range(n):
            elapsed = get(port, path, token)[0]
            with lock:
                done.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(requests // 2,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    api = {**percentiles(api_samples), "requests_per_second": round(len(done) / wall, 1), "items": items}
    baseline = {**percentiles(raw_samples), "items": raw.items, "bytes": raw.bytes}
    return api, baseline


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fresh", action="store_true", help="drop and seed mss_bench_api again")
    parser.add_argument("--requests", type=int, default=60, help="requests per series (default 60)")
    parser.add_argument("--no-explain", action="store_true", help="skip the query plans")
    args = parser.parse_args()

    created = ensure_database(DATABASE, fresh=args.fresh)
    from contextlib import closing

    import psycopg2

    with closing(psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:  # as production's SSD: without it the planner prefers full scans
            cursor.execute(f'ALTER DATABASE "{DATABASE}" SET random_page_cost = 1.1')
    manage(DATABASE, "migrate", "--no-input", "-v0")
    if created:
        manage(DATABASE, "load_gazetteer", quiet=True)
    setup_django()
    seed_seconds = seed(REPORTS, UPDATES)
    token = issue_token()

    log = REPO_ROOT / "var" / "bench-api-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    port = free_port()
    server = serve(DATABASE, port, log)
    raw = RawPage(DATABASE)
    results: dict[str, dict] = {}
    try:
        # What HTTP, gunicorn and Django's middleware cost before any API work: context for the ratios.
        floor = percentiles(
            [get(port, "/api/v1/no-such-collection/", token)[0] for _ in range(args.requests)]
        )
        for name, (path, ordering, table, column, sql) in COLLECTIONS.items():
            cursor = deep_cursor(table, column, ordering)
            first_path = f"{path}?page_size={PAGE}"
            deep_path = f"{path}?page_size={PAGE}&cursor={cursor}"
            position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            first, raw_first = measure(
                port, first_path, token, raw, sql, (datetime(9999, 1, 1, tzinfo=UTC), 0), args.requests
            )
            deep, raw_deep = measure(
                port, deep_path, token, raw, sql, (position["v"], position["p"]), args.requests
            )
            results[name] = {
                "first": first,
                "deep": deep,
                "raw_first": raw_first,
                "raw_deep": raw_deep,
                "first_vs_raw": round(first["p50_ms"] / raw_first["p50_ms"], 2),
                "deep_vs_raw": round(deep["p50_ms"] / raw_deep["p50_ms"], 2),
                "deep_vs_first": round(deep["p50_ms"] / first["p50_ms"], 2),
                "paths": [first_path, deep_path],
            }
    finally:
        raw.close()
        server.terminate()
        server.wait(timeout=20)

    print(f"\nAPI pages of {PAGE} items, {REPORTS:,} reports and {UPDATES:,} updates, gunicorn 2 workers:")
    print(f"(the floor: an unknown API path, answered 404 without the database, p50 {floor['p50_ms']} ms)")
    header = f"{'':26}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}   raw p50 ms   vs raw   deep/first"
    print(header)
    table = []
    for name, r in results.items():
        for which in ("first", "deep"):
            api, raw = r[which], r[f"raw_{which}"]
            vs_raw = r[f"{which}_vs_raw"]
            deep_first = f"{r['deep_vs_first']:.2f}x" if which == "deep" else ""
            print(
                f"/{name}/ {which + ' page':17}{api['p50_ms']:9.1f}{api['p95_ms']:9.1f}"
                f"{api['requests_per_second']:9.1f}   {raw['p50_ms']:10.2f}   {vs_raw:5.2f}x   {deep_first}"
            )
            table.append(
                {
                    "measure": f"API /{name}/ {which} 100-item page, {REPORTS // 1000}k rows (p50 ms)",
                    "value": api["p50_ms"],
                    "baseline": raw["p50_ms"],
                    "ratio": vs_raw,
                    "target": "≤ 3x raw",
                    "met": vs_raw <= TARGET_PAGE_VS_RAW,
                }
            )
        table.append(
            {
                "measure": f"API /{name}/ deep page vs first page (p50)",
                "value": r["deep"]["p50_ms"],
                "baseline": r["first"]["p50_ms"],
                "ratio": r["deep_vs_first"],
                "target": "≤ 1.2x",
                "met": r["deep_vs_first"] <= TARGET_DEEP_VS_FIRST,
            }
        )
    met = all(row["met"] for row in table)
    verdict = "met" if met else "NOT met"
    targets = f"a page within {TARGET_PAGE_VS_RAW}x raw, deep within {TARGET_DEEP_VS_FIRST}x first"
    print(f"\nTargets ({targets}): {verdict}")

    if not args.no_explain:
        for r in results.values():
            for path in r["paths"]:
                print(f"\n==== EXPLAIN ANALYZE, GET {path[:90]}{'...' if len(path) > 90 else ''}")
                for sql, plan in explain(path, token):
                    print(f"\n-- {sql[:300]}{'...' if len(sql) > 300 else ''}\n{plan}")

    emit(
        "api",
        results=results,
        floor=floor,
        table=table,
        seed_seconds=round(seed_seconds, 1),
        machine=machine(),
        targets_met=met,
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
