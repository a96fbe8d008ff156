"""Staff turn their own two-factor sign-in on and off (inside the admin site)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .sessions import user_sessions_end
from .two_factor import has_two_factor, pending_device, verify_code


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def two_factor(request: HttpRequest, *, site) -> HttpResponse:
    """Show the QR code of a new authenticator and confirm it with a code; or turn it off."""
    user = request.user
    enabled = has_two_factor(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if enabled and request.POST.get("action") == "disable":
            if verify_code(user, code):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("admin:index")
            form.add_error("code", _("That code is not valid."))
        elif not enabled and request.POST.get("action") == "confirm":
            device = pending_device(user)
            if device.verify_token(code.strip()):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)  # this session has just proven the second factor
                # Sessions signed in with the password alone would be refused from now on: end them.
                user_sessions_end(user=user, keep=request.session.session_key)
                messages.success(request, _("Two-factor sign-in is on: each sign-in now asks for a code."))
                return redirect("admin:index")
            form.add_error("code", _("That code is not valid. Enter the code your app shows now."))
    context = {**site.each_context(request), "title": _("Two-factor sign-in"), "form": form}
    context["two_factor_on"] = enabled
    if not enabled:
        device = pending_device(user)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = b32encode(device.bin_key).decode()
    return TemplateResponse(request, "accounts/two_factor.html", context)
