"""Each role sees and may do in the admin what its permissions say (accounts/roles.py), and nothing more."""

import pytest
from django.urls import reverse

from hotspots.models import Hotspot
from tests.factories import ContingentFactory, OperationReportFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "hotspots_hotspot",
    "hotspots_hotspotalias",
    "operations_contingent",
    "operations_operationreport",
    "operations_trainingrecord",
    "ingestion_source",
    "ingestion_post",
    "ingestion_update",
    "ingestion_placecandidate",
    "ingestion_rejectedrecord",
]
# Models whose add page each role may open (the rest answer 403).
ADDABLE = {
    "reporter": {
        "operations_operationreport",
        "operations_trainingrecord",
        "hotspots_hotspotalias",
        "ingestion_post",
    },
    "approver": {
        "operations_operationreport",
        "operations_trainingrecord",
        "hotspots_hotspotalias",
        "ingestion_post",
        "hotspots_hotspot",
    },
    # Updates, candidates and rejected records are made by ingestion only.
    "admin": set(MODELS) - {"ingestion_update", "ingestion_placecandidate", "ingestion_rejectedrecord"},
}


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_analysts_and_partners_have_no_admin(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("role", ["reporter", "approver", "admin"])
@pytest.mark.parametrize("model", MODELS)
def test_staff_roles_read_every_list(client, make_user, role, model):
    client.force_login(make_user(role))
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["reporter", "approver", "admin"])
@pytest.mark.parametrize("model", MODELS)
def test_add_pages_follow_the_role(client, make_user, role, model):
    client.force_login(make_user(role))
    status = client.get(reverse(f"admin:{model}_add")).status_code
    assert status == (200 if model in ADDABLE[role] else 403)


def test_a_reporter_cannot_change_a_hotspot(client, reporter):
    client.force_login(reporter)
    hotspot = Hotspot.objects.get(slug="solino")
    url = reverse("admin:hotspots_hotspot_change", args=[hotspot.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only view
    assert client.post(url, {"name": "Renamed"}).status_code == 403


def test_a_reporter_cannot_change_contingents(client, reporter):
    client.force_login(reporter)
    kenya = ContingentFactory()
    url = reverse("admin:operations_contingent_change", args=[kenya.pk])
    assert client.post(url, {"name": "Changed", "country_code": "KE"}).status_code == 403


def test_a_reporter_sees_others_reports_read_only(client, reporter, make_user):
    report = OperationReportFactory(author=make_user("reporter"))
    client.force_login(reporter)
    url = reverse("admin:operations_operationreport_change", args=[report.pk])
    assert b'name="_save"' not in client.get(url).content
    assert client.post(url, {"title": "Hijacked"}).status_code == 403


def test_the_approve_action_is_offered_to_approvers_only(client, reporter, approver):
    OperationReportFactory(author=reporter)
    url = reverse("admin:operations_operationreport_changelist")
    client.force_login(reporter)
    assert b'value="approve_selected"' not in client.get(url).content
    client.force_login(approver)
    assert b'value="approve_selected"' in client.get(url).content
