from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp_webauthn.admin import WebAuthnCredentialAdmin
from django_otp_webauthn.models import WebAuthnCredential

from . import services
from .models import ApiToken, ApiTokenUse, SecondFactorRule

TOKEN_STATES = {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py issue_api_token` (the secret is printed once); here they are
    inspected and revoked."""

    list_display = ["prefix", "name", "user", "state", "created_at", "expires_at", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    fields = [
        "prefix",
        "name",
        "user",
        "state",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "uses",
    ]
    readonly_fields = ["prefix", "user", "state", "created_at", "revoked_at", "last_used_at", "uses"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("state"))
    def state(self, obj):
        return TOKEN_STATES.get(obj.state, obj.state)

    @admin.display(description=_("requests made"))
    def uses(self, obj):
        url = reverse("admin:accounts_apitokenuse_changelist") + f"?token__id__exact={obj.pk}"
        count = obj.uses.count()
        label = ngettext("%(count)s logged", "%(count)s logged", count) % {"count": number_format(count)}
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(admin.ModelAdmin):
    """The log of requests made with tokens; written by the API, never edited."""

    list_display = ["at", "user", "token", "method", "path", "remote_addr"]
    list_filter = ["method", "at"]
    search_fields = ["path", "user__username", "token__prefix"]
    date_hierarchy = "at"
    list_select_related = ["user", "token"]
    readonly_fields = ["token", "user", "at", "method", "path", "remote_addr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SecondFactorRule)
class SecondFactorRuleAdmin(admin.ModelAdmin):
    """Whether approvers, and administrators, must sign in with a second factor; off until an admin
    turns it on. The list says what a rule does (accounts/templates/admin/accounts/secondfactorrule/)."""

    list_display = ["role", "required"]
    list_editable = ["required"]
    fields = ["role", "required"]
    readonly_fields = ["role"]

    def has_add_permission(self, request):
        return False  # one rule per role, made by a migration

    def has_delete_permission(self, request, obj=None):
        return False


# Users' passkeys, where an admin removes a lost one (users add and remove theirs on the two-factor
# page): django-otp-webauthn's own admin, which the package leaves to the project to register.
admin.site.register(WebAuthnCredential, WebAuthnCredentialAdmin)
