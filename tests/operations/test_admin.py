"""The admin forms: a report with a point from the map widget, actions, CSV export."""

import csv
import io
import json

import pytest
from django.urls import reverse

from hotspots.models import Hotspot
from operations.models import Contingent, OperationReport
from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db

# What django-leaflet's widget puts in the hidden field when staff click the map.
WIDGET_POINT = json.dumps({"type": "Point", "coordinates": [-72.3219, 18.5496]})


def _report_form(**overrides):
    data = {
        "reference": "",
        "title": "Joint patrol in Solino",
        "summary": "Barricades removed.",
        "operation_kind": "patrol",
        "releasability": "partners",
        "started_at_0": "2025-03-17",
        "started_at_1": "08:00:00",
        "ended_at_0": "2025-03-17",
        "ended_at_1": "12:00:00",
        "hotspots": [Hotspot.objects.get(slug="solino").pk],
        "location": WIDGET_POINT,
        "contingents": [Contingent.objects.get(country_code="KE").pk],
        "hnp_units": "UDMO",
        "personnel_deployed": "40",
        "arrests": "2",
        "weapons_seized": "1",
        "personnel_injured": "0",
        "personnel_killed": "0",
        "civilians_injured": "0",
        "civilians_killed": "0",
    }
    data.update(overrides)
    return data


def test_the_add_page_has_a_map_widget(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("admin:operations_operationreport_add"))
    assert page.status_code == 200
    assert b"leaflet" in page.content.lower()
    assert b'id="id_location-map"' in page.content or b"id_location" in page.content


def test_a_report_with_a_point_from_the_map_is_saved(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("admin:operations_operationreport_add"), _report_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    report = OperationReport.objects.get()
    assert report.author == reporter
    assert report.reference.startswith("OPS-2025-")
    assert (round(report.location.x, 4), round(report.location.y, 4)) == (-72.3219, 18.5496)
    assert list(report.hotspots.values_list("slug", flat=True)) == ["solino"]
    created = report.history.earliest()
    assert (created.history_type, created.history_user) == ("+", reporter)


def test_the_change_page_loads_and_saves(client, reporter):
    report = OperationReportFactory(author=reporter, title="Before")
    client.force_login(reporter)
    url = reverse("admin:operations_operationreport_change", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _report_form(reference=report.reference, title="After"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "After"


def test_a_point_outside_haiti_is_refused_with_a_message(client, reporter):
    client.force_login(reporter)
    miami = json.dumps({"type": "Point", "coordinates": [-80.19, 25.76]})
    response = client.post(reverse("admin:operations_operationreport_add"), _report_form(location=miami))
    assert response.status_code == 200
    assert "outside Haiti" in str(response.context["adminform"].form.errors["location"])


def test_an_end_before_the_start_is_refused_with_a_message(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:operations_operationreport_add"), _report_form(ended_at_0="2025-03-16")
    )
    assert "cannot be before its start" in str(response.context["adminform"].form.errors)


def test_submit_then_approve_through_the_admin_actions(client, reporter, approver):
    report = OperationReportFactory(author=reporter)
    url = reverse("admin:operations_operationreport_changelist")
    client.force_login(reporter)
    client.post(url, {"action": "submit_selected", "_selected_action": [report.pk]})
    client.force_login(approver)
    client.post(url, {"action": "approve_selected", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert (report.status, report.approved_by) == ("approved", approver)


def test_export_selection_as_csv(client, reporter):
    report = OperationReportFactory(author=reporter, title='=HYPERLINK("x")')
    client.force_login(reporter)
    response = client.post(
        reverse("admin:operations_operationreport_changelist"),
        {"action": "export_as_csv", "_selected_action": [report.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["reference", "title"]
    assert rows[1][0] == report.reference
    assert rows[1][1].startswith("'=")  # neutralised for spreadsheets


def test_the_hotspot_list_marks_low_confidence_and_unplaced(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:hotspots_hotspot_changelist")).content.decode()
    assert page.count('class="coord-low"') == Hotspot.objects.filter(confidence="low").count()
    assert 'class="coord-unplaced"' in page


def test_every_seed_hotspot_has_a_map_widget_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    for hotspot in Hotspot.objects.all():
        page = client.get(reverse("admin:hotspots_hotspot_change", args=[hotspot.pk]))
        assert page.status_code == 200
        assert b"id_location" in page.content


def test_the_admin_shows_a_reports_history(client, reporter, approver):
    report = OperationReportFactory(author=reporter, title="First title")
    report.title = "Second title"
    report.save()
    client.force_login(approver)
    page = client.get(reverse("admin:operations_operationreport_history", args=[report.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "First title" in content and "Second title" in content


def test_the_admin_shows_a_hotspots_history(client, admin_user):
    hotspot = Hotspot.objects.get(slug="solino")
    client.force_login(admin_user)
    page = client.get(reverse("admin:hotspots_hotspot_history", args=[hotspot.pk]))
    assert page.status_code == 200
    assert "Solino" in page.content.decode()
