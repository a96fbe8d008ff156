"""Passkeys (django-otp-webauthn) beside authenticator apps: a django-otp device like them, so one rule
for pages, admin and API sessions; a second step of sign-in where the passkey (or a code) is given;
the two-factor page lists and removes them. The browser ceremony itself: tests/e2e/test_passkeys.py."""

import secrets

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.hardening.test_sign_in import PASSWORD, _code, _sign_in, _unthrottle

pytestmark = pytest.mark.django_db

PAGE, ADMIN, API = "/", "/admin/", "/api/v1/reports/"
VERIFY = "/admin/two-factor/verify/"


def _passkey(user, name="laptop") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=secrets.token_bytes(16),
        public_key=b"not used here",
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def _refused_everywhere(client) -> bool:
    return all(client.get(path).status_code in (302, 401) for path in (PAGE, ADMIN, API))


def test_a_session_from_before_a_passkey_is_refused_everywhere(client, approver):
    client.force_login(approver)
    assert client.get(API).status_code == 200
    _passkey(approver)
    assert _refused_everywhere(client)


def test_with_a_passkey_the_password_alone_leads_to_the_second_step(client, approver):
    _passkey(approver)
    response = _sign_in(client, approver.username, code="")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert _refused_everywhere(client)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'id="passkey-verification-placeholder"' in page.content
    assert b'id="otp_webauthn_config"' in page.content  # the package's script and its settings
    assert b'id="code-form"' not in page.content  # no authenticator app: no code to give


def test_the_pages_sign_in_leads_to_the_second_step_too(client, analyst):
    _passkey(analyst)
    response = client.post(
        reverse("login"), {"username": analyst.username, "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    assert client.get(PAGE).status_code == 302


def test_with_a_passkey_and_an_app_a_code_at_the_second_step_signs_in(client, approver):
    _passkey(approver)
    device = TOTPDevice.objects.create(user=approver, name="authenticator", confirmed=True)
    step = _sign_in(client, approver.username, code="")["Location"]
    assert b'id="code-form"' in client.get(step).content
    response = client.post(step, {"code": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200 and client.get(API).status_code == 200


def test_with_a_passkey_a_code_at_the_first_step_still_signs_in(client, approver):
    _passkey(approver)
    device = TOTPDevice.objects.create(user=approver, name="authenticator", confirmed=True)
    response = _sign_in(client, approver.username, code=_code(device))
    assert response["Location"] == ADMIN
    assert client.get(API).status_code == 200


def test_wrong_codes_at_the_second_step_count_towards_the_lockout(client, approver):
    _passkey(approver)
    device = TOTPDevice.objects.create(user=approver, name="authenticator", confirmed=True)
    step = _sign_in(client, approver.username, code="")["Location"]
    wrong = "000000" if _code(device) != "000000" else "111111"
    for _ in range(4):
        _unthrottle(device)
        assert client.post(step, {"code": wrong}).status_code == 200
    _unthrottle(device)
    response = client.post(step, {"code": wrong})  # the fifth failure: locked out, the session ends
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _sign_in(client, approver.username, code=_code(device)).status_code == 429


def test_the_second_step_sends_elsewhere_who_has_nothing_to_give(client, approver):
    assert client.get(f"{VERIFY}?next=/admin/").status_code == 302  # not signed in: to the sign-in
    assert client.get(f"{VERIFY}?next=/admin/")["Location"].startswith("/accounts/login/")
    client.force_login(approver)  # no second factor: nothing to verify
    assert client.get(f"{VERIFY}?next=/updates/")["Location"] == "/updates/"
    assert client.get(f"{VERIFY}?next=https://elsewhere.example/")["Location"] == ADMIN


def test_passkeys_cannot_sign_in_without_the_password(client):
    response = client.post("/accounts/passkeys/authentication/begin/")
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_only_staff_may_add_a_passkey(client, analyst, reporter):
    client.force_login(analyst)
    refused = client.post("/accounts/passkeys/registration/begin/")
    assert refused.status_code == 403
    assert "otp_webauthn_register_state" not in client.session
    client.force_login(reporter)
    options = client.post("/accounts/passkeys/registration/begin/")
    assert options.status_code == 200
    assert options.json()["rp"] == {"id": "localhost", "name": "MSS Operations Portal"}


def test_the_two_factor_page_lists_the_users_passkeys_and_removes_one(client, reporter, approver):
    mine, theirs = _passkey(reporter, "laptop"), _passkey(approver, "phone")
    client.force_login(reporter)
    session = client.session
    session["otp_device_id"] = mine.persistent_id
    session.save()
    url = reverse("admin:two_factor")
    page = client.get(url).content.decode()
    assert "laptop" in page and "phone" not in page
    assert 'id="passkey-registration-placeholder"' in page

    client.post(url, {"action": "remove_passkey", "passkey": str(theirs.pk)})
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()  # another user's: untouched
    response = client.post(url, {"action": "remove_passkey", "passkey": str(mine.pk)})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=mine.pk).exists()


def test_the_second_step_speaks_kreyol(client, approver):
    _passkey(approver)
    client.cookies["django_language"] = "ht"
    step = _sign_in(client, approver.username, code="")["Location"]
    page = client.get(step).content.decode()
    assert "Sèvi ak kle aksè mwen" in page and "Use my passkey" not in page
    catalog = client.get("/accounts/passkeys/jsi18n/").content.decode()
    assert "N ap verifye..." in catalog  # the package's script strings, from our catalog


def test_a_failed_passkey_registration_changes_nothing(client, reporter):
    """The package's registration view, under our rule; the browser test drives a real ceremony."""
    elsewhere = Client()
    elsewhere.force_login(reporter)
    elsewhere_key = elsewhere.session.session_key
    client.force_login(reporter)
    assert client.post("/accounts/passkeys/registration/begin/").status_code == 200
    # Without an authenticator's answer the ceremony fails: no passkey, the other session stays.
    failed = client.post(
        "/accounts/passkeys/registration/complete/", data="{}", content_type="application/json"
    )
    assert failed.status_code >= 400
    assert not WebAuthnCredential.objects.filter(user=reporter).exists()
    assert Session.objects.filter(session_key=elsewhere_key).exists()


def test_an_admin_sees_and_removes_a_users_lost_passkey_in_the_admin(client, admin_user, reporter):
    lost = _passkey(reporter, "lost phone")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:django_otp_webauthn_webauthncredential_changelist"))
    assert listing.status_code == 200
    assert "lost phone" in listing.content.decode()
    url = reverse("admin:django_otp_webauthn_webauthncredential_delete", args=[lost.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=lost.pk).exists()
