"""The admin's add and change forms for screen readers and the keyboard: axe-core (from
axe-playwright-python, which ships its axe.min.js) finds no serious or critical violation on any of
them, in English and French, for a superuser and for the staff roles whose forms differ.

The pages are every model registered in the admin (admin.site._registry, so a model added later is
checked without being named here) that the user may add or change, with a saved record of each.
"""

import re
from datetime import UTC, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import Point
from django.test import RequestFactory
from django.urls import reverse
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import ApiTokenUse, SecondFactorRule
from accounts.roles import APPROVER, REPORTER, sync_roles
from accounts.services import api_token_issue
from hotspots import gazetteer
from hotspots.models import Hotspot
from ingestion.models import KindExample, KindModel, PlaceCandidate, RejectedRecord
from notifications.models import Notification, NotificationPreference, Watch
from operations.models import OperationReport
from tests.e2e.live import close_context
from tests.factories import (
    ContingentFactory,
    OperationReportFactory,
    PostFactory,
    SourceFactory,
    TrainingRecordFactory,
    UpdateFactory,
    WebhookSubscriptionFactory,
)
from webhooks.models import Tombstone, WebhookAttempt, WebhookDelivery

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SERIOUS = ("serious", "critical")


@pytest.fixture
def records(transactional_db, django_user_model):
    """A saved record of every model the admin lists, so each change form opens on one."""
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    for role in ("approver", "admin"):  # the rows accounts' migration 0008 adds, flushed since
        SecondFactorRule.objects.get_or_create(role=role)
    gazetteer.load_hotspots()
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    for role in (REPORTER, APPROVER):
        user = django_user_model.objects.create_user(role, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    solino = Hotspot.objects.get(slug="solino")
    solino.aliases.create(text="Cité Solino", language="fr")
    source = SourceFactory(name="Mission feed", target="feed.jsonl")
    post = PostFactory(source=source, text="Patrols continued in Solino.", author="mission")
    update = UpdateFactory(post=post, figures={"personnel": 120}, hotspots=[solino])
    KindExample.objects.create(update=update, text=post.text, kind="incident", guessed_kind="statement")
    KindModel.objects.create(examples=1, parameters={}, heldout_before=0.5, heldout_after=0.6, note="—")
    candidate = PlaceCandidate.objects.create(name="Delmas 33", normalised="delmas 33", origin="unknown")
    candidate.posts.add(post)
    RejectedRecord.objects.create(source=source, origin="feed.jsonl", position="17", message="—", raw="{")
    reporter = django_user_model.objects.get(username=REPORTER)
    report = OperationReportFactory(
        title="Clearance in Solino", author=reporter, location=Point(-72.32, 18.55, srid=4326)
    )
    report.hotspots.add(solino)
    report.contingents.add(ContingentFactory(country_code="KE", name="Kenya"))
    TrainingRecordFactory(course="Tactical driving", author=reporter, location=Point(-72.3, 18.5, srid=4326))
    token, _secret = api_token_issue(user=boss, name="partner system")
    ApiTokenUse.objects.create(token=token, user=boss, method="GET", path="/api/v1/hotspots/")
    subscription = WebhookSubscriptionFactory(owner=boss, description="Partner hook")
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, resource="reports", object_id=str(report.pk), event="changed", payload={}
    )
    WebhookAttempt.objects.create(delivery=delivery, status_code=500, error="—")
    Tombstone.objects.create(resource="reports", object_id="99", reason="deleted", partners=True)
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    CrontabSchedule.objects.create()
    SolarSchedule.objects.create(event="sunrise", latitude=18.5, longitude=-72.3)
    ClockedSchedule.objects.create(clocked_time=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    PeriodicTask.objects.create(name="poll sources", task="ingestion.tasks.poll_sources", interval=interval)
    # Not the signing-in users': a device of theirs would ask them for a second factor.
    officer = django_user_model.objects.create_user("officer")
    TOTPDevice.objects.create(user=officer, name="phone")
    WebAuthnCredential.objects.create(
        user=officer,
        name="laptop",
        confirmed=True,
        credential_id=b"\x01" * 16,
        public_key=b"not used here",
        aaguid="00000000-0000-0000-0000-000000000000",
    )
    Notification.objects.create(recipient=boss, kind="report_sent_back", report=report, reason="—")
    Watch.objects.create(user=boss, hotspot=solino, frequency="daily")
    NotificationPreference.objects.create(user=boss, language="fr")
    seen = {"user_agent": "Firefox", "ip_address": "192.0.2.7", "username": "officer", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        **seen, path_info="/admin/login/", get_data="", post_data="", failures_since_start=1
    )
    AccessLog.objects.create(**seen, path_info="/admin/login/")
    AccessFailureLog.objects.create(**seen, path_info="/admin/login/")


def _forms(user) -> list[str]:
    """The add and change forms of every registered model that this user may add or change."""
    request = RequestFactory().get("/admin/")
    request.user = user
    paths = []
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if model_admin.has_add_permission(request):
            paths.append(reverse(f"{name}_add"))
        record = model._default_manager.order_by("pk").first()
        if model_admin.has_change_permission(request, record):
            assert record is not None, f"no saved {model._meta.label} to open its change form"
            paths.append(reverse(f"{name}_change", args=[record.pk]))
    return paths


AXE = Axe()
# Django's script-built widgets are built (Select2 autocompletes, the two-box SelectFilter), so axe
# reads what a person meets, not the plain <select> the page starts with.
WIDGETS_BUILT = """() => [...document.querySelectorAll(
    'select.admin-autocomplete, select.selectfilter, select.selectfilterstacked')]
  .filter((s) => !s.name.includes('__prefix__'))
  .every((s) => s.classList.contains('select2-hidden-accessible') || s.closest('.selector'))"""


def _violations(page, path: str) -> list[str]:
    """The serious and critical violations on the page: path, rule, impact, element, and why."""
    results = AXE.run(page)
    return [
        f"{path}: {v['id']} ({v['impact']}) at {node['target']}: {node['failureSummary']!r} "
        f"{node['html'][:200]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    ]


# Every form once (the superuser's, in French: the longest labels), and the staff roles' forms,
# which differ (read-only fields, fewer inlines), in English and French.
@pytest.mark.parametrize(
    ("username", "language"),
    [("boss", "fr"), (REPORTER, "en"), (APPROVER, "fr")],
)
def test_admin_forms_have_no_serious_accessibility_violation(
    live_server, browser, records, django_user_model, username, language
):
    user = django_user_model.objects.get(username=username)
    paths = _forms(user)
    assert len(paths) >= (30 if user.is_superuser else 6)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    errors, failed = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        found = []
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (path, response.status)
            page.wait_for_selector(f"html[lang={language}]")
            page.wait_for_function(WIDGETS_BUILT)
            # Their names are given by listeners queued after the ones that build them: one more turn.
            page.evaluate("() => new Promise((done) => setTimeout(done))")
            found += _violations(page, path)
    finally:
        close_context(context)
    assert found == [], "\n".join(found)
    assert errors == [] and failed == []


def test_the_report_form_names_its_script_built_widgets_by_their_labels(live_server, page, records):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", REPORTER)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    report = OperationReport.objects.get()
    page.goto(f"{live_server.url}{reverse('admin:operations_operationreport_change', args=[report.pk])}")
    page.wait_for_function(WIDGETS_BUILT)
    page.evaluate("() => new Promise((done) => setTimeout(done))")
    # What a screen reader announces: the field's own label, not nothing, not only "Date:".
    for label in ("Hotspots", "Contingents"):
        assert page.get_by_role("combobox", name=re.compile(rf"^{label}:")).count() == 1
        assert page.get_by_role("searchbox", name=re.compile(rf"^{label}:")).count() == 1
    assert page.get_by_role("textbox", name="Date:").count() == 2  # started, ended
    # A box of several choices keeps one cross per choice, and no "remove all" inside its list.
    box = page.locator(".field-hotspots .select2-selection__rendered")
    assert box.locator("> .select2-selection__choice").count() == 1
    assert box.locator("> :not(li)").count() == 0
    assert page.errors == []
