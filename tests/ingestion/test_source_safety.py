"""Sources read credentials only from MSS_SOURCE_ variables and are never polled inside the network."""

import pytest
from django.core.exceptions import ValidationError

from core import outbound
from ingestion import services
from ingestion.models import Source
from tests.support.fake_servers import FakeFeedServer, FakeXApi, ScriptedResponse

pytestmark = pytest.mark.django_db

TOKEN = "stand-in-token"


def _x_source(api, **fields) -> Source:
    return Source.objects.create(name="MSS on X", kind="x_api_v2", target="42", base_url=api.url, **fields)


@pytest.mark.parametrize(
    "name", ["DATABASE_URL", "DJANGO_SECRET_KEY", "MSS_SOURCE_", "mss_source_x", "MSS_SOURCE_X-1"]
)
def test_a_credential_variable_outside_the_prefix_is_refused_by_validation(name):
    source = Source(name="s", kind="x_api_v2", target="42", credential_env=name)
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "MSS_SOURCE_" in caught.value.message_dict["credential_env"][0]


def test_a_credential_variable_with_the_prefix_is_accepted():
    Source(name="s", kind="x_api_v2", target="42", credential_env="MSS_SOURCE_X_TOKEN").full_clean()


def test_polling_never_sends_another_variable_as_the_token(monkeypatch, settings):
    settings.SOURCE_ALLOW_PRIVATE_TARGETS = True
    monkeypatch.setenv("DATABASE_URL", TOKEN)  # the portal's own secret, set and readable
    with FakeXApi([], users=[{"id": "42", "username": "mss"}], token=TOKEN) as api:
        source = _x_source(api, credential_env="DATABASE_URL")  # saved without validation
        stats = services.source_poll(source=source)
        assert api.requests == []
    assert stats.new == 0
    source.refresh_from_db()
    assert "MSS_SOURCE_" in source.last_error and "DATABASE_URL" in source.last_error


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_an_x_source_on_a_loopback_address_is_not_polled(monkeypatch, settings, host):
    settings.SOURCE_ALLOW_PRIVATE_TARGETS = False
    monkeypatch.setenv("MSS_SOURCE_X_TOKEN", TOKEN)
    with FakeXApi([], users=[{"id": "42", "username": "mss"}], token=TOKEN) as api:
        source = _x_source(api, credential_env="MSS_SOURCE_X_TOKEN")
        source.base_url = api.url.replace("127.0.0.1", host)
        source.save()
        services.source_poll(source=source)
        assert api.requests == []
    source.refresh_from_db()
    assert "inside a private network" in source.last_error


def test_a_feed_on_a_loopback_address_is_not_polled(settings):
    settings.SOURCE_ALLOW_PRIVATE_TARGETS = False
    with FakeFeedServer(b"<rss/>", content_type="application/rss+xml") as server:
        source = Source.objects.create(name="news", kind="rss", target=server.feed_url())
        services.source_poll(source=source)
        assert server.requests == []
    source.refresh_from_db()
    assert "may not be polled" in source.last_error and "127.0.0.1" in source.last_error


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/feed.xml", "http://[::1]/feed"]
)
def test_link_local_and_private_feed_addresses_are_refused(settings, url):
    settings.SOURCE_ALLOW_PRIVATE_TARGETS = False
    source = Source.objects.create(name="internal", kind="rss", target=url)
    services.source_poll(source=source)
    source.refresh_from_db()
    assert "inside a private network" in source.last_error
    assert source.polls_failed == 1


def test_a_redirect_into_the_network_is_not_followed():
    with FakeFeedServer(b"<rss/>") as server:
        server.script(
            ScriptedResponse(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        )
        session = outbound.checked_session(allow_http=True, allow_private=False)
        with pytest.raises(outbound.UnsafeTarget, match=r"169\.254\.169\.254"):
            session.get(server.feed_url(), timeout=5)
        session.close()


def test_the_checked_session_follows_a_redirect_the_settings_allow():
    with FakeFeedServer(b"<rss/>") as server:
        server.script(ScriptedResponse(status=302, headers={"Location": "/feed.xml"}))
        with outbound.checked_session(allow_http=True, allow_private=True) as session:
            response = session.get(server.feed_url("/old.xml"), timeout=5)
        assert response.status_code == 200 and len(server.requests) == 2


@pytest.mark.parametrize(
    ("kind", "field", "url"),
    [
        ("rss", "target", "http://169.254.169.254/latest/meta-data/"),
        ("rss", "target", "file:///etc/passwd"),
        ("x_api_v2", "base_url", "http://127.0.0.1:8000"),
    ],
)
def test_a_source_at_an_address_inside_the_network_is_refused_by_validation(settings, kind, field, url):
    settings.SOURCE_ALLOW_PRIVATE_TARGETS = False
    source = Source(name="s", kind=kind, **{"target": "42", field: url})
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert field in caught.value.message_dict
