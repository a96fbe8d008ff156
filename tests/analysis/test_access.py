"""Who may open the analysts' pages and the map's data: members yes, partners 403, anonymous sign-in."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

PAGES = ["/", "/updates/", "/dashboard/", "/hotspots/tlia/"]
DATA = ["/map/data/activity/", "/map/data/weekly/"]
MEMBERS = ["analyst", "reporter", "approver", "admin"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_get_the_sign_in_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", MEMBERS)
def test_members_of_the_mission_see_the_pages(client, make_user, url, role):
    client.force_login(make_user(role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_partners_are_refused_the_pages(client, partner, url):
    client.force_login(partner)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_user_without_a_role_is_refused_the_pages(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw-123456789"))
    assert client.get(url).status_code == 403


def test_an_unknown_hotspot_is_not_found(client, analyst):
    client.force_login(analyst)
    assert client.get("/hotspots/no-such-place/").status_code == 404


@pytest.mark.parametrize("url", DATA)
def test_the_maps_data_needs_credentials(url):
    assert APIClient().get(url).status_code == 401


@pytest.mark.parametrize("url", DATA)
@pytest.mark.parametrize("role", MEMBERS)
def test_members_read_the_maps_data(make_user, url, role):
    client = APIClient()
    client.force_login(make_user(role))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", DATA)
def test_partners_are_refused_the_maps_data_with_a_token_too(partner, url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=partner, name='t')[1]}")
    assert client.get(url).status_code == 403
    client = APIClient()
    client.force_login(partner)
    assert client.get(url).status_code == 403


def test_reading_hotspots_alone_is_not_enough_for_the_maps_data(django_user_model):
    user = django_user_model.objects.create_user("halfway", password="pw-123456789")
    user.user_permissions.add(Permission.objects.get(codename="view_hotspot"))
    client = APIClient()
    client.force_login(user)
    assert client.get("/map/data/activity/").status_code == 403


def test_the_maps_data_takes_tokens_so_it_is_in_the_api_schema(client):
    # Every endpoint that accepts a token is documented (issue 16), the members-only ones too.
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/map/data/activity/", "/map/data/weekly/"} <= set(schema["paths"])
