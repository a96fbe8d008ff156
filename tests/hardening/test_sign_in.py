"""Sign-in protection: lockout after repeated failures, optional TOTP two-factor, session expiry."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "pw-123456789"  # make_user's password


def _sign_in(client, username, password=PASSWORD, code="", address="192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "otp_token": code, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def _unthrottle(device: TOTPDevice) -> None:
    # django-otp makes a device wait 1 s, then 2, 4... after each wrong code; tests do not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def _authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_a_good_password_signs_in(client, reporter):
    response = _sign_in(client, reporter.username)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_five_failures_lock_the_account_even_with_the_right_password(client, reporter):
    for _ in range(4):
        assert _sign_in(client, reporter.username, "wrong-password").status_code == 200
    assert _sign_in(client, reporter.username, "wrong-password").status_code == 429  # the fifth
    response = _sign_in(client, reporter.username)
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # not signed in


def test_the_lockout_follows_the_username_across_addresses(client, reporter):
    for i in range(5):
        _sign_in(client, reporter.username, "wrong-password", address=f"198.51.100.{i}")
    assert _sign_in(client, reporter.username, address="203.0.113.99").status_code == 429


def test_one_address_guessing_many_usernames_is_locked_out(client, reporter):
    for i in range(5):
        _sign_in(client, f"nobody{i}", "wrong-password", address="198.51.100.50")
    assert _sign_in(client, reporter.username, address="198.51.100.50").status_code == 429
    assert _sign_in(client, reporter.username, address="198.51.100.51").status_code == 302


def test_a_success_resets_the_count(client, reporter):
    for _ in range(4):
        _sign_in(client, reporter.username, "wrong-password")
    assert _sign_in(client, reporter.username).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, reporter.username, "wrong-password")
    assert _sign_in(client, reporter.username).status_code == 302


def test_without_an_authenticator_no_code_is_asked(client, approver):
    assert _sign_in(client, approver.username, code="").status_code == 302


def test_with_an_authenticator_the_code_is_required(client, approver):
    _authenticator(approver)
    response = _sign_in(client, approver.username, code="")
    assert response.status_code == 200
    assert b"Enter the current code from your authenticator app" in response.content
    assert client.get("/admin/").status_code == 302


def test_with_an_authenticator_a_wrong_code_is_refused(client, approver):
    device = _authenticator(approver)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = _sign_in(client, approver.username, code=wrong)
    assert response.status_code == 200
    assert b"not valid" in response.content


def test_with_an_authenticator_the_right_code_signs_in(client, admin_user):
    device = _authenticator(admin_user)
    assert _sign_in(client, admin_user.username, code=_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_count_towards_the_lockout(client, approver):
    device = _authenticator(approver)
    for _ in range(5):
        _sign_in(client, approver.username, code="000000" if _code(device) != "000000" else "111111")
    assert _sign_in(client, approver.username, code=_code(device)).status_code == 429


def test_a_session_that_skipped_the_second_factor_cannot_use_the_admin(client, admin_user):
    _authenticator(admin_user)
    client.force_login(admin_user)  # e.g. a session from before two-factor was turned on
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_staff_turn_two_factor_on_with_a_code_from_their_app(client, reporter):
    client.force_login(reporter)
    url = reverse("admin:two_factor")
    page = client.get(url)
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, drawn inline (no script)
    device = TOTPDevice.objects.get(user=reporter, confirmed=False)

    refused = client.post(url, {"action": "confirm", "code": "12345"})
    assert refused.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    _unthrottle(device)

    response = client.post(url, {"action": "confirm", "code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # this session proved the second factor

    client.logout()
    assert _sign_in(client, reporter.username).status_code == 200  # now a code is required


def test_staff_turn_two_factor_off_with_a_current_code(client, reporter):
    device = _authenticator(reporter)
    assert _sign_in(client, reporter.username, code=_code(device)).status_code == 302
    url = reverse("admin:two_factor")
    assert client.post(url, {"action": "disable", "code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=reporter).exists()
    _unthrottle(device)
    # The same code cannot be used twice; the next step's code is accepted within the drift.
    response = client.post(url, {"action": "disable", "code": _code(device, offset=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reporter).exists()


def test_the_admin_index_shows_the_two_factor_state(client, reporter):
    client.force_login(reporter)
    page = client.get("/admin/")
    assert b"Two-factor sign-in is <strong>off</strong>" in page.content


def test_sessions_end_with_the_browser_and_after_a_working_day(client, reporter, settings):
    response = _sign_in(client, reporter.username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 8 * 3600


def test_analysts_cannot_enter_the_admin_even_with_the_right_password(client, analyst):
    response = _sign_in(client, analyst.username)
    assert response.status_code == 200  # the form says staff only
    assert client.get("/admin/").status_code == 302


def test_behind_the_proxy_the_lockout_counts_the_forwarded_address(rf, settings):
    from accounts.lockout import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # what our proxy saw; the left part is the client's word
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
