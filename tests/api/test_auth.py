"""Bearer tokens: stored hashed, expiring, revocable, every use logged; issued by a command."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, ApiTokenUse
from accounts.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


def _get(raw: str, path: str = "/api/v1/contingents/"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client.get(path)


def test_only_the_digest_of_a_token_is_stored(partner):
    token, raw = api_token_issue(user=partner)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.digest, stored.prefix, stored.name}
    assert raw.startswith(stored.prefix) and len(stored.prefix) < len(raw) // 3


def test_a_valid_token_reads_and_the_use_is_logged(partner):
    token, raw = api_token_issue(user=partner, name="partner system")
    response = _get(raw, "/api/v1/contingents/?is_active=true")
    assert response.status_code == 200
    use = ApiTokenUse.objects.get(token=token)
    assert (use.user, use.method, use.path) == (partner, "GET", "/api/v1/contingents/?is_active=true")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_each_request_is_logged(partner):
    token, raw = api_token_issue(user=partner)
    for _ in range(3):
        _get(raw)
    assert ApiTokenUse.objects.filter(token=token).count() == 3


def test_the_last_use_is_written_at_most_once_a_minute(partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token, raw = api_token_issue(user=partner)
    _get(raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert _get(raw).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    a_minute_ago = first - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_minute_ago)
    _get(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_requests_racing_on_a_stale_last_use_write_it_once(partner):
    from accounts.services import api_token_authenticate, api_token_record_use

    token, raw = api_token_issue(user=partner)
    # Two processes read the token before either wrote its last use: the second UPDATE matches no row.
    first, second = api_token_authenticate(raw=raw), api_token_authenticate(raw=raw)
    api_token_record_use(token=first, method="GET", path="/a", remote_addr="127.0.0.1")
    written = ApiToken.objects.get(pk=token.pk).last_used_at
    api_token_record_use(token=second, method="GET", path="/b", remote_addr="127.0.0.1")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == written
    assert ApiTokenUse.objects.filter(token=token).count() == 2


@pytest.mark.parametrize(
    "header",
    ["Bearer mss_not-a-real-token", "Bearer", "Bearer a b", "Bearer ünicode", "Token something"],
)
def test_bad_credentials_answer_401_with_a_bearer_challenge(header, partner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/contingents/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(partner):
    token, raw = api_token_issue(user=partner, expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(raw).status_code == 401


def test_a_revoked_token_is_refused_at_once(partner):
    token, raw = api_token_issue(user=partner)
    assert _get(raw).status_code == 200
    api_token_revoke(token=token)
    assert _get(raw).status_code == 401


def test_a_token_of_an_inactive_user_is_refused(partner):
    _, raw = api_token_issue(user=partner)
    partner.is_active = False
    partner.save()
    assert _get(raw).status_code == 401


def test_anonymous_requests_get_401_but_the_schema_and_docs_are_open():
    client = APIClient()
    assert client.get("/api/v1/hotspots/").status_code == 401
    assert client.get("/api/v1/reports/").status_code == 401
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200


def test_the_command_prints_the_token_once_and_stores_its_digest(partner):
    out, err = StringIO(), StringIO()
    call_command(
        "issue_api_token",
        partner.username,
        "--expires-days",
        "30",
        "--name",
        "ACLED sync",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=partner)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.name == "ACLED sync"
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert token.prefix in err.getvalue() and raw not in err.getvalue()
    assert _get(raw).status_code == 200


def test_the_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user named"):
        call_command("issue_api_token", "nobody", stdout=StringIO(), stderr=StringIO())


def test_the_admin_lists_tokens_and_their_uses_and_revokes(admin_user, partner):
    from django.test import Client

    token, raw = api_token_issue(user=partner, name="sync")
    _get(raw)
    client = Client()
    client.force_login(admin_user)
    assert token.prefix in client.get("/admin/accounts/apitoken/").content.decode()
    assert "/api/v1/contingents/" in client.get("/admin/accounts/apitokenuse/").content.decode()
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _get(raw).status_code == 401
