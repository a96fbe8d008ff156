"""Production settings: `check --deploy` is clean, the secret is required, the headers are set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "prod-test-" + "k3y-" * 16  # long and varied enough for security.W009

# Runs in a fresh interpreter with production settings; prints what the requests answered.
PROBE = r"""
import json
import django
django.setup()
from django.test import Client

client = Client()
plain = client.get("/admin/login/", HTTP_HOST="portal.example.org")
secure = client.get("/admin/login/", HTTP_HOST="portal.example.org", HTTP_X_FORWARDED_PROTO="https")
probe = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure_status": secure.status_code,
    "secure_headers": dict(secure.headers),
    "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
    "probe": [probe.status_code, probe.content.decode()],
}))
"""


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="mss_portal.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="postgis://postgres@127.0.0.1:5432/unused",
    )
    env.update(extra)
    return env


def _run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_reports_nothing():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


@pytest.fixture(scope="module")
def answers() -> dict:
    result = _run(["-c", PROBE], _production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(answers):
    status, location = answers["plain"]
    assert status == 301
    assert location == "https://portal.example.org/admin/login/"


def test_security_headers_are_sent(answers):
    headers = {name.lower(): value for name, value in answers["secure_headers"].items()}
    assert answers["secure_status"] == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    policy = headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_cookies_are_secure(answers):
    csrf = answers["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_probes_answer_any_host_over_plain_http(answers):
    # An orchestrator probes the pod's own address, over HTTP: no redirect, no DisallowedHost.
    status, body = answers["probe"]
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_production_logs_are_json_lines():
    script = (
        "import logging, django; django.setup(); logging.getLogger('mss.test').warning('hello %s', 'json')"
    )
    result = _run(["-c", script], _production_env())
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["message"] == "hello json"
    assert line["level"] == "WARNING"
    assert line["logger"] == "mss.test"
