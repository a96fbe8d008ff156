"""Two-factor sign-in is one rule for the pages, the admin and the API's session authentication; turning
it on, a password change or a deactivation ends the user's other sessions."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OperationReportFactory
from tests.hardening.test_sign_in import PASSWORD, _code, _sign_in

pytestmark = pytest.mark.django_db

PAGE, ADMIN, API, MAP_DATA = "/", "/admin/", "/api/v1/reports/", "/map/data/activity/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _allowed(client, path) -> bool:
    status = client.get(path).status_code
    assert status in (200, 302, 401, 403), (path, status)
    return status == 200


def _refused_everywhere(client) -> bool:
    return not any(_allowed(client, path) for path in (PAGE, ADMIN, API, MAP_DATA))


def test_a_session_from_before_two_factor_is_refused_by_the_api_as_by_pages_and_admin(approver, reporter):
    report = OperationReportFactory(author=reporter, status="submitted")
    client = _signed_in(approver)
    assert all(_allowed(client, path) for path in (PAGE, ADMIN, API, MAP_DATA))

    TOTPDevice.objects.create(user=approver, name="authenticator", confirmed=True)  # e.g. from a shell

    assert _refused_everywhere(client)
    response = client.get(API)
    assert response.status_code == 401
    assert "authenticator code" in response.json()["detail"]
    approval = client.post(f"{API}{report.pk}/approve/")
    assert approval.status_code == 401
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_session_that_gave_the_code_uses_the_api(client, approver):
    device = TOTPDevice.objects.create(user=approver, name="authenticator", confirmed=True)
    assert _sign_in(client, approver.username, code=_code(device)).status_code == 302
    assert client.get(API).status_code == 200
    assert client.get(MAP_DATA).status_code == 200


def test_turning_two_factor_on_ends_the_users_other_sessions(reporter, analyst):
    elsewhere, other_user = _signed_in(reporter), _signed_in(analyst)
    elsewhere_key = elsewhere.session.session_key
    here = _signed_in(reporter)
    url = reverse("admin:two_factor")
    here.get(url)
    device = TOTPDevice.objects.get(user=reporter, confirmed=False)

    assert here.post(url, {"action": "confirm", "code": _code(device)}).status_code == 302

    assert here.get(ADMIN).status_code == 200 and here.get(API).status_code == 200
    assert not Session.objects.filter(session_key=elsewhere_key).exists()
    assert _refused_everywhere(elsewhere)
    assert _allowed(other_user, PAGE)  # another user's session is left alone


def test_a_password_change_ends_the_users_other_sessions(reporter):
    elsewhere, here = _signed_in(reporter), _signed_in(reporter)
    new_password = "another-long-passphrase-42"
    response = here.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert _refused_everywhere(elsewhere)
    assert here.get(ADMIN).status_code == 200 and here.get(API).status_code == 200


def test_a_deactivation_ends_the_users_sessions(reporter):
    client = _signed_in(reporter)
    assert _allowed(client, API)
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])
    assert _refused_everywhere(client)
