"""Revocation at once on every worker, without a shared cache (issue 17 item 2).

gunicorn serves the portal as in production (production settings, three worker processes) with
no shared cache: each worker has its own local-memory cache, as in a deployment without
`CACHE_URL`. Three partners' tokens are used until every worker has served each of them (the
access log names the worker of each request), then, from another process (this one, through the
ORM, as `manage.py shell` or the admin would), one token is revoked, one user deactivated and one
user's role taken away. The next 30 requests with each must all be refused, whichever worker
answers: nothing a worker kept from before may let one through.
"""

import os
import subprocess
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import PARTNER
from accounts.services import api_token_issue, api_token_revoke
from tests.integration.conftest import wait_until
from tests.integration.services import fault_stack, free_port

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only, pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
AFTER = 30
API = "/api/v1/reports/"


@pytest.fixture
def stack(django_db_blocker):
    with fault_stack(django_db_blocker) as running:
        yield running


class Web:
    """gunicorn with production settings, each worker with a cache of its own; its access log says
    which worker (process id) answered which request."""

    def __init__(self, stack, directory: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = directory / "access.log"
        self.log = directory / "gunicorn.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "CACHE_"))},
            "DJANGO_SETTINGS_MODULE": "mss_portal.settings.production",
            "DJANGO_SECRET_KEY": "fault-test-" + "s3cr3t-" * 8,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": stack.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            # No shared cache: every worker process has its own memory (no CACHE_URL).
            "CACHE_URL": "locmemcache://",
            "API_THROTTLE_RATE": "1000000/hour",
            "LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "Web":
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "mss_portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(WORKERS), "--timeout", "30", "--graceful-timeout", "5",
            "--access-logfile", str(self.access_log), "--access-logformat", "%(p)s %(s)s %({x-who}i)s",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT
        )

        def up() -> bool:
            try:
                return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        assert wait_until(up, timeout=60), self.log.read_text()[-3000:]
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def workers(self) -> set[str]:
        found = subprocess.run(
            ["/usr/bin/pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return set(found.stdout.split())

    def get(self, raw: str, who: str) -> int:
        # A new connection per request (gunicorn's sync workers close each one), so that any worker
        # may take it.
        # Whose token it is travels in a header of its own, which the access log records (a query
        # parameter the API does not know would be refused with 400).
        headers = {
            "Authorization": f"Bearer {raw}",
            "Accept": "application/json",
            "Connection": "close",
            "X-Who": who,
        }
        return requests.get(f"{self.url}{API}", headers=headers, timeout=15).status_code

    def served(self, who: str, status: int) -> set[str]:
        """The workers (process ids) that answered ``who``'s requests with ``status``."""
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return {
            pid.strip("<>")
            for pid, code, tag in (line.split(" ", 2) for line in lines if line.count(" ") >= 2)
            if code == str(status) and tag == who
        }

    def until_every_worker(self, raw: str, who: str, status: int, *, most: int = 300) -> list[int]:
        """Requests with ``raw`` until every worker has answered one with ``status``; their statuses."""
        workers, statuses = self.workers(), []
        while len(statuses) < most and self.served(who, status) < workers:
            statuses.append(self.get(raw, who))
        wait_until(lambda: self.served(who, status) >= workers, timeout=5)  # the log is written last
        return statuses


@pytest.fixture
def web(stack, tmp_path):
    running = Web(stack, tmp_path).start()
    try:
        yield running
    finally:
        running.stop()


def _partner(name: str):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw-123456789")
    user.groups.add(Group.objects.get(name=PARTNER))
    token, raw = api_token_issue(user=user, name=f"{name}'s system")
    return user, token, raw


def test_revoked_deactivated_and_demoted_are_refused_on_every_worker_at_once(stack, web):
    workers = web.workers()
    assert len(workers) == WORKERS, workers
    _, revoked_token, revoked = _partner("revoked")
    deactivated_user, _, deactivated = _partner("deactivated")
    demoted_user, _, demoted = _partner("demoted")
    tokens = {"revoked": revoked, "deactivated": deactivated, "demoted": demoted}

    # Every worker authenticates every token at least once (and keeps whatever it would keep).
    for who, raw in tokens.items():
        assert set(web.until_every_worker(raw, who, 200)) == {200}
        assert web.served(who, 200) == workers, f"{who}'s token did not reach every worker"

    api_token_revoke(token=revoked_token)
    deactivated_user.is_active = False
    deactivated_user.save(update_fields=["is_active"])
    demoted_user.groups.remove(Group.objects.get(name=PARTNER))

    refusals = {"revoked": 401, "deactivated": 401, "demoted": 403}
    for who, raw in tokens.items():
        following = [web.get(raw, f"{who}-after") for _ in range(AFTER)]
        assert following == [refusals[who]] * AFTER, f"{who}: {following}"
        # Then on, until every worker has refused it: none may let it through.
        more = web.until_every_worker(raw, f"{who}-after", refusals[who])
        assert set(more) <= {refusals[who]}, f"{who}: {more}"
        assert web.served(f"{who}-after", refusals[who]) == workers, f"{who}: not every worker refused"
    print(
        f"\n{WORKERS} workers, each with its own cache, all warmed with 3 tokens; after the change the "
        f"next {AFTER} requests of each were refused (401 revoked, 401 deactivated, 403 role taken away), "
        "and every worker refused each"
    )
