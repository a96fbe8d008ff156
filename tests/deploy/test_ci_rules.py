"""CI's rule: a suite that cannot reach PostGIS fails under CI=true, and skips elsewhere."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Nothing listens on port 1 of loopback: the connection is refused at once.
UNREACHABLE = "postgis://postgres@127.0.0.1:1/mss_portal"


def _run_suite(env):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/hotspots/test_models.py",
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": UNREACHABLE},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_postgis_ci_fails_the_run():
    result = _run_suite({**os.environ, "CI": "true"})
    assert result.returncode != 0
    assert "PostGIS is not reachable" in result.stdout + result.stderr


def test_without_postgis_a_developer_run_skips_database_tests():
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    result = _run_suite(env)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "skipped" in result.stdout and "PostGIS is not reachable" in result.stdout
