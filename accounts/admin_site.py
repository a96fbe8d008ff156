"""The portal's admin site: the default site, with the two-factor sign-in and session rules."""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .two_factor import (
    MISSING,
    UNVERIFIED,
    TwoFactorAdminLoginForm,
    has_two_factor,
    second_factor_gap,
    second_step,
)

# What a user whose role requires a second factor, and who has none, may still open: the page that
# sets one up, and signing out or changing the password.
SETUP_PAGES = frozenset({"two_factor", "logout", "password_change", "password_change_done"})


class PortalAdminSite(admin.AdminSite):
    """Django's admin, closed to sessions that skipped a user's second factor, and to users whose role
    requires one they have not set up (sent to set one up)."""

    site_header = _("MSS Operations Portal")
    site_title = _("MSS Operations Portal")
    index_title = _("Mission records")
    login_form = TwoFactorAdminLoginForm
    login_template = "accounts/admin_login.html"
    index_template = "accounts/admin_index.html"

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and second_factor_gap(request.user) != UNVERIFIED

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            match = request.resolver_match
            if (
                match is not None
                and match.url_name not in SETUP_PAGES
                and request.user.is_active
                and request.user.is_staff
                and second_factor_gap(request.user) == MISSING
            ):
                return redirect("admin:two_factor")
            return checked(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        return second_step(request, super().login(request, extra_context))

    def get_urls(self):
        from django.urls import path

        from .views import two_factor, two_factor_verify

        own = [
            path(
                "two-factor/",
                self.admin_view(lambda request: two_factor(request, site=self)),
                name="two_factor",
            ),
            # The second step of a sign-in: open to a session that gave the password alone.
            path(
                "two-factor/verify/",
                never_cache(lambda request: two_factor_verify(request, site=self)),
                name="two_factor_verify",
            ),
        ]
        return own + super().get_urls()

    def each_context(self, request):
        context = super().each_context(request)
        context["two_factor_on"] = has_two_factor(request.user)
        return context
