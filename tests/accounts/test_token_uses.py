"""The log of API token uses: buffered in Redis where the cache is Redis, written in bulk, nothing lost."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, ApiTokenUse
from accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


def _client(token_raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_raw}")
    return client


def test_uses_wait_in_redis_until_a_flush_writes_them_all(redis_cache, partner):
    token, raw = api_token_issue(user=partner, name="sync")
    client = _client(raw)
    paths = [f"/api/v1/contingents/?n={n}" for n in range(5)]
    for path in paths:
        assert client.get(path).status_code == 200
    assert ApiTokenUse.objects.count() == 0
    assert services.api_token_uses_pending() == 5

    assert services.api_token_uses_flush() == 5

    assert services.api_token_uses_pending() == 0
    uses = list(ApiTokenUse.objects.order_by("at", "id"))
    assert [u.path for u in uses] == paths
    assert {(u.token_id, u.user_id, u.method, u.remote_addr) for u in uses} == {
        (token.pk, partner.pk, "GET", "127.0.0.1")
    }
    token.refresh_from_db()
    assert token.last_used_at == uses[-1].at
    assert services.api_token_uses_flush() == 0  # nothing written twice


def test_a_flush_is_queued_every_flush_at_uses(redis_cache, partner, settings):
    settings.API_TOKEN_USE_FLUSH_AT = 3  # the tests' Celery runs the queued task at once
    _, raw = api_token_issue(user=partner)
    client = _client(raw)
    for _ in range(7):
        client.get("/api/v1/contingents/")
    assert ApiTokenUse.objects.count() == 6
    assert services.api_token_uses_pending() == 1


def test_the_admin_lists_the_uses_once_flushed(redis_cache, partner, admin_user):
    _, raw = api_token_issue(user=partner)
    _client(raw).get("/api/v1/hotspots/?q=solino")
    services.api_token_uses_flush()
    admin = Client()
    admin.force_login(admin_user)
    assert "/api/v1/hotspots/?q=solino" in admin.get("/admin/accounts/apitokenuse/").content.decode()


def test_a_use_redis_refuses_is_written_at_once(partner, settings):
    # A Redis that is not there (nothing listens on port 1): the use must not be lost with it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": None}}
    token, raw = api_token_issue(user=partner)
    assert _client(raw).get("/api/v1/contingents/").status_code == 200
    assert list(ApiTokenUse.objects.values_list("token_id", "path")) == [(token.pk, "/api/v1/contingents/")]


def test_a_use_the_database_refuses_is_kept_aside_and_the_others_written(redis_cache, partner):
    token, raw = api_token_issue(user=partner)
    client = _client(raw)
    client.get("/api/v1/contingents/?before")
    redis_client, key = services._use_buffer()
    bad = {
        "token": token.pk,
        "user": partner.pk,
        "at": "yesterday",
        "method": "GET",
        "path": "/",
        "remote_addr": None,
    }
    redis_client.rpush(key, json.dumps(bad))
    client.get("/api/v1/contingents/?after")

    assert services.api_token_uses_flush() == 2

    assert sorted(ApiTokenUse.objects.values_list("path", flat=True)) == [
        "/api/v1/contingents/?after",
        "/api/v1/contingents/?before",
    ]
    assert services.api_token_uses_pending() == 0
    assert [json.loads(item) for item in redis_client.lrange(f"{key}:refused", 0, -1)] == [bad]


def test_uses_of_a_token_deleted_meanwhile_go_with_it(redis_cache, partner):
    kept, kept_raw = api_token_issue(user=partner)
    gone, gone_raw = api_token_issue(user=partner)
    _client(kept_raw).get("/api/v1/contingents/")
    _client(gone_raw).get("/api/v1/contingents/")
    ApiToken.objects.filter(pk=gone.pk).delete()  # its logged uses are deleted with it (CASCADE)

    assert services.api_token_uses_flush() == 1

    assert list(ApiTokenUse.objects.values_list("token_id", flat=True)) == [kept.pk]
    assert services.api_token_uses_pending() == 0


def test_without_redis_each_use_is_written_at_once(partner):
    token, raw = api_token_issue(user=partner)
    _client(raw).get("/api/v1/contingents/")
    assert ApiTokenUse.objects.filter(token=token).count() == 1
    assert services.api_token_uses_pending() == 0
