"""Safe delivery: to the address vetted, with the URL's name; no redirect; no internal address shown.

The endpoints are real HTTP(S) servers on loopback (127.0.0.1 and 127.0.0.2), with a test
certificate authority (trustme). Only the DNS answer is simulated: ``socket.getaddrinfo`` is
patched for the test's host names, so that a name can resolve to one address, then to another.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
import trustme
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from rest_framework.test import APIClient

from accounts.roles import sync_roles
from accounts.services import api_token_issue
from tests.factories import UpdateFactory
from tests.integration.conftest import wait_until
from tests.support.fake_servers import ScriptedResponse
from tests.support.receiver import WebhookReceiver
from webhooks import services
from webhooks.models import WebhookDelivery

HOST = "partner.test"


class FakeDNS:
    """Answers for the test's host names, one address per lookup (the last one stays), counted."""

    def __init__(self, monkeypatch) -> None:
        self.answers: dict[str, list[str]] = {}
        self.lookups: Counter[str] = Counter()
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host not in self.answers:
                return real(host, port, *args, **kwargs)
            self.lookups[host] += 1
            queue = self.answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            return real(address, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def answer(self, host: str, *addresses: str) -> None:
        self.answers[host] = list(addresses)


@pytest.fixture
def dns(monkeypatch):
    return FakeDNS(monkeypatch)


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def trusted(ca, tmp_path, settings):
    """The portal trusts the test authority, as a deployment would be told to with WEBHOOK_CA_BUNDLE."""
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    settings.WEBHOOK_CA_BUNDLE = str(bundle)


def tls_for(ca, name: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(name).configure_cert(context)
    return context


def port_of(server) -> int:
    return urlsplit(server.url).port


def subscribe(owner, url: str) -> str:
    return services.subscription_create(owner=owner, url=url)[0].secret


def the_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def shown_to_the_partner(partner) -> str:
    """Everything the API shows the partner about its subscriptions and their deliveries."""
    _, raw = api_token_issue(user=partner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    [subscription] = client.get("/api/v1/webhooks/").json()
    deliveries = client.get(f"/api/v1/webhooks/{subscription['id']}/deliveries/")
    return str(subscription) + deliveries.content.decode()


@pytest.mark.django_db
def test_the_post_goes_to_the_vetted_address_with_the_urls_name_for_host_and_tls(
    ca, trusted, dns, partner, committed
):
    with WebhookReceiver(ssl_context=tls_for(ca, HOST)) as vetted:
        port = port_of(vetted)
        # Where a second lookup would lead: the same port on another address, serving the same name.
        with WebhookReceiver(host="127.0.0.2", port=port, ssl_context=tls_for(ca, HOST)) as rebound:
            dns.answer(HOST, "127.0.0.1", "127.0.0.2")  # the answer switches after the first lookup
            vetted.secret = rebound.secret = subscribe(partner, f"https://{HOST}:{port}/hook?k=1")
            committed(UpdateFactory)

            assert the_delivery().status == "delivered"
            assert len(vetted.events) == 1 and rebound.requests == []
            assert dns.lookups[HOST] == 1
            [request] = vetted.requests
            assert request.headers["host"] == f"{HOST}:{port}"
            assert (request.path, request.query) == ("/hook", {"k": "1"})
            assert vetted.server_names == [HOST]


@pytest.mark.django_db
def test_a_certificate_for_another_name_fails_without_naming_the_address(
    ca, trusted, dns, partner, committed
):
    with WebhookReceiver(ssl_context=tls_for(ca, "other.test")) as endpoint:
        dns.answer(HOST, "127.0.0.1")
        endpoint.secret = subscribe(partner, f"https://{HOST}:{port_of(endpoint)}/hook")
        committed(UpdateFactory)

    delivery = the_delivery()
    assert delivery.status == "pending" and endpoint.events == []
    assert delivery.last_error.startswith("TLS failed")
    assert "127.0.0.1" not in shown_to_the_partner(partner)


@pytest.mark.django_db
def test_a_name_resolving_inside_the_network_is_refused_without_naming_the_address(
    dns, partner, committed, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    dns.answer(HOST, "10.20.30.40")
    subscribe(partner, f"http://{HOST}/hook")  # a name: vetted at each delivery, when it is resolved
    committed(UpdateFactory)

    delivery = the_delivery()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert HOST in delivery.last_error and "private network" in delivery.last_error
    assert "10.20.30.40" not in shown_to_the_partner(partner)


@pytest.mark.django_db
def test_a_redirect_is_not_followed(dns, partner, committed):
    with WebhookReceiver() as endpoint, WebhookReceiver(host="127.0.0.2") as elsewhere:
        dns.answer(HOST, "127.0.0.1")
        endpoint.secret = elsewhere.secret = subscribe(partner, f"http://{HOST}:{port_of(endpoint)}/hook")
        endpoint.script(ScriptedResponse(307, b"", {"Location": f"{elsewhere.url}/hook"}))
        committed(UpdateFactory)

    delivery = the_delivery()
    assert elsewhere.requests == [] and len(endpoint.requests) == 1
    assert delivery.status == "pending" and delivery.last_status_code == 307
    assert "redirects are not followed" in delivery.last_error


@pytest.mark.django_db
def test_a_refused_connection_is_reported_without_the_address(dns, partner, committed, settings):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 1
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dns.answer(HOST, "127.0.0.1")
    subscribe(partner, f"http://{HOST}:{port}/hook")
    committed(UpdateFactory)

    delivery = the_delivery()
    assert delivery.last_error.startswith("Connection failed")
    shown = shown_to_the_partner(partner)
    assert "Paused after 1 failed attempts" in shown and "127.0.0.1" not in shown


@pytest.mark.django_db
def test_an_account_has_at_most_the_subscriptions_the_setting_allows(partner, settings):
    settings.WEBHOOK_MAX_SUBSCRIPTIONS_PER_OWNER = 2
    _, raw = api_token_issue(user=partner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    answers = [
        client.post("/api/v1/webhooks/", {"url": f"https://partner.example.org/{n}"}, format="json")
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 400]
    assert "at most 2 webhook subscriptions" in str(answers[2].json())
    client.delete(f"/api/v1/webhooks/{answers[0].json()['id']}/")
    again = client.post("/api/v1/webhooks/", {"url": "https://partner.example.org/3"}, format="json")
    assert again.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_in_process_a_save_does_not_wait_for_the_partners_endpoints(make_user, settings):
    """No broker (tasks run in-process): deliveries run after the commit, on the background thread."""
    settings.WEBHOOK_EAGER_IN_BACKGROUND = True
    settings.WEBHOOK_READ_TIMEOUT = 5
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    with contextlib.ExitStack() as stack:
        slow = [stack.enter_context(WebhookReceiver()) for _ in range(3)]
        for endpoint in slow:
            endpoint.secret = subscribe(make_user("partner"), f"{endpoint.url}/hook")
            endpoint.hang_next(1, seconds=1.0)

        started = time.monotonic()
        with transaction.atomic():  # as a request saving a record
            update = UpdateFactory()
        saved_in = time.monotonic() - started

        assert wait_until(lambda: all(endpoint.events for endpoint in slow), timeout=30)
        assert services.background_idle()
    assert saved_in < 1.0, f"the save waited {saved_in:.1f} s for the endpoints"
    assert [[e["id"] for e in endpoint.events] for endpoint in slow] == [[str(update.pk)]] * 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
