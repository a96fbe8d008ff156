"""Private PostgreSQL and Redis servers for the fault tests, on free ports of 127.0.0.1.

The fault tests stop, kill and restart these servers, so they never touch the machine's shared
PostgreSQL (5432) or Redis (6379). ``FaultStack`` starts both, migrates a PostGIS database, points
this test process (Django's default connection and the Celery app) at them, and undoes it all.
The Celery worker is the lead's ``Worker`` from conftest.py, started against the same servers.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import redis
from django.conf import settings
from django.db import connections

from mss_portal.celery import app as celery_app
from tests.integration.conftest import KEY_PREFIX, Worker, _reset_connections

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


# Linux gives ports from 32768 up to any socket that asks for none (ip_local_port_range's default).
FIRST_EPHEMERAL_PORT = 32768


def free_port() -> int:
    """A free port below the kernel's ephemeral range, for a server these tests stop and start again.

    While such a server is down its port must stay unused. A port from the ephemeral range (what
    binding port 0 gives) would not: any other process's server or client socket may be given it
    meanwhile, and a client connecting to it again and again can even be connected to itself (TCP
    self-connection), so the worker would read its own Redis commands back as answers and stop.
    Below that range the kernel gives no port by itself.
    """
    candidates = list(range(FIRST_EPHEMERAL_PORT - 12000, FIRST_EPHEMERAL_PORT))
    random.shuffle(candidates)  # parallel test runs do not try the same ports in the same order
    for port in candidates[:500]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port below {FIRST_EPHEMERAL_PORT} on 127.0.0.1")


def _wait(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} within {timeout:g} s")


class RedisServer:
    """A redis-server process; ``stop()`` and ``start()`` again keep its port (and its data on disk)."""

    def __init__(self, directory: Path, *, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> RedisServer:
        # Append-only persistence as in docker-compose.yml: a restart keeps the queued tasks.
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory),
            "--logfile", str(self.directory / "redis.log"), "--protected-mode", "yes",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(self.ping, timeout=15, what=f"redis-server did not answer on port {self.port}")
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None


class PostgresServer:
    """A PostgreSQL cluster of its own in a temporary directory, run by the ``postgres`` OS user."""

    def __init__(self, directory: Path, *, port: int | None = None) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = port or free_port()
        self.log = directory / "postgres.log"

    def _as_owner(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        # initdb and pg_ctl refuse to run as root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=check)

    def init(self) -> PostgresServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._as_owner(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        return self

    def start(self) -> PostgresServer:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._as_owner(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        self._as_owner(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False
        )

    def connect(self, dbname: str = "postgres"):
        conn = psycopg2.connect(
            dbname=dbname, user="postgres", host="127.0.0.1", port=self.port, connect_timeout=5
        )
        conn.autocommit = True
        return conn

    def create_database(self, name: str) -> None:
        with contextlib.closing(self.connect()) as conn, conn.cursor() as cursor:
            cursor.execute(f'create database "{name}"')
        with contextlib.closing(self.connect(name)) as conn, conn.cursor() as cursor:
            cursor.execute("create extension postgis")

    def url(self, name: str) -> str:
        return f"postgis://postgres@127.0.0.1:{self.port}/{name}"


class FaultStack:
    """PostgreSQL, Redis and a migrated portal database, all private; the test process uses them."""

    DB_NAME = "portal"

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="mss-faults-"))
        os.chmod(self.directory, 0o755)  # noqa: S103 - the postgres user must reach its data directory
        self.postgres = PostgresServer(self.directory / "pg")
        (self.directory / "redis").mkdir()
        self.redis = RedisServer(self.directory / "redis")
        self._saved_db: dict | None = None
        self._saved_celery: dict | None = None
        self.workers: list[Worker] = []

    @property
    def database_url(self) -> str:
        return self.postgres.url(self.DB_NAME)

    def start(self) -> FaultStack:
        self.postgres.init().start()
        self.postgres.create_database(self.DB_NAME)
        self.redis.start()
        self.migrate()
        self._point_here()
        return self

    def migrate(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mss_portal.settings.test",
            "DATABASE_URL": self.database_url,
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"migrate failed: {result.stderr[-2000:]}")

    def _point_here(self) -> None:
        """Django's default connection and the Celery app now use the private servers."""
        connection = connections["default"]
        connection.close()
        self._saved_db = {key: connection.settings_dict.get(key) for key in ("NAME", "HOST", "PORT", "USER")}
        connection.settings_dict.update(
            NAME=self.DB_NAME, HOST="127.0.0.1", PORT=self.postgres.port, USER="postgres"
        )
        keys = ("broker_url", "task_always_eager", "broker_transport_options")
        self._saved_celery = {key: celery_app.conf[key] for key in keys}
        # The lead's Worker gives its keys a prefix (CELERY_BROKER_KEY_PREFIX); the sender must match.
        options = {**self._saved_celery["broker_transport_options"], "global_keyprefix": KEY_PREFIX}
        celery_app.conf.update(
            broker_url=self.redis.url, task_always_eager=False, broker_transport_options=options
        )
        self._saved_settings = (settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER)
        settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = self.redis.url, False
        _reset_connections()

    def _point_back(self) -> None:
        connection = connections["default"]
        with contextlib.suppress(Exception):
            connection.close()
        if self._saved_db is not None:
            connection.settings_dict.update(self._saved_db)
        if self._saved_celery is not None:
            celery_app.conf.update(self._saved_celery)
            settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = self._saved_settings
        _reset_connections()

    def worker(self, *, concurrency: int = 2, env: dict | None = None) -> Worker:
        """Start a Celery worker process on the private servers."""
        worker = Worker(database_url=self.database_url, broker_url=self.redis.url, concurrency=concurrency)
        worker.env.update(env or {})
        self.workers.append(worker)
        return worker.start()

    def queue_length(self, queue: str = "ingestion") -> int:
        return int(redis.Redis(port=self.redis.port, socket_timeout=2).llen(f"{KEY_PREFIX}{queue}"))

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(Exception):
                worker.kill()
        self._point_back()
        with contextlib.suppress(Exception):
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@contextlib.contextmanager
def fault_stack(django_db_blocker) -> Iterator[FaultStack]:
    """A started FaultStack with database access unblocked for this test process."""
    stack = FaultStack()
    with django_db_blocker.unblock():
        try:
            yield stack.start()
        finally:
            stack.close()


def post_records(n: int, *, first_id: int = 1900000000000100000):
    """A parser's result of ``n`` distinct posts naming seed hotspots, ready for ``posts_ingest``."""
    from datetime import UTC, datetime, timedelta

    from ingestion.parsers.records import ParseResult, PostRecord

    places = ["Solino", "Pont-Sondé", "Cité Soleil", "Delmas 30", "the airport"]
    start = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    return ParseResult(
        posts=[
            PostRecord(
                external_id=str(first_id + i),
                text=f"Post {i}: MSS and HNP patrols continued in {places[i % len(places)]} overnight.",
                url="",
                author="mss",
                language="en",
                published_at=start + timedelta(minutes=i),
                raw={"id": str(first_id + i)},
            )
            for i in range(n)
        ]
    )
