"""PostgreSQL restarted while the API is under load: 503 JSON meanwhile, then it recovers alone.

The API runs as in production (gunicorn, production settings, persistent database connections)
against a PostgreSQL of its own; client threads keep calling /api/v1/hotspots/ with a token while
the database is stopped for a few seconds and started again. A request that needs the database
while it is away answers 503 in JSON (DatabaseUnavailableMiddleware), never a traceback or a
debug page; the broken connections are dropped, so once the database is back every request
succeeds again with no restart of the web process.
"""

import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from accounts.services import api_token_issue
from hotspots.models import Hotspot
from tests.integration.conftest import wait_until
from tests.integration.services import fault_stack, free_port

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only, pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 4
WARM_UP, OUTAGE, AFTER = 3.0, 8.0, 8.0
GRACE = 3.0  # after the database is back, stale connections may answer 503 once each


@dataclass(frozen=True)
class Answer:
    at: float  # when the request was sent
    ended: float  # when its answer (or its failure) came back
    status: int  # 0: no HTTP answer at all
    content_type: str
    body: str


@pytest.fixture
def stack(django_db_blocker):
    with fault_stack(django_db_blocker) as running:
        yield running


@pytest.fixture
def web(stack, tmp_path):
    """gunicorn serving the portal with production settings on a free port."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "mss_portal.settings.production",
        "DJANGO_SECRET_KEY": "fault-test-" + "s3cr3t-" * 8,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": stack.database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "CELERY_BROKER_URL": stack.redis.url,
        "API_THROTTLE_RATE": "1000000/hour",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "mss_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "3", "--timeout", "30", "--graceful-timeout", "5"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{url}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    try:
        assert wait_until(up, timeout=30), log.read_text()[-3000:]
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _load(url: str, token: str, stop: threading.Event, answers: list[Answer], deadline: float) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    while not stop.is_set() and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            response = session.get(f"{url}/api/v1/hotspots/", headers=headers, timeout=10)
            answers.append(
                Answer(
                    started,
                    time.monotonic(),
                    response.status_code,
                    response.headers.get("Content-Type", ""),
                    response.text[:2000],
                )
            )
        except requests.RequestException as exc:
            answers.append(Answer(started, time.monotonic(), 0, "", repr(exc)))
            session = requests.Session()
        time.sleep(0.02)


def test_the_api_answers_503_json_during_a_database_restart_and_recovers(stack, web):
    admin = Hotspot.objects.model._meta.apps.get_model("auth", "User").objects.create_superuser(
        "fault-admin", "fault@example.org", "pw-123456789"
    )
    Hotspot.objects.create(slug="fault-site", name="Fault site", kind="other")
    _, token = api_token_issue(user=admin, name="fault test")

    answers: list[Answer] = []
    stop = threading.Event()
    deadline = time.monotonic() + WARM_UP + OUTAGE + AFTER + 60
    threads = [
        threading.Thread(target=_load, args=(web, token, stop, answers, deadline), daemon=True)
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(WARM_UP)
    stopping_at = time.monotonic()
    stack.postgres.stop("fast")
    down_at = time.monotonic()
    time.sleep(OUTAGE / 2)
    ready_down = requests.get(f"{web}/readyz", timeout=15)
    time.sleep(OUTAGE / 2)
    starting_at = time.monotonic()
    stack.postgres.start()
    up_at = time.monotonic()
    time.sleep(AFTER)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    ready_up = requests.get(f"{web}/readyz", timeout=15)

    assert all(answer.status != 0 for answer in answers), [a.body for a in answers if a.status == 0][:3]
    statuses = {answer.status for answer in answers}
    assert statuses <= {200, 503}, statuses
    # Before: answered before the stop began. A request sent earlier but still being served when
    # the database went away (a slow one on a busy machine) rightly answers 503.
    before = [a for a in answers if a.ended < stopping_at]
    during = [a for a in answers if down_at + 0.5 < a.at < starting_at - 0.5]
    after = [a for a in answers if a.at > up_at + GRACE]
    assert before and all(a.status == 200 for a in before), [
        (round(a.at - stopping_at, 2), round(a.ended - stopping_at, 2), a.status, a.body[:200])
        for a in before
        if a.status != 200
    ]
    assert during and all(a.status == 503 for a in during), {a.status for a in during}
    for answer in (a for a in answers if a.status == 503):
        assert answer.content_type == "application/json"
        assert json.loads(answer.body)["code"] == "database_unavailable"
        assert "Traceback" not in answer.body and "<html" not in answer.body.lower()
    assert len(after) >= 20 and all(a.status == 200 for a in after), {a.status for a in after}
    assert "fault-site" in after[-1].body

    assert ready_down.status_code == 503
    assert ready_down.json()["checks"]["database"] == "failed"
    assert ready_up.json()["checks"]["database"] == "ok"
    first_ok = min((a.at for a in answers if a.at > up_at and a.status == 200), default=None)
    print(
        f"\n{len(answers)} requests: {len(before)} before, {len(during)} during the "
        f"{up_at - down_at:.1f} s outage (all 503 JSON), {len(after)} after (all 200); "
        f"first 200 {first_ok - up_at:.2f} s after PostgreSQL was back"
    )
