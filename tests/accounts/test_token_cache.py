"""Authenticating a token, cached in Redis as in production: used again, and forgotten on any change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import token_cache
from accounts.services import api_token_issue, api_token_revoke, token_digest

pytestmark = pytest.mark.django_db


def _get(raw: str, path: str = "/api/v1/reports/"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client.get(path)


def _token_reads(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("SELECT") and '"accounts_apitoken"' in q["sql"])


def test_a_token_is_read_once_then_answered_from_redis(redis_cache, partner):
    token, raw = api_token_issue(user=partner)
    with CaptureQueriesContext(connection) as first:
        assert _get(raw).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert _get(raw).status_code == 200

    assert (_token_reads(first), _token_reads(second)) == (1, 0)
    cached = token_cache.get(token_digest(raw))
    assert cached.pk == token.pk and cached.user.has_perm("accounts.view_releasable")


def test_revoking_or_taking_a_role_away_takes_effect_on_the_next_request(redis_cache, partner):
    token, raw = api_token_issue(user=partner)
    assert _get(raw).status_code == 200
    api_token_revoke(token=token)
    assert _get(raw).status_code == 401

    _, raw = api_token_issue(user=partner)
    assert _get(raw).status_code == 200
    partner.groups.clear()
    assert _get(raw).status_code == 403


def test_a_change_committed_while_a_token_is_read_is_never_served_from_the_cache(
    redis_cache, partner, monkeypatch
):
    """The generation is read before the database: what was read before a change and kept after it
    is kept under the generation the change has left behind."""
    token, raw = api_token_issue(user=partner)
    real_keep = token_cache.keep

    def keep_after_a_change(digest, generation, found):
        api_token_revoke(token=token)  # committed between the read and the keeping
        real_keep(digest, generation, found)

    monkeypatch.setattr(token_cache, "keep", keep_after_a_change)
    assert _get(raw).status_code == 200  # read before the revocation
    monkeypatch.setattr(token_cache, "keep", real_keep)

    assert token_cache.get(token_digest(raw)) is None
    assert _get(raw).status_code == 401
