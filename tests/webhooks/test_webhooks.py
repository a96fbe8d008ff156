"""Webhooks: records a partner may see are POSTed to its URLs, signed; failures retry, then pause."""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from ingestion.services import update_review
from operations import services as operations
from tests.factories import OperationReportFactory, UpdateFactory
from tests.support.receiver import expected_signature
from webhooks import services, tasks
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_client(partner):
    _, raw = api_token_issue(user=partner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def subscribed(partner_client, receiver):
    """The partner registers the receiver through the API, which shows the secret once."""
    response = partner_client.post("/api/v1/webhooks/", {"url": f"{receiver.url}/hook"}, format="json")
    assert response.status_code == 201, response.json()
    receiver.secret = response.json()["secret"]
    return WebhookSubscription.objects.get(pk=response.json()["id"])


def _approve(report, committed, make_user):
    author = report.author
    committed(operations.report_submit, report=report, user=author)
    return committed(operations.report_approve, report=report, user=make_user("approver"))


@pytest.fixture
def draft(make_user):
    return OperationReportFactory(author=make_user("reporter"), releasability="partners")


def test_the_secret_is_shown_once(partner_client, subscribed):
    listed = partner_client.get(f"/api/v1/webhooks/{subscribed.pk}/").json()
    assert "secret" not in listed and listed["url"].endswith("/hook")


def test_an_approved_released_report_is_pushed_signed(
    subscribed, receiver, draft, committed, make_user, partner_client
):
    _approve(draft, committed, make_user)
    [event] = receiver.events
    assert (event["event"], event["resource"], event["id"]) == ("created", "reports", str(draft.pk))
    # The record as the partner reads it in the API: no staff names.
    api = partner_client.get(f"/api/v1/reports/{draft.pk}/").json()
    assert event["data"] == {**api, "updated_at": event["data"]["updated_at"]}
    assert event["data"]["author"] is None
    headers = receiver.event_headers[0]
    assert headers["x-mss-event"] == "reports.created"
    delivery = WebhookDelivery.objects.get(pk=int(headers["x-mss-delivery"]))
    assert delivery.status == "delivered" and delivery.attempts == 1
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.succeeded and attempt.status_code == 200 and attempt.duration_ms >= 0


def test_what_the_partner_may_not_see_is_not_pushed(subscribed, receiver, committed, make_user):
    report = OperationReportFactory(author=make_user("reporter"), releasability="mission")
    _approve(report, committed, make_user)
    committed(
        operations.report_save, report=OperationReportFactory.build(title="draft"), user=make_user("reporter")
    )
    assert receiver.events == [] and WebhookDelivery.objects.count() == 0


def test_a_change_is_pushed_and_a_save_without_change_is_not(
    subscribed, receiver, draft, committed, make_user
):
    report = _approve(draft, committed, make_user)
    approver = report.approved_by
    report.summary = "Three arrests."
    committed(operations.report_save, report=report, user=approver)
    assert [e["event"] for e in receiver.events] == ["created", "changed"]
    assert receiver.events[1]["data"]["summary"] == "Three arrests."
    # The same record fanned out again (a second signal of one save) sends nothing new.
    committed(services.fan_out, resource="reports", pk=report.pk)
    assert len(receiver.events) == 2


def test_a_record_withdrawn_from_partners_is_pushed_as_withdrawn(
    subscribed, receiver, draft, committed, make_user
):
    report = _approve(draft, committed, make_user)
    report.releasability = "mission"
    committed(operations.report_save, report=report, user=report.approved_by)
    assert [e["event"] for e in receiver.events] == ["created", "withdrawn"]
    assert receiver.events[1]["data"] is None


def test_a_deleted_record_is_pushed_as_deleted(subscribed, receiver, draft, committed, make_user):
    report = _approve(draft, committed, make_user)
    pk = report.pk
    committed(report.delete)
    assert receiver.events[-1] == {
        **receiver.events[-1],
        "event": "deleted",
        "id": str(pk),
    }


def test_updates_follow_the_review(subscribed, receiver, committed, make_user):
    update = committed(UpdateFactory)  # official source: released at once
    assert [e["event"] for e in receiver.events] == ["created"]
    committed(update_review, update=update, user=make_user("reporter"), state="rejected")
    assert receiver.events[-1]["event"] == "withdrawn"


def test_a_subscription_gets_only_the_collections_it_asked_for(
    partner_client, receiver, committed, draft, make_user
):
    response = partner_client.post(
        "/api/v1/webhooks/", {"url": f"{receiver.url}/hook", "resources": ["updates"]}, format="json"
    )
    receiver.secret = response.json()["secret"]
    _approve(draft, committed, make_user)
    committed(UpdateFactory)
    assert [e["resource"] for e in receiver.events] == ["updates"]


def test_a_failed_delivery_is_logged_and_retried_with_growing_delays(
    subscribed, receiver, draft, committed, make_user
):
    receiver.fail_next(2, status=503)
    _approve(draft, committed, make_user)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)
    assert "HTTP 503" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < first_wait <= timedelta(seconds=34)

    # The second try, when it is due, fails too: the next wait doubles.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    tasks.deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=67)

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    tasks.deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert [a.status_code for a in delivery.attempts_made.order_by("at", "id")] == [503, 503, 200]
    assert len(receiver.events) == 1
    subscribed.refresh_from_db()
    assert subscribed.consecutive_failures == 0 and subscribed.last_success_at is not None


def test_a_delivery_not_yet_due_is_not_sent_early(subscribed, receiver, draft, committed, make_user):
    receiver.fail_next(1)
    _approve(draft, committed, make_user)
    delivery = WebhookDelivery.objects.get()
    assert tasks.deliver.apply(args=[delivery.pk]).get() == "skipped"  # a duplicate task, too early
    assert len(receiver.requests) == 1


def test_the_worker_retries_with_the_backoff_the_service_decided(
    subscribed, receiver, draft, committed, make_user
):
    receiver.fail_next(1)
    with mock.patch.object(tasks.deliver, "apply_async"):  # keep the first delivery from running here
        _approve(draft, committed, make_user)
    delivery = WebhookDelivery.objects.get()
    with mock.patch.object(tasks.deliver, "retry", side_effect=Retry()) as retry, pytest.raises(Retry):
        tasks.deliver.run(delivery.pk)  # as a worker runs it: not eager
    countdown = retry.call_args.kwargs["countdown"]
    assert 30 <= countdown <= 33


def test_a_timeout_is_a_failure_with_its_reason(subscribed, receiver, draft, committed, make_user, settings):
    settings.WEBHOOK_READ_TIMEOUT = 0.3
    receiver.hang_next(1, seconds=2)
    _approve(draft, committed, make_user)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert "Timeout" in delivery.last_error
    assert delivery.attempts_made.get().duration_ms >= 250


def test_an_endpoint_that_keeps_failing_is_paused_then_resumed(
    subscribed, receiver, committed, make_user, settings, partner_client
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    receiver.fail_next(3, status=500)
    for _ in range(3):
        committed(UpdateFactory)
    subscribed.refresh_from_db()
    assert subscribed.paused_at is not None and "3 failed attempts" in subscribed.pause_reason
    # While paused, new records wait: nothing is sent.
    committed(UpdateFactory)
    assert len(receiver.requests) == 3
    assert WebhookDelivery.objects.filter(status="pending").count() == 4

    response = committed(partner_client.post, f"/api/v1/webhooks/{subscribed.pk}/resume/")
    assert response.status_code == 200 and response.json()["paused_at"] is None
    assert WebhookDelivery.objects.filter(status="delivered").count() == 4
    assert len(receiver.events) == 4


def test_a_delivery_gives_up_after_the_last_attempt(
    subscribed, receiver, draft, committed, make_user, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.fail_next(5)
    _approve(draft, committed, make_user)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    tasks.deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 2 and delivery.next_attempt_at is None


def test_the_sweeper_requeues_deliveries_whose_task_was_lost(
    subscribed, receiver, draft, committed, make_user
):
    with mock.patch.object(tasks.deliver, "apply_async"):  # the task is lost
        _approve(draft, committed, make_user)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.redeliver_overdue.apply().get() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_the_signature_is_hmac_sha256_of_timestamp_and_body():
    body = b'{"event":"created"}'
    assert services.sign("s3cret", "1700000000", body) == expected_signature("s3cret", "1700000000", body)
    assert services.sign("s3cret", "1700000001", body) != expected_signature("s3cret", "1700000000", body)


def test_the_receiver_refuses_a_wrong_signature(subscribed, receiver, draft, committed, make_user):
    receiver.secret = "not-the-secret"
    _approve(draft, committed, make_user)
    assert receiver.events == [] and receiver.rejected == 1
    assert WebhookDelivery.objects.get().last_status_code == 401


@pytest.mark.parametrize(
    ("url", "allow_http", "allow_private"),
    [
        ("http://partner.example.org/hook", False, True),
        ("https://127.0.0.1/hook", True, False),
        ("https://10.1.2.3/hook", True, False),
        ("https://[::1]/hook", True, False),
        ("ftp://partner.example.org/hook", True, True),
    ],
)
def test_urls_into_the_portals_own_network_are_refused(
    url, allow_http, allow_private, partner_client, settings
):
    settings.WEBHOOK_ALLOW_HTTP = allow_http
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = allow_private
    response = partner_client.post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 400 and "url" in response.json()


def test_a_name_resolving_inside_the_network_is_refused_at_delivery(subscribed, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(services.UnsafeTarget):
        services.resolve_target("https://localhost/hook")


def test_the_admin_shows_a_paused_subscription_and_its_log(
    subscribed, admin_user, receiver, committed, settings
):
    from django.test import Client

    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 1
    receiver.fail_next(1, status=500)
    committed(UpdateFactory)
    client = Client()
    client.force_login(admin_user)
    listing = client.get("/admin/webhooks/webhooksubscription/").content.decode()
    assert "paused" in listing
    delivery = WebhookDelivery.objects.get()
    page = client.get(f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/").content.decode()
    assert "HTTP 500" in page


def test_a_url_with_an_impossible_port_is_refused(partner_client):
    response = partner_client.post(
        "/api/v1/webhooks/", {"url": "https://partner.example.org:99999/"}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()


def test_updates_processed_in_a_batch_are_pushed_each_once(subscribed, receiver, committed):
    from datetime import UTC, datetime

    from ingestion.models import Source, Update
    from ingestion.parsers.records import ParseResult, PostRecord
    from ingestion.services import posts_ingest

    source = Source.objects.create(name="official", kind="file", is_official=True)
    records = [
        PostRecord(f"b{n}", f"Patrols in Solino ({n}).", "", "", "en", datetime(2025, 3, 1, tzinfo=UTC), {})
        for n in range(3)
    ]
    committed(posts_ingest, source=source, result=ParseResult(posts=records), origin="test")

    pushed = sorted(
        (e["event"], e["resource"], e["id"]) for e in receiver.events if e["resource"] == "updates"
    )
    assert pushed == sorted(("created", "updates", str(u.pk)) for u in Update.objects.all())
    assert len(pushed) == 3
    # Solino's activity counts moved, once for the batch.
    [solino] = [e for e in receiver.events if e["resource"] == "hotspots"]
    assert (solino["event"], solino["id"]) == ("changed", "solino")
    assert solino["data"]["properties"]["activity"]["updates"] == 3


def test_a_source_no_longer_official_withdraws_its_unreviewed_updates(subscribed, receiver, committed):
    from webhooks.models import Tombstone

    update = committed(UpdateFactory)  # official source: released at once
    source = update.post.source
    assert [e["event"] for e in receiver.events] == ["created"]

    source.is_official = False
    committed(source.save)

    assert receiver.events[-1]["event"] == "withdrawn"
    assert Tombstone.objects.filter(resource="updates", object_id=str(update.pk), reason="withdrawn").exists()
    listed = [u["id"] for u in APIClient().get("/api/v1/updates/").json().get("results", [])]
    assert update.pk not in listed

    source.is_official = True
    committed(source.save)
    assert receiver.events[-1]["event"] == "created"


def _about_updates(receiver) -> list[dict]:
    """The events about updates (the hotspots they name have events of their own, their counts)."""
    return [e for e in receiver.events if e["resource"] == "updates"]


def _store_text(source, external_id, text, committed):
    from ingestion.parsers.records import PostRecord
    from ingestion.services import post_process, post_store

    record = PostRecord(external_id, text, "", "", "en", None, {})

    def store_and_process():
        post, _ = post_store(source=source, record=record)
        return post_process(post=post)

    return committed(store_and_process)


def test_an_official_post_whose_text_changes_is_pushed_as_changed(subscribed, receiver, committed):
    from ingestion.models import Source

    source = Source.objects.create(name="mission account", kind="x_api_v2", is_official=True)
    update = _store_text(source, "e1", "Patrols in Solino.", committed)
    _store_text(source, "e1", "Patrols in Solino and Delmas.", committed)

    updates = _about_updates(receiver)
    events = [(e["event"], e["id"]) for e in updates]
    assert events[0] == ("created", str(update.pk))
    assert ("changed", str(update.pk)) in events[1:]
    assert updates[-1]["data"]["hotspots"] == ["solino", "delmas"]


def test_a_reviewed_third_party_post_whose_text_changes_is_withdrawn(
    subscribed, receiver, committed, make_user
):
    from ingestion.models import Source

    source = Source.objects.create(name="press search", kind="x_api_v2", is_official=False)
    update = _store_text(source, "e2", "Patrols in Solino.", committed)
    assert _about_updates(receiver) == []  # third-party and unreviewed: partners do not see it
    committed(update_review, update=update, user=make_user("reporter"), state="confirmed")
    assert _about_updates(receiver)[-1]["event"] == "created"

    _store_text(source, "e2", "Gunmen attacked a bus in Solino.", committed)

    assert _about_updates(receiver)[-1]["event"] == "withdrawn"


def test_an_edit_to_a_record_older_than_the_subscription_is_pushed_as_changed(
    partner_client, receiver, draft, committed, make_user
):
    report = _approve(draft, committed, make_user)  # released before anyone subscribed
    response = partner_client.post("/api/v1/webhooks/", {"url": f"{receiver.url}/hook"}, format="json")
    receiver.secret = response.json()["secret"]

    report.summary = "Checkpoint moved north."
    committed(operations.report_save, report=report, user=report.approved_by)
    assert [(e["event"], e["id"]) for e in receiver.events] == [("changed", str(report.pk))]


def test_a_record_released_before_the_subscription_and_lowered_is_pushed_as_withdrawn(
    partner_client, receiver, draft, committed, make_user
):
    report = _approve(draft, committed, make_user)
    response = partner_client.post("/api/v1/webhooks/", {"url": f"{receiver.url}/hook"}, format="json")
    receiver.secret = response.json()["secret"]

    report.releasability = "mission"
    committed(operations.report_save, report=report, user=report.approved_by)
    assert [(e["event"], e["id"], e["data"]) for e in receiver.events] == [
        ("withdrawn", str(report.pk), None)
    ]


def test_a_record_never_released_and_released_after_the_subscription_is_pushed_as_created(
    subscribed, receiver, make_user, committed
):
    report = OperationReportFactory(author=make_user("reporter"), releasability="mission")
    _approve(report, committed, make_user)
    assert receiver.events == []
    report.releasability = "partners"
    committed(operations.report_save, report=report, user=report.approved_by)
    assert [(e["event"], e["id"]) for e in receiver.events] == [("created", str(report.pk))]


def test_a_report_moved_to_another_hotspot_by_its_links_alone_is_pushed_with_both_hotspots(
    subscribed, receiver, draft, committed, make_user
):
    from hotspots.models import Hotspot

    solino, tlia = Hotspot.objects.get(slug="solino"), Hotspot.objects.get(slug="tlia")
    draft.hotspots.set([solino])
    report = _approve(draft, committed, make_user)
    receiver_seen = len(receiver.events)

    def move():
        report.hotspots.remove(solino)
        report.hotspots.add(tlia)

    committed(transaction.atomic(move))  # no save of the report itself
    moved = [(e["event"], e["resource"], e["id"]) for e in receiver.events[receiver_seen:]]
    assert ("changed", "reports", str(report.pk)) in moved
    assert {("changed", "hotspots", "solino"), ("changed", "hotspots", "tlia")} <= set(moved)
    assert len(moved) == len(set(moved))
    last = {(e["resource"], e["id"]): e["data"] for e in receiver.events}
    assert last[("reports", str(report.pk))]["hotspots"] == ["tlia"]
    assert last[("hotspots", "solino")]["properties"]["activity"]["reports"] == 0
    assert last[("hotspots", "tlia")]["properties"]["activity"]["reports"] == 1
