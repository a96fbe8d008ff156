"""The admin's pages in a real browser: nothing they ask for is missing."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import sync_roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def admin_page(live_server, page, django_user_model):
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.failed = failed
    return page


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/operations/operationreport/", "/admin/operations/operationreport/add/"],
)
def test_admin_pages_request_nothing_missing_not_even_a_favicon(live_server, admin_page, path):
    admin_page.goto(f"{live_server.url}{path}")
    admin_page.wait_for_load_state("networkidle")
    icon = admin_page.locator("link[rel=icon]")
    assert icon.count() == 1
    assert admin_page.failed == []
