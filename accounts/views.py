"""Staff manage their own second factors (inside the admin site): an authenticator app, passkeys; and
the second step of a sign-in, where a session that gave the password gives its passkey or a code."""

from __future__ import annotations

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .sessions import user_sessions_end
from .two_factor import (
    MISSING,
    UNVERIFIED,
    has_passkey,
    has_two_factor,
    pending_device,
    second_factor_gap,
    verify_code,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def two_factor(request: HttpRequest, *, site) -> HttpResponse:
    """Show the QR code of a new authenticator and confirm it with a code, or turn it off; list the
    user's passkeys, add one (django-otp-webauthn's script and views) or remove one."""
    user = request.user
    totp_on = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "remove_passkey":
        passkey = request.POST.get("passkey", "")
        if passkey.isdigit() and WebAuthnCredential.objects.filter(user=user, pk=passkey).delete()[0]:
            messages.success(request, _("The passkey is removed."))
        return redirect("admin:two_factor")
    form = CodeForm(request.POST if action in ("disable", "confirm") else None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        if totp_on and action == "disable":
            if verify_code(user, code):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("admin:index")
            form.add_error("code", _("That code is not valid."))
        elif not totp_on and action == "confirm":
            first = not has_two_factor(user)
            device = pending_device(user)
            if device.verify_token(code.strip()):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)  # this session has just proven the second factor
                # Sessions signed in with the password alone would be refused from now on: end them.
                if first:
                    user_sessions_end(user=user, keep=request.session.session_key)
                messages.success(request, _("Two-factor sign-in is on: each sign-in now asks for a code."))
                return redirect("admin:index")
            form.add_error("code", _("That code is not valid. Enter the code your app shows now."))
    context = {**site.each_context(request), "title": _("Two-factor sign-in"), "form": form}
    context["two_factor_on"] = totp_on
    context["passkeys"] = WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")
    context["second_factor_missing"] = second_factor_gap(user) == MISSING
    if not totp_on:
        device = pending_device(user)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = b32encode(device.bin_key).decode()
    return TemplateResponse(request, "accounts/two_factor.html", context)


def two_factor_verify(request: HttpRequest, *, site) -> HttpResponse:
    """The second step of a sign-in, for a session that gave the password alone: its passkey (the
    package's script and views, which mark the session verified) or a code from its app.

    A wrong code counts as a failed sign-in for the lockout; once the user is locked out the session
    ends, so the codes cannot be guessed here either.
    """
    user = request.user
    next_url = _next_url(request)
    if not user.is_authenticated:
        return redirect_to_login(next_url)
    if second_factor_gap(user) != UNVERIFIED:
        return redirect(next_url)
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    form = CodeForm(request.POST if request.method == "POST" and has_totp else None)
    if form.is_bound and form.is_valid():
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        credentials = {"username": user.get_username()}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            return redirect_to_login(next_url)
        form.add_error("code", _("That code is not valid. Enter the code your app shows now."))
    context = {**site.each_context(request), "title": _("Second step of sign-in"), "form": form}
    context.update(
        next=next_url,
        has_totp=has_totp,
        has_passkey=has_passkey(user),
    )
    return TemplateResponse(request, "accounts/two_factor_verify.html", context)


def _next_url(request: HttpRequest) -> str:
    """Where the sign-in was going: ``next`` when it is a page of this site, else the user's home."""
    wanted = request.GET.get("next", "")
    hosts = {request.get_host()}
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts=hosts, require_https=request.is_secure()):
        return wanted
    return reverse("admin:index") if request.user.is_staff else resolve_url(settings.LOGIN_REDIRECT_URL)
