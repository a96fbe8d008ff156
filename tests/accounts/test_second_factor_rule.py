"""An admin may require a second factor of approvers, and of administrators (SecondFactorRule, off by
default). A member of such a role without one is sent to set one up by the pages and the admin, and
the API's session authentication refuses the session, saying why in the member's language."""

import secrets

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecondFactorRule
from accounts.roles import ANALYST, APPROVER, PARTNER, REPORTER
from tests.hardening.test_sign_in import _code

pytestmark = pytest.mark.django_db

PAGE, ADMIN, ADMIN_LIST, API = "/", "/admin/", "/admin/operations/operationreport/", "/api/v1/reports/"
SETUP = "/admin/two-factor/"


def _require(role: str, required: bool = True) -> None:
    SecondFactorRule.objects.filter(role=role).update(required=required)


def _signed_in(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _passkey(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name="passkey",
        confirmed=True,
        credential_id=secrets.token_bytes(16),
        public_key=b"not used here",
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def test_the_rules_exist_for_approvers_and_administrators_and_are_off():
    assert {(rule.role, rule.required) for rule in SecondFactorRule.objects.all()} == {
        ("approver", False),
        ("admin", False),
    }


@pytest.mark.parametrize("role", [APPROVER, "admin"])
def test_with_the_rule_off_a_member_without_a_second_factor_uses_everything(make_user, role):
    client = _signed_in(make_user(role))
    assert client.get(PAGE).status_code == 200
    assert client.get(ADMIN).status_code == 200
    assert client.get(API).status_code == 200


@pytest.mark.parametrize("role", [APPROVER, "admin"])
def test_with_the_rule_on_the_pages_and_the_admin_send_the_member_to_set_one_up(make_user, role):
    _require(role)
    client = _signed_in(make_user(role))
    for path in (PAGE, ADMIN, ADMIN_LIST):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SETUP, path
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b'id="second-factor-required"' in page.content


@pytest.mark.parametrize("role", [APPROVER, "admin"])
def test_with_the_rule_on_the_api_refuses_the_members_session_and_says_why(make_user, role):
    _require(role)
    user = make_user(role)
    response = _signed_in(user).get(API)
    assert response.status_code == 401
    assert "Your role requires a second factor" in response.json()["detail"]
    in_french = _signed_in(user, "fr").get(API)
    assert in_french.status_code == 401
    assert "Votre rôle exige un second facteur" in in_french.json()["detail"]
    in_kreyol = _signed_in(user, "ht").get(API)
    assert "Wòl ou mande yon dezyèm faktè" in in_kreyol.json()["detail"]


def test_the_rule_of_one_role_leaves_the_other_alone(make_user):
    _require(APPROVER)
    admin = _signed_in(make_user("admin"))
    assert admin.get(ADMIN).status_code == 200 and admin.get(API).status_code == 200
    _require(APPROVER, False)
    _require("admin")
    approver = _signed_in(make_user(APPROVER))
    assert approver.get(ADMIN).status_code == 200 and approver.get(API).status_code == 200


def test_an_administrator_who_is_also_an_approver_follows_the_approvers_rule(make_user):
    _require(APPROVER)
    admin = make_user("admin")
    admin.groups.add(Group.objects.get(name=APPROVER))
    assert _signed_in(admin).get(API).status_code == 401


@pytest.mark.parametrize("role", [ANALYST, REPORTER, PARTNER])
def test_the_rules_do_not_concern_the_other_roles(make_user, role):
    _require(APPROVER)
    _require("admin")
    client = _signed_in(make_user(role))
    expected = {ANALYST: (200, 302, 200), REPORTER: (200, 200, 200), PARTNER: (403, 302, 200)}[role]
    assert (
        client.get(PAGE).status_code,
        client.get(ADMIN).status_code,
        client.get(API).status_code,
    ) == expected


@pytest.mark.parametrize("role", [APPROVER, "admin"])
def test_with_the_rule_on_a_member_with_a_passkey_whose_session_gave_it_uses_everything(make_user, role):
    _require(role)
    user = make_user(role)
    client = Client()
    client.force_login(user)
    passkey = _passkey(user)
    assert client.get(API).status_code == 401  # a second factor now, which this session did not give
    session = client.session
    session["otp_device_id"] = passkey.persistent_id  # what django_otp.login records
    session.save()
    assert client.get(PAGE).status_code == 200
    assert client.get(ADMIN).status_code == 200
    assert client.get(API).status_code == 200


def test_setting_up_an_authenticator_app_lets_the_member_in(approver):
    _require(APPROVER)
    client = _signed_in(approver)
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=approver, confirmed=False)
    response = client.post(SETUP, {"action": "confirm", "code": _code(device)})
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 200
    assert client.get(ADMIN).status_code == 200
    assert client.get(API).status_code == 200


def test_a_member_who_must_set_one_up_may_still_sign_out_and_change_the_password(approver):
    _require(APPROVER)
    client = _signed_in(approver)
    assert client.get(reverse("admin:password_change")).status_code == 200
    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get(API).status_code == 401  # signed out: no session any more
    assert "_auth_user_id" not in client.session


def test_an_admin_turns_a_rule_on_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:accounts_secondfactorrule_changelist")
    approvers, admins = (
        SecondFactorRule.objects.get(role=APPROVER),
        SecondFactorRule.objects.get(role="admin"),
    )
    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": str(admins.pk),
            "form-1-id": str(approvers.pk),
            "form-1-required": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert SecondFactorRule.objects.get(role=APPROVER).required
    assert not SecondFactorRule.objects.get(role="admin").required


def test_the_admin_says_what_a_rule_does(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("admin:accounts_secondfactorrule_changelist")).content.decode()
    assert "doivent d'abord en configurer une" in page
    assert client.get(reverse("admin:accounts_secondfactorrule_add")).status_code == 403
