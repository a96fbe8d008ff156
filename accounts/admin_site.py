"""The portal's admin site: the default site, with the two-factor sign-in and session rules."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .two_factor import TwoFactorAdminLoginForm, has_two_factor, two_factor_satisfied


class PortalAdminSite(admin.AdminSite):
    """Django's admin, closed to sessions that skipped a user's second factor."""

    site_header = _("MSS Operations Portal")
    site_title = _("MSS Operations Portal")
    index_title = _("Mission records")
    login_form = TwoFactorAdminLoginForm
    login_template = "accounts/admin_login.html"
    index_template = "accounts/admin_index.html"

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and two_factor_satisfied(request.user)

    def get_urls(self):
        from django.urls import path

        from .views import two_factor

        own = [
            path(
                "two-factor/",
                self.admin_view(lambda request: two_factor(request, site=self)),
                name="two_factor",
            )
        ]
        return own + super().get_urls()

    def each_context(self, request):
        context = super().each_context(request)
        context["two_factor_on"] = has_two_factor(request.user)
        return context
