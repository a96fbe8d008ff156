"""The production stack: every variable documented, workers per queue, one shared cache, a durable broker."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
CODE_DIRS = ("mss_portal", "accounts", "audit", "hotspots", "ingestion", "operations", "webhooks", "demo")
SCRIPTS = ("serve-web", "run-worker", "run-beat", "migrate")


def _variables_read() -> set[str]:
    found: set[str] = set()
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            found |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
            found |= set(re.findall(r"os\.environ(?:\.get|\.setdefault)?[\[(]\s*\"([A-Z][A-Z0-9_]+)\"", text))
    for script in SCRIPTS:
        found |= set(
            re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "scripts" / script).read_text(encoding="utf-8"))
        )
    found |= set(
        re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    )
    return found


def test_the_example_environment_documents_every_variable_the_code_reads():
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE, re.MULTILINE))
    assert "DATABASE_REPLICA_URL" in _variables_read()  # the scan finds what it should
    assert _variables_read() - documented == set()


def test_each_queue_has_workers_of_its_own_with_concurrency_from_the_environment():
    services = COMPOSE["services"]
    queues = {
        name: svc["environment"]["CELERY_QUEUES"]
        for name, svc in services.items()
        if svc.get("command") == ["scripts/run-worker"]
    }
    assert queues == {"worker-ingestion": "ingestion", "worker": "default"}
    for name in queues:
        assert services[name]["environment"]["CELERY_CONCURRENCY"].startswith("${")
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {
        settings.CELERY_TASK_DEFAULT_QUEUE
    }
    assert routed <= set(queues.values())


def test_every_process_shares_one_redis_cache():
    for name in ("web", "worker", "worker-ingestion", "beat"):
        environment = COMPOSE["services"][name]["environment"]
        assert environment["CACHE_URL"].startswith("redis://")
        assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"]


def test_the_broker_persists_its_queue():
    command = COMPOSE["services"]["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert COMPOSE["services"]["redis"]["volumes"]


def test_static_files_are_compressed_by_whitenoise_without_the_manifest():
    production = (ROOT / "mss_portal" / "settings" / "production.py").read_text(encoding="utf-8")
    # The manifest variant renames files and breaks Leaflet's marker icons (it builds their URLs itself).
    assert "whitenoise.storage.CompressedStaticFilesStorage" in production
    assert "Manifest" not in production
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
