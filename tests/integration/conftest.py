"""A real Celery worker on the Redis broker, against the test database.

The worker is a separate process (prefork pool), started with the same code and settings a
deployment uses, pointed at the test database; the test process sends tasks to Redis instead of
running them in-process. Tests that use it need committed data: `transactional_db`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.db import connection

from mss_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
# Keys of their own on the machine's Redis, so test runs side by side never take each other's tasks.
KEY_PREFIX = f"itest-{os.getpid()}-{uuid.uuid4().hex[:8]}:"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgis://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` process; `kill()` sends SIGKILL, `start()` starts a fresh one."""

    def __init__(self, *, database_url: str, broker_url: str, concurrency: int = 2) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mss_portal.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_BROKER_KEY_PREFIX": KEY_PREFIX,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TRACE_LOG_LEVEL": "INFO",
            # The sources these workers poll are stand-in servers on loopback.
            "SOURCE_ALLOW_PRIVATE_TARGETS": "true",
        }
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.log = ROOT / "var" / "test-worker.log"

    def start(self, timeout: float = 40.0) -> Worker:
        self.log.parent.mkdir(exist_ok=True)
        command = [
            sys.executable, "-m", "celery", "-A", "mss_portal", "worker", "-l", "INFO", "-P", "prefork",
            f"--concurrency={self.concurrency}", "-Q", "ingestion,default", "-n", f"itest-{os.getpid()}@%h",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited at start; see {self.log}")
            if celery_app.control.ping(timeout=0.5):
                return self
        self.stop()
        raise RuntimeError(f"no worker answered a ping within {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children), as an OOM kill would."""
        if self.process is None:
            return
        children = subprocess.run(
            ["/usr/bin/pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        for pid in [self.process.pid, *map(int, children)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None


def _reset_connections() -> None:
    """Drop pooled broker connections so the next use connects to the broker now configured."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()  # kombu keeps producer pools per connection URL, process-wide


@pytest.fixture
def broker() -> Iterator[str]:
    """The test process sends tasks to Redis (not in-process) for the duration of a test."""
    saved = {
        key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    celery_app.conf.update(
        broker_url=BROKER_URL,
        task_always_eager=False,
        broker_transport_options={**saved["broker_transport_options"], "global_keyprefix": KEY_PREFIX},
    )
    _reset_connections()
    yield BROKER_URL
    celery_app.conf.update(saved)
    _reset_connections()
    client = redis.Redis.from_url(BROKER_URL)
    for key in client.scan_iter(f"{KEY_PREFIX}*"):
        client.delete(key)


@pytest.fixture
def worker(transactional_db, broker) -> Iterator[Worker]:
    running = Worker(database_url=_database_url(), broker_url=broker).start()
    yield running
    running.stop()
    connection.close()


def wait_until(condition: Callable[[], bool], *, timeout: float = 60.0, interval: float = 0.25) -> bool:
    """Poll `condition` until it holds or the time runs out; tests assert on the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
