"""A token revoked, a role or permission taken away, a user deactivated: refused on the very next
request, with the cache in memory, in Redis, or unreachable, because authentication reads the token
and the user from the database on every request (no cache of either)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import ANALYST, PARTNER, RELEASABLE_PERMISSION
from accounts.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/"
MAP_DATA = "/map/data/activity/"  # an analyst's page data: needs the analyst role's permissions


@pytest.fixture(params=["local-memory", "redis", "unreachable"], autouse=True)
def cache_kind(request):
    """Every test runs with each cache the portal may have; none of them may delay a refusal."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    elif request.param == "unreachable":
        request.getfixturevalue("unreachable_cache")
    return request.param


def _token_client(user) -> tuple[APIClient, object]:
    token, raw = api_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client, token


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_revoked_token_is_refused_on_the_next_request(partner):
    client, token = _token_client(partner)
    assert client.get(API).status_code == 200

    api_token_revoke(token=token)

    assert client.get(API).status_code == 401


def test_a_token_whose_user_loses_the_role_is_refused_on_the_next_request(partner):
    client, _ = _token_client(partner)
    assert client.get(API).status_code == 200

    partner.groups.remove(Group.objects.get(name=PARTNER))

    assert client.get(API).status_code == 403


def test_a_token_whose_role_loses_the_permission_is_refused_on_the_next_request(partner):
    client, _ = _token_client(partner)
    assert client.get(API).status_code == 200

    app_label, codename = RELEASABLE_PERMISSION.split(".")
    group = Group.objects.get(name=PARTNER)
    group.permissions.remove(Permission.objects.get(content_type__app_label=app_label, codename=codename))

    assert client.get(API).status_code == 403


def test_a_token_of_a_deactivated_user_is_refused_on_the_next_request(partner):
    client, _ = _token_client(partner)
    assert client.get(API).status_code == 200

    partner.is_active = False
    partner.save()

    assert client.get(API).status_code == 401


def test_a_signed_in_user_who_loses_the_role_is_refused_on_the_next_request(analyst):
    client = _signed_in(analyst)
    assert client.get(MAP_DATA).status_code == 200

    analyst.groups.remove(Group.objects.get(name=ANALYST))

    assert client.get(MAP_DATA).status_code == 403


def test_a_role_given_takes_effect_on_the_next_request(partner):
    client = _signed_in(partner)
    assert client.get(MAP_DATA).status_code == 403

    partner.groups.add(Group.objects.get(name=ANALYST))

    assert client.get(MAP_DATA).status_code == 200


def test_a_deactivated_user_is_signed_out_on_the_next_request(analyst):
    client = _signed_in(analyst)
    assert client.get(MAP_DATA).status_code == 200

    analyst.is_active = False
    analyst.save()

    assert client.get(MAP_DATA).status_code == 401


def test_every_request_reads_its_token_once_from_the_database(partner):
    client, _ = _token_client(partner)
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API).status_code == 200
        token_reads = [
            q["sql"] for q in queries if q["sql"].startswith("SELECT") and '"accounts_apitoken"' in q["sql"]
        ]
        assert len(token_reads) == 1, token_reads
        assert '"accounts_apitoken"."digest" =' in token_reads[0]  # by the digest's unique index
