"""What the benchmarks share: their own PostGIS databases, seeded demo data, the machine, one result line.

Every benchmark prints, as its last line, ``BENCH {json}``: bench/run_all.py reads it to build
the table of docs/benchmarks.md. Databases are named ``mss_bench_*`` on 127.0.0.1 and kept between
runs (seeding tops up, so a second run does not seed again); ``fresh=True`` starts them over.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
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
