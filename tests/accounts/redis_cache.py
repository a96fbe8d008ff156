"""A Redis cache of a test's own (the shared Redis at 127.0.0.1:6379, database 13, a prefix per test).

Production caches in Redis; what the portal keeps there (throttle counts, the map's answers) must
behave there as in the local-memory cache the other tests use.
"""

import os
import uuid

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache(settings):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        # A missing service skips on a developer's machine, never in CI (as PostGIS and Chromium).
        message = f"no Redis at {REDIS_URL}: {exc}; start it with scripts/start-services.sh"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    # Only this test's keys: others share the server (never FLUSHDB).
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
