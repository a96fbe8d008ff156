"""Memory of ``manage.py ingest_posts`` on a large JSON Lines file: it must stay flat (issue 12, item 6).

Usage, from the repository root::

    .venv/bin/python bench/ingest_memory.py                  # 1 GB, on PostGIS
    .venv/bin/python bench/ingest_memory.py --size-mb 100    # a quicker look
    .venv/bin/python bench/ingest_memory.py --spatialite     # on a scratch SpatiaLite file instead
    .venv/bin/python bench/ingest_memory.py --file capture.jsonl   # an existing file, as it is

The benchmark

1. writes a JSON Lines file of realistic X posts of the given size (twarc2's flattened form: post
   objects with entities, context annotations, public metrics and the author inside; a third are
   long posts with ``note_tweet``; one in ten is a repost carrying its reposted post, one in
   twenty a quote; the texts are the mission's wording in English, French and Kreyòl from
   demo/texts.py, several sentences each, naming the seed hotspots);
2. migrates a scratch database (PostGIS ``mss_bench_ingest_memory``, dropped and created again, or
   var/bench/ingest_memory.sqlite3);
3. runs, each in a subprocess of its own, ``manage.py check`` (Django loaded: the baseline),
   ``manage.py ingest_posts --no-process`` on a 2 MB file of the same posts (the command's fixed
   cost), and then on the large file;
4. reads each process's peak resident memory from the kernel (``wait4``: ``ru_maxrss``) and samples
   /proc/<pid>/status every 0.25 s to show the memory along the run;
   on PostGIS it also runs ``ANALYZE ingestion_post`` every 20 s, as autovacuum does in
   production as a table grows: this machine's PostgreSQL runs with autovacuum off (CI settings),
   and a table growing to 400,000 rows without statistics gets plans for an empty one (each batch's
   lookup of known ids then reads every post of the source, and the run slows as it goes);
5. prints the figures, the ratios to the baselines and the target: 1 GB ingested within 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PG, PYTHON, REPO_ROOT, django_env, emit, ensure_database, machine, read_rss_kb
from demo import texts

TARGET_MB = 300
DATABASE = "mss_bench_ingest_memory"
SPATIALITE_FILE = REPO_ROOT / "var" / "bench" / "ingest_memory.sqlite3"
SMALL_FILE_MB = 2
FIRST_ID = 1_816_000_000_000_000_000
SUMMARY = re.compile(
    r"new (\d+), duplicate (\d+), changed (\d+), failed (\d+), warnings (\d+), api errors (\d+)"
)


# --- the file ----------------------------------------------------------------------------------


def place_names() -> list[str]:
    with (REPO_ROOT / "hotspots" / "data" / "hotspots_seed.csv").open(encoding="utf-8") as file:
        return [row["name"] for row in csv.DictReader(file)]


ACCOUNTS = [
    ("1790000000000000001", "MSS_Haiti", "Multinational Security Support Mission"),
    ("1790000000000000002", "PNHHaiti", "Police Nationale d'Haïti"),
    ("1790000000000000003", "ht_journal", "Journal d'Haïti"),
    ("1790000000000000004", "radio_kiskeya", "Radio Kiskeya"),
    ("1790000000000000005", "resident_pv", "Pétion-Ville resident"),
]
ANNOTATIONS = [
    {"domain": {"id": "10", "name": "Person", "description": "Named people in the world"}, "entity":
        {"id": "1001", "name": "Mission commander"}},
    {"domain": {"id": "35", "name": "Politician", "description": "Politicians in the world"}, "entity":
        {"id": "1002", "name": "Prime Minister"}},
    {"domain": {"id": "123", "name": "Ongoing News Story", "description": "Ongoing news stories"}, "entity":
        {"id": "1003", "name": "Haiti security situation"}},
    {"domain": {"id": "131", "name": "Unified Twitter Taxonomy", "description": "A taxonomy of topics"},
     "entity": {"id": "1004", "name": "Caribbean", "description": "Caribbean news"}},
]  # fmt: skip


class PostWriter:
    """Realistic post objects, one a line, as ``twarc2 flatten`` writes a capture."""

    def __init__(self, seed: int = 12) -> None:
        self.rng = random.Random(seed)
        self.names = place_names()
        self.next_id = FIRST_ID
        self.start = datetime.now(UTC) - timedelta(days=365)

    def _text(self) -> tuple[str, str]:
        rng = self.rng
        first = texts.post_text(rng, rng.sample(self.names, 2))
        sentences = [first.text]
        if rng.random() < 0.35:  # a long post: several events, a note_tweet of up to 2,000 characters
            sentences += [
                texts.post_text(rng, rng.sample(self.names, 2)).text for _ in range(rng.randint(3, 14))
            ]
        elif rng.random() < 0.5:
            sentences.append(texts.post_text(rng, rng.sample(self.names, 2)).text)
        tags = " ".join("#" + re.sub(r"\W+", "", name) for name in rng.sample(self.names, rng.randint(0, 2)))
        text = (
            " ".join(sentences) + (f" {tags}" if tags else "") + f" https://t.co/{rng.randrange(16**10):010x}"
        )
        return text, first.language

    def _entities(self, text: str) -> dict:
        entities: dict[str, list] = {}
        for match in re.finditer(r"#(\w+)", text):
            entities.setdefault("hashtags", []).append(
                {"start": match.start(), "end": match.end(), "tag": match[1]}
            )
        for match in re.finditer(r"@(\w+)", text):
            entities.setdefault("mentions", []).append(
                {"start": match.start(), "end": match.end(), "username": match[1], "id": ACCOUNTS[0][0]}
            )
        for match in re.finditer(r"https://t\.co/\w+", text):
            entities.setdefault("urls", []).append({
                "start": match.start(), "end": match.end(), "url": match[0],
                "expanded_url": f"https://mss.example.org/updates/{match[0][-10:]}",
                "display_url": f"mss.example.org/updates/{match[0][-10:-4]}…",
                "status": 200, "title": "Mission update", "unwound_url": "https://mss.example.org/updates",
            })  # fmt: skip
        return entities

    def _object(
        self, post_id: str, text: str, language: str, account: tuple[str, str, str], when: datetime
    ) -> dict:
        rng = self.rng
        item = {
            "id": post_id,
            "text": text if len(text) <= 280 else text[:277] + "…",
            "created_at": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "author_id": account[0],
            "conversation_id": post_id,
            "lang": language,
            "edit_history_tweet_ids": [post_id],
            "possibly_sensitive": False,
            "reply_settings": "everyone",
            "public_metrics": {
                "retweet_count": rng.randrange(200),
                "reply_count": rng.randrange(40),
                "like_count": rng.randrange(900),
                "quote_count": rng.randrange(20),
                "bookmark_count": rng.randrange(30),
                "impression_count": rng.randrange(90_000),
            },
            "entities": self._entities(text[:280]),
            "context_annotations": rng.sample(ANNOTATIONS, rng.randint(1, 3)),
        }
        if len(text) > 280:
            item["note_tweet"] = {"text": text, "entities": self._entities(text)}
        return item

    def post(self) -> dict:
        rng = self.rng
        self.next_id += rng.randint(1, 5000)
        post_id = str(self.next_id)
        account = rng.choice(ACCOUNTS)
        when = self.start + timedelta(seconds=(self.next_id - FIRST_ID) // 10_000)
        author = {
            "id": account[0], "username": account[1], "name": account[2], "verified": False,
            "created_at": "2024-06-25T12:00:00.000Z", "protected": False, "location": "Port-au-Prince, Haïti",
            "description": "Updates on operations in Haiti.", "profile_image_url": "https://pbs.twimg.com/p.jpg",
            "public_metrics": {"followers_count": 41_000, "following_count": 210, "tweet_count": 3_800},
        }  # fmt: skip
        roll = rng.random()
        if roll < 0.1:  # a repost: its own text cut, the reposted post inside its reference
            original_text, language = self._text()
            original = self._object(str(self.next_id - 1), original_text, language, ACCOUNTS[0], when)
            item = self._object(
                post_id, f"RT @{ACCOUNTS[0][1]}: {original_text}"[:139] + "…", language, account, when
            )
            item["referenced_tweets"] = [{"type": "retweeted", **original, "author": {"id": ACCOUNTS[0][0]}}]
        else:
            text, language = self._text()
            item = self._object(post_id, text, language, account, when)
            if roll < 0.15:
                item["referenced_tweets"] = [{"type": "quoted", "id": str(self.next_id - 7)}]
        item["author"] = author
        item["__twarc"] = {"url": "https://api.x.com/2/tweets/search/recent", "version": "2.14.0",
                           "retrieved_at": when.isoformat()}  # fmt: skip
        return item

    def write(self, path: Path, size_bytes: int) -> int:
        """Write posts to ``path`` until it holds ``size_bytes``; returns how many."""
        count = 0
        with path.open("w", encoding="utf-8") as file:
            written = 0
            while written < size_bytes:
                line = json.dumps(self.post(), ensure_ascii=False) + "\n"
                written += len(line.encode("utf-8"))
                file.write(line)
                count += 1
        return count


# --- the runs ----------------------------------------------------------------------------------


class Sampler(threading.Thread):
    """Resident memory of one process every ``interval`` seconds: (seconds since start, kB)."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self.halt.is_set():
            kb = read_rss_kb(self.pid)
            if kb:
                self.samples.append((time.monotonic() - started, kb))
            self.halt.wait(self.interval)


class Analyzer(threading.Thread):
    """``ANALYZE ingestion_post`` every ``interval`` seconds, standing in for autovacuum."""

    def __init__(self, database: str, interval: float = 20.0) -> None:
        super().__init__(daemon=True)
        self.database, self.interval = database, interval
        self.halt = threading.Event()

    def run(self) -> None:
        import psycopg2

        connection = psycopg2.connect(dbname=self.database, connect_timeout=5, **PG)
        connection.autocommit = True
        try:
            while not self.halt.wait(self.interval):
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE ingestion_post")
        finally:
            connection.close()


def run_measured(args: list[str], env: dict[str, str], log: Path, *, analyze: str | None = None) -> dict:
    """Run ``manage.py ARGS``; its peak RSS (kernel), RSS along the run, seconds and stdout."""
    started = time.perf_counter()
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [PYTHON, "manage.py", *args], cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr
        )
        sampler = Sampler(process.pid)
        sampler.start()
        analyzer = Analyzer(analyze) if analyze else None
        if analyzer:
            analyzer.start()
        stdout = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        for thread in (sampler, analyzer):
            if thread:
                thread.halt.set()
                thread.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return {
        "peak_mb": usage.ru_maxrss / 1024,  # kB on Linux
        "samples": sampler.samples,
        "seconds": seconds,
        "stdout": stdout,
        "returncode": process.returncode,
    }


def along_the_run(samples: list[tuple[float, int]]) -> str:
    """RSS at a tenth, a quarter, half, three quarters and the end of the run, in MB."""
    if not samples:
        return "?"
    end = samples[-1][0]
    points = []
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        kb = next((kb for at, kb in samples if at >= end * share), samples[-1][1])
        points.append(f"{share:.0%}: {kb / 1024:.0f}")
    return ", ".join(points) + " MB"


def prepare_database(spatialite: bool) -> dict[str, str]:
    if spatialite:
        SPATIALITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        SPATIALITE_FILE.unlink(missing_ok=True)
        env = {**django_env(DATABASE), "DATABASE_URL": f"spatialite:///{SPATIALITE_FILE}"}
    else:
        ensure_database(DATABASE, fresh=True)
        env = django_env(DATABASE)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=REPO_ROOT, env=env, check=True)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size-mb", type=float, default=1024, help="size of the generated file (default 1024)"
    )
    parser.add_argument("--file", type=Path, help="ingest this JSON Lines file instead of generating one")
    parser.add_argument("--spatialite", action="store_true", help="a scratch SpatiaLite file, not PostGIS")
    parser.add_argument("--keep-file", action="store_true", help="keep the generated file")
    parser.add_argument("--workdir", type=Path, help="where to write the file (default: a temporary folder)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mss-bench-memory-", dir=args.workdir))
    logs = REPO_ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        writer = PostWriter()
        small = workdir / "small.jsonl"
        small_posts = writer.write(small, SMALL_FILE_MB * 1024 * 1024)
        if args.file:
            large, generated = args.file, None
        else:
            large = workdir / "posts.jsonl"
            started = time.perf_counter()
            generated = writer.write(large, int(args.size_mb * 1024 * 1024))
            print(
                f"wrote {large} ({large.stat().st_size / 2**20:,.0f} MB, {generated:,} posts) in "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        size_mb = large.stat().st_size / 2**20
        env = prepare_database(args.spatialite)
        database = "SpatiaLite" if args.spatialite else "PostGIS"

        check = run_measured(["check"], env, logs / "ingest_memory.check.log")
        fixed = run_measured(
            ["ingest_posts", str(small), "--no-process", "--source", "bench small"],
            env,
            logs / "ingest_memory.small.log",
        )
        run = run_measured(
            ["ingest_posts", str(large), "--no-process", "--source", "bench memory"],
            env,
            logs / "ingest_memory.large.log",
            analyze=None if args.spatialite else DATABASE,
        )
        summary = SUMMARY.search(run["stdout"])
        if run["returncode"] or not summary:
            print(run["stdout"], (logs / "ingest_memory.large.log").read_text()[-3000:], file=sys.stderr)
            print(f"ingest_posts failed (exit {run['returncode']})", file=sys.stderr)
            return 1
        stored = int(summary[1])
        if generated is not None and stored != generated:
            print(f"stored {stored:,} posts of {generated:,} generated: {run['stdout']}", file=sys.stderr)
            return 1
    finally:
        if args.keep_file:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    peak = run["peak_mb"]
    met = peak <= TARGET_MB
    print(f"\ningest_posts --no-process, JSON Lines, {database}: {size_mb:,.0f} MB, {stored:,} posts stored")
    print(f"{'run':<42} {'peak RSS':>10} {'seconds':>9}")
    print("-" * 63)
    print(f"{'manage.py check (Django loaded)':<42} {check['peak_mb']:>7.0f} MB {check['seconds']:>9.1f}")
    label = f"ingest_posts, {SMALL_FILE_MB} MB ({small_posts:,} posts)"
    print(f"{label:<42} {fixed['peak_mb']:>7.0f} MB {fixed['seconds']:>9.1f}")
    label = f"ingest_posts, {size_mb:,.0f} MB ({stored:,} posts)"
    print(f"{label:<42} {peak:>7.0f} MB {run['seconds']:>9.1f}")
    print(f"\nRSS along the large run: {along_the_run(run['samples'])}")
    print(
        f"rate: {size_mb / run['seconds']:.1f} MB/s, {stored / run['seconds']:,.0f} posts/s; "
        f"peak vs check: {peak / check['peak_mb']:.2f}x, vs the {SMALL_FILE_MB} MB file: "
        f"{peak / fixed['peak_mb']:.2f}x"
    )
    print(
        f"target: {size_mb:,.0f} MB ingested within {TARGET_MB} MB: "
        f"{'met' if met else 'NOT met'} ({peak:.0f} MB)"
    )
    emit(
        "ingest_memory",
        command=" ".join(["bench/ingest_memory.py", *sys.argv[1:]]),
        database=database,
        file_mb=round(size_mb, 1),
        posts=stored,
        seconds=round(run["seconds"], 1),
        mb_per_second=round(size_mb / run["seconds"], 2),
        posts_per_second=round(stored / run["seconds"], 1),
        peak_rss_mb=round(peak, 1),
        check_rss_mb=round(check["peak_mb"], 1),
        small_file_rss_mb=round(fixed["peak_mb"], 1),
        ratio_to_check=round(peak / check["peak_mb"], 2),
        ratio_to_small_file=round(peak / fixed["peak_mb"], 2),
        target_mb=TARGET_MB,
        target_met=met,
        machine=machine(),
    )
    return 0 if met else 2


if __name__ == "__main__":
    sys.exit(main())
