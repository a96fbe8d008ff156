"""A signed-in browser's user and permissions, kept in Redis as in production: read once, and
forgotten on any change to a user, a group or a permission."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import token_cache
from accounts.roles import ANALYST

pytestmark = pytest.mark.django_db

MAP_DATA = "/map/data/activity/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _auth_reads(queries) -> list[str]:
    """The queries reading a user or permissions."""
    tables = ('"auth_user"', '"auth_permission"')
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and any(t in q["sql"] for t in tables)]


def test_a_signed_in_user_and_their_permissions_are_read_once_then_from_redis(redis_cache, analyst):
    client = _signed_in(analyst)
    with CaptureQueriesContext(connection) as first:
        assert client.get(MAP_DATA).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(MAP_DATA).status_code == 200

    assert len(_auth_reads(first)) == 3  # the user, their permissions and their groups'
    assert _auth_reads(second) == []
    cached = token_cache.cached_user(analyst.pk)
    assert cached.pk == analyst.pk and cached.has_perm("ingestion.view_update")


def test_a_role_taken_away_takes_effect_on_the_next_request(redis_cache, analyst):
    client = _signed_in(analyst)
    assert client.get(MAP_DATA).status_code == 200

    analyst.groups.remove(Group.objects.get(name=ANALYST))

    assert client.get(MAP_DATA).status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_request(redis_cache, analyst):
    client = _signed_in(analyst)
    assert client.get(MAP_DATA).status_code == 200

    analyst.is_active = False
    analyst.save()

    assert client.get(MAP_DATA).status_code == 401  # signed out
    assert token_cache.cached_user(analyst.pk) is None


def test_a_changed_password_ends_the_sessions_it_opened(redis_cache, analyst):
    client = _signed_in(analyst)
    assert client.get(MAP_DATA).status_code == 200

    analyst.set_password("a new and long passphrase 42")
    analyst.save()

    assert client.get(MAP_DATA).status_code == 401  # signed out


def test_a_role_given_takes_effect_on_the_next_request(redis_cache, make_user):
    someone = make_user("partner")
    client = _signed_in(someone)
    assert client.get(MAP_DATA).status_code == 403

    someone.groups.add(Group.objects.get(name=ANALYST))

    assert client.get(MAP_DATA).status_code == 200


def test_without_the_cache_a_signed_in_user_is_read_from_the_database(unreachable_cache, analyst):
    client = _signed_in(analyst)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MAP_DATA).status_code == 200
    assert len(_auth_reads(queries)) == 3


def test_a_change_committed_while_a_user_is_read_is_never_served_from_the_cache(
    redis_cache, analyst, monkeypatch
):
    """The generation is read before the database: a user read before a change and kept after it
    is kept under the generation the change has left behind."""
    real_keep = token_cache._keep

    def keep_after_a_change(key, generation, value):
        analyst.groups.clear()  # committed between the read and the keeping
        real_keep(key, generation, value)

    monkeypatch.setattr(token_cache, "_keep", keep_after_a_change)
    client = _signed_in(analyst)
    assert client.get(MAP_DATA).status_code == 200  # read before the change
    monkeypatch.setattr(token_cache, "_keep", real_keep)

    assert token_cache.cached_user(analyst.pk) is None
    assert client.get(MAP_DATA).status_code == 403
