"""End-to-end ingestion: posts stored, queued on Redis, processed by a real Celery worker pool on PostGIS.

Usage, from the repository root::

    .venv/bin/python bench/ingest.py                 # 10,000 posts at 10k and at 1M rows
    .venv/bin/python bench/ingest.py --quick         # 2,000 posts at 10k and at 100k rows
    .venv/bin/python bench/ingest.py --posts 10000 --scales 10000,1000000 [--fresh]

For each scale (a database ``mss_bench_ingest_<scale>`` seeded by seed_demo with that many
operation reports and a fifth as many updates, capped at 200,000: 1,000,000 reports come with
200,000 updates) the benchmark:

1. starts ``celery worker -P prefork --concurrency 2 -Q ingestion,default`` as tests/integration
   does, on Redis with a key prefix of its own (CELERY_BROKER_KEY_PREFIX), against that database;
2. ingests N posts through ``ingestion.services.posts_ingest`` from this process, exactly as a
   poll or a file import does: stored in batches of 200, each batch committed and then queued in
   tasks of 25 posts;
3. waits until every one of them is processed (or failed), sampling the worker processes' RSS
   from /proc every 0.2 s;
4. prints posts/s from the first store to the last processed, the store rate alone, the
   processing latency, the largest RSS of any worker process, and EXPLAIN of the hottest
   queries of the processing, then removes its posts so the next run starts alike.

Targets (issue 7): at least 200 posts/s end to end on 2 cores; a worker process under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from bench.common import (
    PYTHON,
    REDIS_URL,
    REPO_ROOT,
    children,
    django_env,
    emit,
    machine,
    read_rss_kb,
    seeded_database,
    setup_django,
)

TARGET_POSTS_PER_SECOND = 200
TARGET_RSS_MB = 300
CONCURRENCY = 2
KEY_PREFIX = f"bench-ingest-{os.getpid()}-{uuid.uuid4().hex[:6]}:"


def database_name(scale: int) -> str:
    return (
        f"mss_bench_ingest_{scale // 1000}k"
        if scale < 1_000_000
        else f"mss_bench_ingest_{scale // 1_000_000}m"
    )


def updates_for(scale: int) -> int:
    return min(200_000, max(scale // 5, 10_000))


class RssSampler(threading.Thread):
    """The largest resident memory seen of a process and of each of its children."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb: dict[int, int] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            for pid in [self.pid, *children(self.pid)]:
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), read_rss_kb(pid))
            self.halt.wait(self.interval)

    def stop(self) -> dict[str, float]:
        self.halt.set()
        self.join()
        pool = [kb for pid, kb in self.peak_kb.items() if pid != self.pid]
        return {
            "rss_max_mb": round(max(self.peak_kb.values(), default=0) / 1024, 1),
            "rss_main_mb": round(self.peak_kb.get(self.pid, 0) / 1024, 1),
            "rss_pool_max_mb": round(max(pool, default=0) / 1024, 1),
            "pool_processes_seen": len(pool),
        }


def start_worker(database: str, log: Path) -> subprocess.Popen:
    from mss_portal.celery import app

    command = [
        PYTHON, "-m", "celery", "-A", "mss_portal", "worker", "-l", "WARNING", "-P", "prefork",
        f"--concurrency={CONCURRENCY}", "-Q", "ingestion,default", "-n", f"bench-{os.getpid()}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    env = django_env(
        database,
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_BROKER_KEY_PREFIX=KEY_PREFIX,
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited at start; see {log}")
        if app.control.ping(timeout=0.5):
            return process
    stop_worker(process)
    raise RuntimeError(f"no worker answered a ping within 60 s; see {log}")


def stop_worker(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        for pid in [*children(process.pid), process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def make_records(count: int, run: str):
    """Posts as a poll would read them: the dev posts' wording and generated ones naming hotspots."""
    from datetime import UTC, datetime, timedelta

    from demo import texts
    from hotspots.models import Hotspot
    from ingestion.parsers.records import PostRecord

    rng = random.Random(20240625)  # the same posts every run
    names = list(Hotspot.objects.filter(is_active=True).values_list("name", flat=True))
    dev = json.loads((REPO_ROOT.parent / "shared" / "data" / "posts_dev.json").read_text(encoding="utf-8"))
    dev_texts = [(p.get("note_tweet") or {}).get("text") or p["text"] for p in dev["data"]]
    now = datetime.now(UTC)
    records = []
    for n in range(count):
        if n % 4 == 0 and dev_texts:  # a quarter in the mission's real wording
            text, language = f"{rng.choice(dev_texts)} ({run}/{n})", "en"
        else:
            post = texts.post_text(rng, rng.sample(names, 2))
            text, language = post.text, post.language
        external_id = f"{run}-{n}"
        records.append(
            PostRecord(
                external_id=external_id,
                text=text,
                url=f"https://bench.invalid/{external_id}",
                author="bench",
                language=language,
                published_at=now - timedelta(seconds=count - n),
                raw={"id": external_id, "text": text},
            )
        )
    return records


def hottest_queries(source, *, posts: int = 25, top: int = 5) -> list[str]:
    """EXPLAIN ANALYZE of the queries that took longest while processing ``posts`` posts again.

    The posts lose their updates and are processed in this process as a worker processes a batch,
    inside a transaction that is rolled back; the queries are grouped by their text with the
    numbers taken out, and the costliest get an EXPLAIN.
    """
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from ingestion import selectors, services
    from ingestion.models import Post, Update

    processed = Post.objects.filter(source=source, state="processed").order_by("-pk")
    sample = list(processed.values_list("pk", flat=True)[:posts])
    if not sample:
        return []
    lines: list[str] = []
    with transaction.atomic():
        Update.objects.filter(post__in=sample).delete()
        Post.objects.filter(pk__in=sample).update(state="new", attempts=0)  # as first stored
        selectors.hotspot_matcher(), selectors.reference_matcher()  # built once per worker process
        with CaptureQueriesContext(connection) as captured:
            services.posts_process_batch(post_ids=sample)
        totals: dict[str, list] = {}
        for query in captured.captured_queries:
            shape = re.sub(r"\b\d+\b", "N", query["sql"])
            entry = totals.setdefault(shape, [0.0, 0, query["sql"]])
            entry[0] += float(query["time"])
            entry[1] += 1
        lines.append(
            f"{len(captured.captured_queries) / len(sample):.1f} queries per post processed; "
            f"the {top} costliest (total ms over {len(sample)} posts, calls):"
        )
        ranked = sorted(totals.values(), key=lambda entry: -entry[0])[:top]
        with connection.cursor() as cursor:
            for seconds, calls, sql in ranked:
                lines.append(f"-- {seconds * 1000:.1f} ms, {calls} calls: {sql[:300]}")
                verb = sql.lstrip()[:6].upper()
                if verb not in ("SELECT", "UPDATE", "INSERT", "DELETE"):
                    continue
                # ANALYZE runs the statement (in a savepoint rolled back); an INSERT run again would
                # only collide with the rows it inserted, so it gets its plan alone.
                explain = (
                    "EXPLAIN (COSTS OFF) "
                    if verb == "INSERT"
                    else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
                )
                with transaction.atomic():
                    cursor.execute(explain + sql)
                    lines += ["     " + row[0] for row in cursor.fetchall()]
                    transaction.set_rollback(True)
        transaction.set_rollback(True)
    return lines


def measure(database: str, posts: int) -> dict:
    """One end-to-end run over ``posts`` posts on ``database`` (already seeded)."""
    from django.db import connection

    from ingestion import services
    from ingestion.models import PlaceCandidate, Post, Source, Update
    from ingestion.parsers.records import ParseResult

    run = f"bench-{uuid.uuid4().hex[:8]}"
    source = Source.objects.create(name=run, kind="file", is_official=True, enabled=False)
    records = make_records(posts, run)
    log = REPO_ROOT / "var" / "bench-worker.log"
    log.parent.mkdir(exist_ok=True)
    worker = start_worker(database, log)
    sampler = RssSampler(worker.pid)
    sampler.start()
    try:
        started = time.perf_counter()
        stats = services.posts_ingest(source=source, result=ParseResult(posts=records), origin=run)
        stored = time.perf_counter() - started
        pending = Post.objects.filter(source=source, state="new")
        deadline = time.monotonic() + max(600, posts / 10)
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        finished = time.perf_counter() - started
        left = pending.count()
        failed = Post.objects.filter(source=source, state="failed").count()
    finally:
        memory = sampler.stop()
        stop_worker(worker)
    explain = hottest_queries(source)
    # The next run starts alike: this run's posts (their updates, mentions, sightings, history) go.
    Update.history.filter(post__source=source).delete()
    Post.objects.filter(source=source).delete()
    source.delete()
    PlaceCandidate.objects.filter(sightings__isnull=True).delete()
    # And the tables as autovacuum leaves them a minute later: 10,000 deleted updates otherwise slow
    # down whatever reads this week's updates next (bench/scale.py, run after this one).
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) ingestion_post, ingestion_update, ingestion_mention,"
            " ingestion_historicalupdate, ingestion_candidatesighting, ingestion_update_contingents"
        )
    connection.close()
    return {
        "posts": posts,
        "stored": stats.new,
        "unprocessed": left,
        "failed": failed,
        "seconds": round(finished, 2),
        "store_seconds": round(stored, 2),
        "posts_per_second": round(posts / finished, 1),
        "store_posts_per_second": round(posts / stored, 1),
        **memory,
        "explain": explain,
    }


def clean_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{KEY_PREFIX}*"):
        client.delete(key)


def run_scale(scale: int, posts: int, fresh: bool) -> dict:
    """Seed (or top up) the scale's database in a child process, then measure in a fresh one."""
    database = database_name(scale)
    print(f"\n== {scale:,} operation reports, {updates_for(scale):,} updates ({database})", file=sys.stderr)
    seconds = seeded_database(
        database, hotspots=1000, reports=scale, updates=updates_for(scale), training=scale // 50, fresh=fresh
    )
    print(f"seeded in {seconds:.0f} s; ingesting {posts:,} posts", file=sys.stderr)
    # Django is set up once per process and database: each scale is measured in a child process.
    output = subprocess.run(
        [PYTHON, __file__, "--measure", database, "--posts", str(posts)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result.update(
        database=database, reports=scale, updates=updates_for(scale), seed_seconds=round(seconds, 1)
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument(
        "--scales", default="10000,1000000", help="operation reports per database, comma-separated"
    )
    parser.add_argument("--quick", action="store_true", help="2,000 posts at 10k and 100k rows")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        # The posts go to Redis, for the worker, not to an in-process eager run.
        setup_django(
            args.measure,
            CELERY_BROKER_URL=REDIS_URL,
            CELERY_BROKER_KEY_PREFIX=KEY_PREFIX,
            CELERY_TASK_ALWAYS_EAGER="false",
        )
        try:
            print(json.dumps(measure(args.measure, args.posts)))
        finally:
            clean_redis()
        return 0

    posts = 2_000 if args.quick else args.posts
    scales = [10_000, 100_000] if args.quick else [int(s) for s in args.scales.split(",")]
    command = " ".join(["bench/ingest.py", *sys.argv[1:]])
    facts = machine()
    results = [run_scale(scale, posts, args.fresh) for scale in scales]

    print(f"\nEnd-to-end ingestion: {posts:,} posts, Celery prefork x{CONCURRENCY}, Redis, PostGIS")
    header = (
        f"{'rows (reports/updates)':<26} {'posts/s':>8} {'store/s':>8} {'seconds':>8} {'worker RSS max':>15}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        rows = f"{r['reports']:,} / {r['updates']:,}"
        print(
            f"{rows:<26} {r['posts_per_second']:>8,.0f} {r['store_posts_per_second']:>8,.0f} "
            f"{r['seconds']:>8.1f} {r['rss_max_mb']:>12.0f} MB"
        )
    for r in results:
        print(f"\nEXPLAIN at {r['reports']:,} reports:")
        print("\n".join(r.pop("explain")))
    first, last = results[0], results[-1]
    ratio = last["posts_per_second"] / first["posts_per_second"] if first["posts_per_second"] else None
    rss = max(r["rss_max_mb"] for r in results)
    met_rate = all(r["posts_per_second"] >= TARGET_POSTS_PER_SECOND for r in results)
    met_rss = rss < TARGET_RSS_MB
    print(
        f"\ntargets: >= {TARGET_POSTS_PER_SECOND} posts/s: {'met' if met_rate else 'NOT met'}; "
        f"worker process < {TARGET_RSS_MB} MB: {'met' if met_rss else 'NOT met'} ({rss:.0f} MB)"
    )
    if ratio is not None:
        print(f"posts/s at {last['reports']:,} rows vs {first['reports']:,}: {ratio:.2f}x")
    emit(
        "ingest",
        command=command,
        machine=facts,
        results=results,
        scale_ratio=round(ratio, 3) if ratio else None,
        targets={"posts_per_second": met_rate, "worker_rss": met_rss},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
