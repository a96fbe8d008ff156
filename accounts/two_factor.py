"""Two-factor sign-in for staff and admins (django-otp): an authenticator app (TOTP) or a passkey.

A user who has confirmed an authenticator (a TOTP device) gives its current code with the password
at sign-in; a user with a passkey (django-otp-webauthn) may leave the code empty and use the passkey
at a second step. The pages, the admin and the API's session authentication stay closed to a
session that did not give the second factor; a user with none signs in with the password alone,
unless an admin made the user's role require one (SecondFactorRule): then the user is sent to set
one up. A wrong code counts as a failed sign-in for the lockout.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import device_classes, devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .models import SecondFactorRule
from .roles import ADMIN

DEVICE_NAME = "authenticator"
# What keeps a signed-in session out (second_factor_gap).
UNVERIFIED = "unverified"  # the user has a second factor; this session did not give it
MISSING = "missing"  # the user's role requires a second factor; the user has none


def has_two_factor(user) -> bool:
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def two_factor_satisfied(user) -> bool:
    """False only for a user with a second factor whose session did not give it."""
    return second_factor_gap(user) != UNVERIFIED


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def second_factor_gap(user) -> str | None:
    """Why this signed-in session may not go on (UNVERIFIED, MISSING), or None when it may.

    Asked on every request of the pages, the admin and the API's sessions, so in one query: whether
    the user has a confirmed device of any kind django-otp knows (TOTP, passkey), and whether a
    rule requires one of the user's roles (approver by group, admin for superusers) to have one.
    """
    if not user.is_authenticated:
        return None
    devices = {
        f"device_{index}": Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
        for index, model in enumerate(device_classes())
    }
    roles = Q(role__in=user.groups.values("name"))
    if user.is_superuser:
        roles |= Q(role=ADMIN)
    required = Exists(SecondFactorRule.objects.filter(roles, required=True))
    facts = get_user_model()._default_manager.filter(pk=user.pk).annotate(required=required, **devices)
    row = facts.values("required", *devices).first() or {}
    if any(row.get(name) for name in devices):
        # What django-otp's is_verified() asks; set by its middleware from the session, or by the
        # sign-in form on the user it has just signed in (who has no is_verified() yet).
        return None if getattr(user, "otp_device", None) is not None else UNVERIFIED
    return MISSING if row.get("required") else None


def verify_code(user, code: str):
    """The confirmed device that accepts ``code`` now, or None."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) > 8:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first use (its secret shown once set up)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


class TwoFactorCodeForm(forms.Form):
    """Adds the authenticator code to a sign-in form, for users who turned two-factor sign-in on.

    Mixed into the admin's and the portal's sign-in forms, so both apply one rule. A wrong or
    missing code counts as a failed sign-in for the lockout, so codes cannot be guessed either. A
    user with a passkey may leave the code empty: the password alone signs in a session that every
    page refuses until it gives the passkey (or a code) at the second step (second_step).
    """

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=12,
        help_text=_("Only if you use an authenticator app. With a passkey, leave it empty: it comes next."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    otp_error_messages = {
        "otp_required": _("Enter the current code from your authenticator app."),
        "otp_invalid": _("That authenticator code is not valid. Enter the current code."),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not has_two_factor(user):
            return
        code = self.cleaned_data.get("otp_token") or ""
        if not code and has_passkey(user):
            return  # signed in with the password alone: the passkey is asked at the second step
        device = verify_code(user, code)
        if device is None:
            user_login_failed.send(
                sender=type(self), credentials={"username": user.get_username()}, request=self.request
            )
            code_name = "otp_invalid" if code else "otp_required"
            raise ValidationError(self.otp_error_messages[code_name], code=code_name)
        # django_otp's user_logged_in receiver marks the session verified with this device.
        user.otp_device = device


class TwoFactorAdminLoginForm(TwoFactorCodeForm, AdminAuthenticationForm):
    """The admin's sign-in: staff only (AdminAuthenticationForm), plus the authenticator code."""


def second_step(request, response):
    """A sign-in view's answer: the second step of the sign-in, for a session that gave the password
    alone (its user has a passkey and left the code empty), before going where the sign-in went."""
    if response.status_code == 302 and second_factor_gap(request.user) == UNVERIFIED:
        return redirect(f"{reverse('admin:two_factor_verify')}?{urlencode({'next': response['Location']})}")
    return response
