"""Passkeys in a real browser: Chromium's virtual authenticator (Chrome DevTools Protocol) stands in
for the device's screen lock. A staff member adds a passkey on the two-factor page, then signs in
with the password and, at the second step, the passkey.

The live server answers on http://localhost:<port>: a secure context, as WebAuthn needs (an IP
address such as 127.0.0.1 cannot be a relying party ID), so the test's allowed origin is that URL.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from accounts.roles import APPROVER, sync_roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def relying_party(live_server, settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server.url


@pytest.fixture
def approver_account(django_user_model):
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    user = django_user_model.objects.create_user("approbatè", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=APPROVER))
    return user


@pytest.fixture
def authenticator(page):
    """A platform authenticator with user verification, as a phone or laptop has, for this page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    cdp.authenticator_id = added["authenticatorId"]
    return cdp


def _sign_in_with_password(page, url):
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", "approbatè")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_staff_add_a_passkey_then_sign_in_with_it(page, relying_party, approver_account, authenticator):
    url = relying_party
    blocked = []  # the package's scripts run under the Content-Security-Policy, with nothing blocked
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in_with_password(page, url)
    page.wait_for_url(f"{url}/admin/")

    elsewhere = Client()
    elsewhere.force_login(approver_account)  # another browser, signed in with the password alone
    elsewhere_key = elsewhere.session.session_key

    page.goto(f"{url}/admin/two-factor/")
    page.click("#passkey-register-button")
    page.wait_for_selector("#passkey-list tbody tr")  # the page reloads with the passkey listed
    passkey = WebAuthnCredential.objects.get(user=approver_account)
    assert passkey.confirmed
    stored = authenticator.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator.authenticator_id}
    )
    assert len(stored["credentials"]) == 1  # the private key stays in the authenticator
    assert not Session.objects.filter(session_key=elsewhere_key).exists()  # a first second factor ends them

    page.context.clear_cookies()
    _sign_in_with_password(page, url)
    page.wait_for_url(f"{url}/admin/two-factor/verify/?next=%2Fadmin%2F")
    # The password alone opens nothing: not the admin, not the API.
    assert page.request.get(f"{url}/api/v1/reports/").status == 401

    page.click("#passkey-verification-button")
    page.wait_for_url(f"{url}/admin/")
    assert page.locator("#two-factor-module").is_visible()
    assert page.request.get(f"{url}/api/v1/reports/").status == 200
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert page.errors == []
    assert blocked == []


def test_in_kreyol_the_pages_sign_in_asks_for_the_passkey_next(
    page, relying_party, approver_account, authenticator
):
    url = relying_party
    page.context.add_cookies([{"name": "django_language", "value": "ht", "url": url}])
    _sign_in_with_password(page, url)
    page.wait_for_url(f"{url}/admin/")
    page.goto(f"{url}/admin/two-factor/")
    register = page.locator("#passkey-register-button")
    assert register.inner_text() == "Ajoute yon kle aksè"
    register.click()
    page.wait_for_selector("#passkey-list tbody tr")

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "ht", "url": url}])
    page.goto(f"{url}/accounts/login/?next=/updates/")
    page.fill("#id_username", "approbatè")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{url}/admin/two-factor/verify/?next=%2Fupdates%2F")
    button = page.locator("#passkey-verification-button")
    assert button.inner_text() == "Sèvi ak kle aksè mwen"
    button.click()
    page.wait_for_url(f"{url}/updates/")
    assert page.locator("html").get_attribute("lang") == "ht"
    assert page.errors == []
