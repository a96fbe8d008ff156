"""Staff place things on the admin's map widget in a real browser."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import REPORTER, sync_roles
from hotspots import gazetteer
from hotspots.models import Hotspot
from operations.models import OperationReport

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.fixture
def seeded(transactional_db):
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    gazetteer.load_hotspots()


@pytest.fixture
def reporter_login(live_server, page, django_user_model, seeded):
    user = django_user_model.objects.create_user("reporter", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=REPORTER))
    _sign_in(page, live_server, "reporter")
    return user


@pytest.fixture
def admin_login(live_server, page, django_user_model, seeded):
    user = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    _sign_in(page, live_server, "boss")
    return user


def test_a_report_is_placed_by_clicking_the_map(live_server, page, reporter_login, artifacts):
    page.goto(f"{live_server.url}/admin/operations/operationreport/add/")
    page.fill("#id_title", "Patrol near the port")
    page.select_option("#id_operation_kind", "patrol")
    page.fill("#id_started_at_0", "2025-03-17")
    page.fill("#id_started_at_1", "08:00:00")

    # Draw a marker with the widget's toolbar, then click in the middle of the map.
    page.click(".leaflet-draw-draw-marker")
    box = page.locator("#id_location-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.screenshot(path=str(artifacts / "admin-report-map.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    report = OperationReport.objects.get()
    assert report.author == reporter_login
    assert report.location is not None
    # The map opens over Haiti: the clicked point is inside it (the model refuses anything else).
    assert -74.5 < report.location.x < -71.6 and 18.0 < report.location.y < 20.1
    assert page.errors == []


def test_a_hotspot_shows_its_point_on_the_widget(live_server, page, admin_login):
    hotspot = Hotspot.objects.get(slug="tlia")
    page.goto(f"{live_server.url}/admin/hotspots/hotspot/{hotspot.pk}/change/")
    page.wait_for_selector("#id_location-map .leaflet-marker-icon")
    assert page.locator("#id_location-map .leaflet-marker-icon").count() == 1
    assert page.errors == []


def test_the_widget_draws_haiti_without_tiles(live_server, page, admin_login, artifacts):
    page.goto(f"{live_server.url}/admin/hotspots/hotspot/add/")
    page.wait_for_selector("#id_location-map .leaflet-haitiOutline-pane path")
    assert page.locator("#id_location-map .leaflet-haitiOutline-pane path").count() == 10  # departments
    page.locator("#id_location-map").screenshot(path=str(artifacts / "admin-widget-outline.png"))
    assert page.errors == []
