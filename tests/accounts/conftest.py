from tests.accounts.redis_cache import redis_cache  # noqa: F401 - a fixture of these tests
