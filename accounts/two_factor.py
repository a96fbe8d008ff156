"""Optional TOTP two-factor sign-in for staff and admins (django-otp).

A user who has confirmed an authenticator (a TOTP device) must give its current code with the
password at the admin sign-in, and the admin stays closed to a session that did not; a user with
none signs in with the password alone. A wrong code counts as a failed sign-in for the lockout.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def has_two_factor(user) -> bool:
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def two_factor_satisfied(user) -> bool:
    """False only for a user with an authenticator whose session did not give a code."""
    if not has_two_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


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
    missing code counts as a failed sign-in for the lockout, so codes cannot be guessed either.
    """

    otp_token = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=12,
        help_text=_("Only if you turned on two-factor sign-in."),
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
