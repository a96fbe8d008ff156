"""The embedded default (a SpatiaLite file) under concurrent writes: writers wait for SQLite's lock
instead of failing with "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Threads of one process, each with its own Django connection (connections are per thread), all
# writing at once in transactions that read before they write, as the portal's services do.
_WRITERS = """
import json, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS load (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
connection.close()

errors, start = [], threading.Barrier(THREADS)

def write(writer):
    from django.db import connection
    start.wait()
    try:
        for n in range(WRITES):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM load WHERE writer = %s", [writer])
                time.sleep(0.002)
                cursor.execute("INSERT INTO load (writer, n) VALUES (%s, %s)", [writer, n])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(i,)) for i in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM load")
    rows = cursor.fetchone()[0]
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(json.dumps({"errors": errors, "rows": rows, "journal_mode": mode}))
"""


def _run_writers(tmp_path, settings_module: str, threads: int = 12, writes: int = 15) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"spatialite:///{tmp_path / 'embedded.sqlite3'}",
    }
    script = _WRITERS.replace("THREADS", str(threads)).replace("WRITES", str(writes))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_concurrent_writers_on_the_embedded_default_all_succeed(tmp_path):
    outcome = _run_writers(tmp_path, "mss_portal.settings.local")
    assert outcome["errors"] == []
    assert outcome["rows"] == 12 * 15
    assert outcome["journal_mode"] == "wal"


def test_the_test_settings_on_spatialite_wait_for_the_lock_too(tmp_path):
    outcome = _run_writers(tmp_path, "mss_portal.settings.test", threads=6, writes=10)
    assert outcome["errors"] == []
    assert outcome["rows"] == 60
