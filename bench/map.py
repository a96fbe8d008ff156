"""The analysts' map at scale: 1,000 hotspots and 100,000 updates, measured in headless Chromium.

Usage, from the repository root (PostGIS running, as for the tests)::

    .venv/bin/python bench/map.py            # seeds once, then measures
    .venv/bin/python bench/map.py --reseed   # drops the bench data and seeds again

It seeds the database `mss_bench_map` (bulk inserts; kept and reused on the next run), serves the
portal with gunicorn on 127.0.0.1 (2 workers, DEBUG off, gzip as in production), signs an analyst
in, and measures:

- the time from navigation to all markers drawn (the `mss:markers-drawn` performance mark the
  map sets once the canvas has painted every hotspot), with a cold browser cache (the target's
  measure) and again with a warm one (an analyst coming back), several runs;
- the bytes on the wire (gzip) of the map's first data request (map/data/activity/), and its
  size unpacked, with the server's time to answer it;
- the cost of the 60-second refresh when nothing changed (a 304);
- changing the period to 30 days: the time until the counts are redrawn.

- the same cold load on an emulated slow 3G link (Chromium's network emulation through the
  DevTools protocol: 400 kbit/s down and up, 400 ms round trip): every byte of the first load
  on the wire (headers included) and the time until the markers are drawn.

Targets (issue 5): markers drawn within 1.5 s; the first data request under 250 KB.
Targets on slow 3G (issue 15): the first load under 300 KB in all; markers within 4 s.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

DATABASE = "mss_bench_map"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgis://postgres@127.0.0.1:5432/{DATABASE}")
HOTSPOTS = 1_000
UPDATES = 100_000
REPORTS = 5_000
DAYS = 180
RUNS = 5
USERNAME = "bench-analyst"
PASSWORD = "bench-analyst-password"  # noqa: S105 - a local benchmark account
TARGET_MS = 1_500
TARGET_BYTES = 250_000
CHROMIUM = "/usr/bin/chromium"
# Slow 3G as issue 15 states it: 400 kbit/s down (and up), 400 ms round trip.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
SLOW_RUNS = 3
SLOW_TARGET_MS = 4_000
SLOW_TARGET_BYTES = 300_000

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "mss_portal.settings.local"
os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")


def _ensure_database() -> None:
    import psycopg2

    connection = psycopg2.connect(dbname="postgres", user="postgres", host="127.0.0.1", port=5432)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()


def _setup_django() -> None:
    import django

    django.setup()


# -- seeding ------------------------------------------------------------------------------------------


def _seeded() -> bool:
    from hotspots.models import Hotspot
    from ingestion.models import Update

    return Hotspot.objects.count() >= HOTSPOTS and Update.objects.count() >= UPDATES


def _clear() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE ingestion_mention, ingestion_update_contingents, ingestion_update, "
            "ingestion_historicalupdate, ingestion_post, operations_operationreport_hotspots, "
            "operations_operationreport_contingents, operations_operationreport CASCADE"
        )
    from hotspots.models import Hotspot

    Hotspot.objects.filter(slug__startswith="bench-").delete()


def _random_points(count: int, rng: random.Random) -> list:
    from django.contrib.gis.geos import Point

    from hotspots.geo import is_in_haiti

    points = []
    while len(points) < count:
        point = Point(rng.uniform(-74.4, -71.7), rng.uniform(18.05, 19.95), srid=4326)
        if is_in_haiti(point):
            points.append(point)
    return points


def seed() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from hotspots.models import Hotspot
    from ingestion.models import Mention, Post, Source, Update
    from operations.models import Contingent, OperationReport

    started = time.perf_counter()
    print("Seeding: migrations and the gazetteer ...", flush=True)
    call_command("migrate", verbosity=0)
    if not Hotspot.objects.exists():
        call_command("load_gazetteer", verbosity=0)
    _clear()
    rng = random.Random(20251128)
    kinds = ["airport", "port", "police_facility", "neighbourhood", "road_junction", "town", "public_square"]
    confidences = ["high", "medium", "low"]
    missing = HOTSPOTS - Hotspot.objects.count()
    Hotspot.objects.bulk_create(
        [
            Hotspot(
                slug=f"bench-{n:04d}",
                name=f"Bench site {n:04d}",
                kind=rng.choice(kinds),
                location=point,
                confidence=rng.choice(confidences),
                commune="Bench",
                department="Ouest",
            )
            for n, point in enumerate(_random_points(missing, rng))
        ],
        batch_size=1000,
    )
    hotspot_ids = list(Hotspot.objects.filter(location__isnull=False).values_list("pk", flat=True))
    # Activity is uneven, as in the field: a few hotspots get most of the posts.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(hotspot_ids))]
    contingents = []
    for code, name in (("KE", "Kenya"), ("JM", "Jamaica"), ("BZ", "Belize"), ("GT", "Guatemala")):
        contingent, _ = Contingent.objects.get_or_create(country_code=code, defaults={"name": name})
        contingents.append(contingent)
    source, _ = Source.objects.get_or_create(
        name="Bench feed", defaults={"kind": "file", "is_official": True}
    )
    now = timezone.now()
    update_kinds = ["security_operation", "deployment", "training", "incident", "humanitarian", "statement"]
    print(f"Seeding: {UPDATES:,} posts, updates and mentions ...", flush=True)
    batch = 10_000
    for start in range(0, UPDATES, batch):
        with transaction.atomic():
            moments = [now - timedelta(seconds=rng.uniform(0, DAYS * 86400)) for _ in range(batch)]
            posts = Post.objects.bulk_create(
                [
                    Post(
                        source=source,
                        external_id=f"bench-{start + i}",
                        url=f"https://x.com/mss/status/{start + i}",
                        text=f"Bench post {start + i}: patrols and checkpoints continued in the area.",
                        language="en",
                        published_at=moments[i],
                        raw={},
                        content_hash=f"{start + i:064x}",
                        state="processed",
                    )
                    for i in range(batch)
                ]
            )
            updates = Update.objects.bulk_create(
                [
                    Update(
                        post=post, kind=rng.choice(update_kinds), published_at=post.published_at, figures={}
                    )
                    for post in posts
                ]
            )
            mentions = []
            links = []
            for update in updates:
                named = set(rng.choices(hotspot_ids, weights=weights, k=rng.choice((1, 1, 1, 2))))
                mentions += [
                    Mention(update=update, hotspot_id=h, matched_text="site", start=10 * i, end=10 * i + 4)
                    for i, h in enumerate(named)
                ]
                if rng.random() < 0.3:
                    links.append(
                        Update.contingents.through(update=update, contingent=rng.choice(contingents))
                    )
            Mention.objects.bulk_create(mentions, batch_size=5000)
            Update.contingents.through.objects.bulk_create(links, batch_size=5000)
        print(f"  {start + batch:,}", flush=True)
    print(f"Seeding: {REPORTS:,} operation reports ...", flush=True)
    author, _ = get_user_model().objects.get_or_create(username="bench-author", defaults={"is_staff": True})
    reports = OperationReport.objects.bulk_create(
        [
            OperationReport(
                reference=f"BENCH-{n:05d}",
                title=f"Bench operation {n}",
                operation_kind="patrol",
                started_at=now - timedelta(seconds=rng.uniform(0, DAYS * 86400)),
                author=author,
                status="approved",
                approved_by=author,
                releasability="mission",
            )
            for n in range(REPORTS)
        ],
        batch_size=2000,
    )
    OperationReport.hotspots.through.objects.bulk_create(
        [
            OperationReport.hotspots.through(
                operationreport=r, hotspot_id=rng.choices(hotspot_ids, weights=weights)[0]
            )
            for r in reports
        ],
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _user()
    print(f"Seeded in {time.perf_counter() - started:.0f} s.", flush=True)


def _user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name="analyst"))
    return user


# -- serving ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# As in production (mss_portal.settings.production, static files collected and compressed, served
# by WhiteNoise), on plain HTTP to localhost: no TLS redirect, and a local key.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "mss_portal.settings.production",
    "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
}


def _collectstatic() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO_ROOT,
        env={**os.environ, **SERVER_ENV},
        check=True,
    )


def _serve(port: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    # The production web command (scripts/serve-web: gunicorn, its default of 3 workers).
    process = subprocess.Popen(
        [str(REPO_ROOT / "scripts" / "serve-web")],
        cwd=REPO_ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


# -- measuring ----------------------------------------------------------------------------------------


def _session_cookie(base: str, browser) -> list[dict]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")
    cookies = context.cookies()
    context.close()
    return cookies


def _first_request_bytes(base: str, cookies: list[dict], url: str) -> tuple[int, int, list[float]]:
    import requests

    jar = {c["name"]: c["value"] for c in cookies}
    sizes = []
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = requests.get(
            url,
            cookies=jar,
            headers={"Accept-Encoding": "gzip", "Accept": "application/json"},
            stream=True,
            timeout=30,
        )
        wire = response.raw.read(decode_content=False)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        assert response.headers.get("Content-Encoding") == "gzip", "the map's data should be gzipped"
        sizes.append(len(wire))
    import gzip

    return sizes[-1], len(gzip.decompress(wire)), times


# Where the time goes: the page's HTML, its load event (when django-leaflet creates the map), and
# the map's first data request, each from the start of the navigation.
PHASES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const data = performance.getEntriesByType('resource').find((r) => r.name.includes('/map/data/activity/'));
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  return {
    html: nav.responseEnd, load: nav.loadEventStart, dataStart: data.startTime, dataEnd: data.responseEnd,
    mapCreated: mark('mss:map-created'), drawStart: mark('mss:data-ready'),
  };
}"""


WATERFALL = """() => performance.getEntriesByType('resource').map((r) => [
  r.name.replace(location.origin, ''),
  Math.round(r.startTime), Math.round(r.responseStart), Math.round(r.responseEnd),
])"""


def measure(base: str) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict = {"draw_ms": [], "requests": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        cookies = _session_cookie(base, browser)
        activity_url = None
        for run in range(RUNS):
            context = browser.new_context(viewport={"width": 1280, "height": 900})  # a cold cache each time
            context.add_cookies(cookies)
            page = context.new_page()
            seen = []
            page.on(
                "request", lambda r, seen=seen: seen.append(r.url) if "/map/data/activity/" in r.url else None
            )
            page.goto(f"{base}/")
            page.wait_for_selector("#map[data-state=ready]", timeout=30_000)
            drawn = page.evaluate("() => performance.getEntriesByName('mss:markers-drawn')[0].startTime")
            results.setdefault("phases", []).append(page.evaluate(PHASES))
            results["waterfall"] = page.evaluate(WATERFALL)
            markers = int(page.get_attribute("#map", "data-markers"))
            results["draw_ms"].append(drawn)
            results["markers"] = markers
            activity_url = seen[0]
            # The same analyst coming back: the page's scripts and styles are in the browser's cache.
            page.goto("about:blank")
            page.goto(f"{base}/")
            page.wait_for_selector("#map[data-state=ready]", timeout=30_000)
            results.setdefault("warm_ms", []).append(
                page.evaluate("() => performance.getEntriesByName('mss:markers-drawn')[0].startTime")
            )
            if run == RUNS - 1:
                # The period widened to 30 days: until the counts are redrawn.
                before = page.get_attribute("#summary", "data-updates")
                started = page.evaluate("() => performance.now()")
                page.check("input[name=period][value='30d']")
                page.wait_for_function(
                    f"() => document.querySelector('#summary').dataset.updates !== {before!r}", timeout=30_000
                )
                results["period_ms"] = page.evaluate("() => performance.now()") - started
                results["updates_30d"] = int(page.get_attribute("#summary", "data-updates"))
            context.close()
        browser.close()
    results["wire_bytes"], results["raw_bytes"], results["server_ms"] = _first_request_bytes(
        base, cookies, activity_url
    )
    results["not_modified_ms"] = _not_modified_ms(cookies, activity_url)
    results.update(measure_slow(base, cookies))
    return results


def measure_slow(base: str, cookies: list[dict], runs: int = SLOW_RUNS) -> dict:
    """Cold loads of the map over emulated slow 3G: bytes on the wire in all, and time to markers."""
    from playwright.sync_api import sync_playwright

    results: dict = {"slow_ms": [], "slow_bytes": [], "slow_requests": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            context.add_cookies(cookies)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            wire: dict[str, float] = {}
            # encodedDataLength: what crossed the (emulated) wire for each request, headers included.
            cdp.on(
                "Network.loadingFinished",
                lambda e, wire=wire: wire.__setitem__(e["requestId"], e["encodedDataLength"]),
            )
            page.goto(f"{base}/", timeout=120_000)
            page.wait_for_selector("#map[data-state=ready]", timeout=120_000)
            results["slow_ms"].append(
                page.evaluate("() => performance.getEntriesByName('mss:markers-drawn')[0].startTime")
            )
            # Everything the first load asks for (place names, outlines) has arrived once the network is idle.
            page.wait_for_load_state("networkidle", timeout=120_000)
            results["slow_bytes"].append(sum(wire.values()))
            results["slow_requests"].append(len(wire))
            context.close()
        browser.close()
    return results


def _not_modified_ms(cookies: list[dict], url: str) -> float:
    import requests

    jar = {c["name"]: c["value"] for c in cookies}
    etag = requests.get(url, cookies=jar, timeout=30).headers["ETag"]
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = requests.get(url, cookies=jar, headers={"If-None-Match": etag}, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 304, response.status_code
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="drop the bench data and seed again")
    parser.add_argument(
        "--waterfall", action="store_true", help="print the last load's requests and their times"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium package")
    _ensure_database()
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _user()
    if args.reseed or not _seeded():
        seed()
    else:
        print("Reusing the seeded database.")
    from hotspots.models import Hotspot
    from ingestion.models import Update

    hotspots, updates = Hotspot.objects.count(), Update.objects.count()
    print("Collecting static files (as a deployment does) ...", flush=True)
    _collectstatic()
    port = _free_port()
    server = _serve(port)
    try:
        results = measure(f"http://localhost:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)

    draw = results["draw_ms"]
    median_draw = statistics.median(draw)
    warm = results["warm_ms"]
    phases = {key: statistics.median(p[key] for p in results["phases"]) for key in results["phases"][0]}
    wire, raw = results["wire_bytes"], results["raw_bytes"]
    lines = [
        "",
        f"Data: {hotspots:,} hotspots, {updates:,} updates (default period: last 7 days)",
        f"Markers drawn:         {results['markers']:,} (placed hotspots)",
        f"Navigation to markers: median {median_draw:,.0f} ms, best {min(draw):,.0f} ms, "
        f"worst {max(draw):,.0f} ms over {len(draw)} cold loads; "
        f"target {TARGET_MS:,} ms -> {median_draw / TARGET_MS:.2f} of the target",
        f"  coming back (warm browser cache): median {statistics.median(warm):,.0f} ms, "
        f"best {min(warm):,.0f} ms, worst {max(warm):,.0f} ms",
        f"  of which (medians):  HTML by {phases['html']:,.0f} ms, load event {phases['load']:,.0f} ms, "
        f"first data request {phases['dataStart']:,.0f}-{phases['dataEnd']:,.0f} ms, "
        f"map created {phases['mapCreated']:,.0f} ms, drawing from {phases['drawStart']:,.0f} ms",
        f"First data request:    {wire / 1000:,.1f} KB gzip ({raw / 1000:,.1f} KB unpacked); "
        f"target {TARGET_BYTES / 1000:,.0f} KB -> {wire / TARGET_BYTES:.3f} of the target",
        f"  answered in:         median {statistics.median(results['server_ms']):,.0f} ms "
        "(server and transfer)",
        f"Refresh, no change:    304 in median {results['not_modified_ms']:,.0f} ms",
        f"Period to 30 days:     counts redrawn in {results['period_ms']:,.0f} ms "
        f"({results['updates_30d']:,} updates)",
    ]
    slow_ms, slow_bytes = statistics.median(results["slow_ms"]), statistics.median(results["slow_bytes"])
    lines += [
        f"Slow 3G (400 kbit/s, 400 ms RTT), phone, cold, {len(results['slow_ms'])} loads:",
        f"  markers drawn:       median {slow_ms:,.0f} ms (fast link: {median_draw:,.0f} ms); "
        f"target {SLOW_TARGET_MS:,} ms -> {slow_ms / SLOW_TARGET_MS:.2f} of the target",
        f"  first load in all:   median {slow_bytes / 1000:,.1f} KB on the wire in "
        f"{statistics.median(results['slow_requests']):.0f} requests; "
        f"target {SLOW_TARGET_BYTES / 1000:,.0f} KB -> {slow_bytes / SLOW_TARGET_BYTES:.2f} of the target",
    ]
    print("\n".join(lines))
    if args.waterfall:
        print("Last load, each request: start, first byte, end (ms from navigation):")
        for name, start, first, end in results["waterfall"]:
            print(f"  {start:>6} {first:>6} {end:>6}  {name}")
    ok = (
        median_draw <= TARGET_MS
        and results["wire_bytes"] <= TARGET_BYTES
        and slow_ms <= SLOW_TARGET_MS
        and slow_bytes <= SLOW_TARGET_BYTES
    )
    print("Targets met." if ok else "Targets NOT met.")


if __name__ == "__main__":
    main()
