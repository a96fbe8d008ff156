"""What the benchmarks share: their own PostGIS databases, seeded demo data, the machine, one result line.

Every benchmark prints, as its last line, ``BENCH {json}``: bench/run_all.py reads it to build
the table of docs/benchmarks.md. Databases are named ``mss_bench_*`` on 127.0.0.1 and kept between
runs (seeding tops up, so a second run does not seed again); ``fresh=True`` starts them over.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(REPO_ROOT / ".venv" / "bin" / "python") if (REPO_ROOT / ".venv").exists() else sys.executable
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
BENCH_PREFIX = "BENCH "


def database_url(name: str) -> str:
    return f"postgis://{PG['user']}@{PG['host']}:{PG['port']}/{name}"


def django_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of a portal process (command, worker, gunicorn) on a bench database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mss_portal.settings.local",
        "DJANGO_DEBUG": "false",  # DEBUG keeps every query in memory: never in a benchmark
        "DATABASE_URL": database_url(database),
        "CELERY_TRACE_LOG_LEVEL": "WARNING",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _admin_connection():
    import psycopg2

    connection = psycopg2.connect(dbname="postgres", connect_timeout=5, **PG)
    connection.autocommit = True
    return connection


def ensure_database(name: str, *, fresh: bool = False) -> bool:
    """Create the database ``name`` (``mss_bench_*`` only); returns True when it was created now."""
    if not re.fullmatch(r"mss_bench_[a-z0-9_]+", name):
        raise ValueError(f"benchmarks only use their own databases (mss_bench_*), not {name!r}")
    with closing(_admin_connection()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    return not exists


def manage(database: str, *args: str, quiet: bool = False) -> str:
    """Run ``manage.py ARGS`` against a bench database; its output goes to stderr (stdout is the result)."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO_ROOT,
        env=django_env(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        text=True,
        check=True,
    )
    if not quiet and result.stdout.strip():
        print(result.stdout.rstrip(), file=sys.stderr)
    return result.stdout


def seeded_database(
    name: str,
    *,
    hotspots: int = 0,
    reports: int = 0,
    updates: int = 0,
    training: int = 0,
    fresh: bool = False,
) -> float:
    """Create, migrate and seed a bench database up to these demo counts. Returns the seconds it took."""
    started = time.perf_counter()
    ensure_database(name, fresh=fresh)
    # As docs/deploy.md configures production (SSD): without it the planner prefers whole-table scans.
    with closing(_admin_connection()) as connection, connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
    manage(name, "migrate", "--no-input", "-v0")
    manage(name, "load_gazetteer", quiet=True)
    manage(
        name,
        "seed_demo",
        f"--hotspots={hotspots}",
        f"--reports={reports}",
        f"--updates={updates}",
        f"--training={training}",
        "--allow-real-data",  # the bench's own database: a crashed run may have left its posts
        *([] if sys.stderr.isatty() else ["--no-progress"]),
    )
    return time.perf_counter() - started


def setup_django(database: str, **extra: str) -> None:
    """Configure Django in this process for a bench database."""
    os.environ.update(django_env(database, **extra))
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()


def _first_line(command: list[str]) -> str:
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return output.strip().splitlines()[0] if output.strip() else "?"


def _psql(query: str) -> str:
    try:
        with closing(_admin_connection()) as connection, connection.cursor() as cursor:
            cursor.execute(query)
            row = cursor.fetchone()
    except Exception:
        return "?"
    return str(row[0]) if row else "?"


def machine() -> dict[str, str]:
    """The facts that make figures comparable: cores, memory, CPU, versions."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        memory = f"{memory_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    redis_version = "?"
    if shutil.which("redis-cli"):
        info = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "info", "server"], capture_output=True, text=True, check=False
        ).stdout
        found = re.search(r"redis_version:(\S+)", info)
        redis_version = found.group(1) if found else "?"
    packages = {}
    for package in ("django", "celery", "gunicorn", "psycopg2"):
        try:
            from importlib.metadata import version

            packages[package] = version("psycopg2-binary" if package == "psycopg2" else package)
        except Exception:
            packages[package] = "?"
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "cpu": cpu,
        "load average (1/5/15 min, at start)": load,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": packages["django"],
        "celery": packages["celery"],
        "gunicorn": packages["gunicorn"],
        "psycopg2": packages["psycopg2"],
        "postgresql": _psql("SHOW server_version"),
        "postgis": _psql("SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'"),
        "redis": redis_version,
        "chromium": _first_line(["chromium", "--version"]) if shutil.which("chromium") else "?",
    }


def emit(name: str, **result) -> None:
    """The machine-readable last line of a benchmark."""
    print(BENCH_PREFIX + json.dumps({"bench": name, **result}, sort_keys=True, default=str), flush=True)


def read_rss_kb(pid: int) -> int:
    """Resident memory of one process, in kB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """The direct children of a process (a Celery worker's pool processes)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


# --- API pages next to raw SQL (bench/api.py, bench/scale.py) ---------------------------------------

# The same rows as a 100-item page of the API, read by one hand-written query (the baseline): each
# record with what the API shows of it, its hotspots as places and its contingents.
REPORTS_SQL = """
SELECT r.id, r.reference, r.title, r.summary, r.operation_kind, r.started_at, r.ended_at,
       ST_X(r.location), ST_Y(r.location), r.hnp_units, r.personnel_deployed, r.arrests, r.weapons_seized,
       r.personnel_injured, r.personnel_killed, r.civilians_injured, r.civilians_killed, r.status,
       r.releasability, a.username, r.submitted_at, ap.username, r.approved_at, r.created_at, r.updated_at,
       (SELECT json_agg(json_build_array(h.slug, ST_X(h.location), ST_Y(h.location), h.department, h.commune)
                        ORDER BY h.name)
          FROM operations_operationreport_hotspots rh JOIN hotspots_hotspot h ON h.id = rh.hotspot_id
         WHERE rh.operationreport_id = r.id),
       (SELECT array_agg(c.country_code) FROM operations_operationreport_contingents rc
          JOIN operations_contingent c ON c.id = rc.contingent_id WHERE rc.operationreport_id = r.id)
FROM operations_operationreport r
JOIN auth_user a ON a.id = r.author_id
LEFT JOIN auth_user ap ON ap.id = r.approved_by_id
WHERE (r.started_at, r.id) < (%s, %s)
ORDER BY r.started_at DESC, r.id DESC LIMIT 100
"""
UPDATES_SQL = """
SELECT u.id, u.kind, u.published_at, u.figures, u.review_state, u.created_at, u.updated_at,
       p.id, s.name, s.is_official, p.external_id, p.url, p.author, p.text, p.language,
       (SELECT json_agg(json_build_array(h.slug, ST_X(h.location), ST_Y(h.location), h.department, h.commune)
                        ORDER BY m.start, m.id)
          FROM ingestion_mention m JOIN hotspots_hotspot h ON h.id = m.hotspot_id WHERE m.update_id = u.id),
       (SELECT array_agg(c.country_code) FROM ingestion_update_contingents uc
          JOIN operations_contingent c ON c.id = uc.contingent_id WHERE uc.update_id = u.id)
FROM ingestion_update u
JOIN ingestion_post p ON p.id = u.post_id
JOIN ingestion_source s ON s.id = p.source_id
WHERE u.published_at IS NOT NULL AND (u.published_at, u.id) < (%s, %s)
ORDER BY u.published_at DESC, u.id DESC LIMIT 100
"""
COLLECTIONS = {
    # name: (path, ordering, table, sort column, raw SQL)
    "reports": ("/api/v1/reports/", "-started_at", "operations_operationreport", "started_at", REPORTS_SQL),
    "updates": ("/api/v1/updates/", "-published_at", "ingestion_update", "published_at", UPDATES_SQL),
}

# A benchmark's own key, for a server on 127.0.0.1 only: the server and the bench sign sessions alike.
BENCH_SECRET_KEY = "bench-only-" + "x" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(database: str, port: int, log: Path, **extra: str) -> subprocess.Popen:
    """The portal as in production (scripts/serve-web: gunicorn, 2 workers) on 127.0.0.1:``port``."""
    env = django_env(
        database,
        DJANGO_SETTINGS_MODULE="mss_portal.settings.production",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        # Not to be throttled, over a minute's window: DRF's throttle keeps one time per request of its
        # window (docs/benchmarks.md), and an hour's would grow with every run of the hour.
        API_THROTTLE_RATE="1000000/minute",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        **extra,
    )
    process = subprocess.Popen(
        [str(REPO_ROOT / "scripts" / "serve-web")],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn did not listen within 60 s; see {log}")


def get(port: int, path: str, token: str) -> tuple[float, int, int, bytes]:
    """One GET: (milliseconds, status, bytes on the wire, body unpacked).

    ``token`` is an API token (a partner system), or ``sessionid=...`` (a browser signed in).
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Accept-Encoding": "gzip", "Accept": "application/json"}
    if token.startswith("sessionid="):
        headers["Cookie"] = token
    else:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    unpacked = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
    return elapsed, response.status, len(body), unpacked


class RawPage:
    """The baseline: the same rows by hand, one SQL query (psycopg2), rows to dicts, json.dumps."""

    def __init__(self, database: str) -> None:
        import psycopg2

        self.connection = psycopg2.connect(dbname=database, host="127.0.0.1", port=5432, user="postgres")
        self.bytes = self.items = 0

    def __call__(self, sql: str, position: tuple) -> float:
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.execute(sql, position)
            names = [d.name for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        body = json.dumps({"next": None, "results": rows}, default=str).encode()
        elapsed = (time.perf_counter() - started) * 1000
        self.connection.rollback()
        self.bytes, self.items = len(body), len(rows)
        return elapsed

    def close(self) -> None:
        self.connection.close()
