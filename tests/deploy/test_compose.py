"""The production-like stack: docker-compose.yml runs the same commands as the Makefile.

There is no Docker engine here, so what can be checked is checked: the file parses, names the
services, and each service's command is a script the Makefile's own targets call.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _recipe(target: str) -> str:
    match = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", MAKEFILE, re.MULTILINE)
    assert match, f"no Makefile target {target}"
    return match.group(1)


def test_the_stack_names_every_service():
    assert {"db", "redis", "web", "worker", "beat"} <= set(COMPOSE["services"])
    assert COMPOSE["services"]["db"]["image"].startswith("postgis/postgis:")


def test_services_run_the_commands_the_makefile_runs():
    pairs = {"web": "serve-production", "worker": "worker", "beat": "beat", "migrate": "migrate"}
    for service, target in pairs.items():
        (script,) = COMPOSE["services"][service]["command"]
        assert script.startswith("scripts/")
        assert (ROOT / script).exists()
        assert script in _recipe(target), f"make {target} does not run {script}"


def test_there_is_exactly_one_beat():
    beats = [name for name, svc in COMPOSE["services"].items() if "run-beat" in str(svc.get("command"))]
    assert beats == ["beat"]
    assert "deploy" not in COMPOSE["services"]["beat"]  # no replicas


def test_the_app_services_use_postgis_and_redis_from_the_environment():
    for name in ("web", "worker", "beat", "migrate"):
        environment = COMPOSE["services"][name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgis://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://")


def test_the_example_environment_documents_what_compose_needs():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for variable in ("POSTGRES_PASSWORD", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "CELERY_CONCURRENCY"):
        assert re.search(rf"^{variable}=", example, re.MULTILINE), variable
