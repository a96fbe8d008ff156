"""Passkeys (django-otp-webauthn): its views and script, under the portal's rules.

A passkey is added from the admin's two-factor page, so only staff may add one; adding a user's
first second factor ends the user's other sessions, as turning on an authenticator app does.
Passkeys are a second factor only (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off): signing in with
one needs a session that gave the password.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views

from .sessions import user_sessions_end
from .two_factor import has_two_factor


class StaffOnly(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Passkeys are for staff, who manage them in the admin.")
    default_code = "staff_only"


class _StaffRegistration:
    def check_can_register(self):
        if not self.request.user.is_staff:
            raise StaffOnly()


class BeginRegistration(_StaffRegistration, views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_StaffRegistration, views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        user = self.request.user
        first = not has_two_factor(user)
        response = super().post(*args, **kwargs)
        if first and response.status_code == 200:
            # Sessions signed in with the password alone would be refused from now on: end them.
            user_sessions_end(user=user, keep=self.request.session.session_key)
        return response


# The package's URLs (its template tags reverse these names), with registration under our rules.
app_name = "otp_webauthn"
urlpatterns = [
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.CompleteCredentialAuthenticationView.as_view(),
        name="credential-authentication-complete",
    ),
    # The package's script strings, with the portal's French and Kreyòl (locale/*/djangojs.po).
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
