from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Tombstone, WebhookAttempt, WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Partners' endpoints; a paused one (it kept failing) is flagged here and resumed by an action."""

    list_display = [
        "url",
        "owner",
        "is_active",
        "state",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
    ]
    list_filter = ["is_active", ("paused_at", admin.EmptyFieldListFilter)]
    search_fields = ["url", "owner__username", "description"]
    list_select_related = ["owner"]
    readonly_fields = [
        "owner",
        "paused_at",
        "pause_reason",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
        "created_at",
        "updated_at",
    ]
    fields = ["owner", "url", "description", "resources", "is_active", *readonly_fields[1:]]
    actions = ["resume_selected"]

    def has_add_permission(self, request):
        return False  # partners register through the API, which shows them the signing secret once

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.paused_at is not None:
            return format_html('<strong title="{}">{}</strong>', obj.pause_reason, _("paused"))
        return _("active") if obj.is_active else _("off")

    def save_model(self, request, obj, form, change):
        services.subscription_update(
            subscription=obj, **{name: form.cleaned_data[name] for name in form.changed_data}
        )

    @admin.action(
        description=_("Resume the selected subscriptions and send what waited"), permissions=["change"]
    )
    def resume_selected(self, request, queryset):
        queued = sum(services.subscription_resume(subscription=s) for s in queryset)
        resumed = ngettext(
            "%(count)s subscription resumed", "%(count)s subscriptions resumed", queryset.count()
        ) % {"count": queryset.count()}
        sent = ngettext("%(count)s delivery queued.", "%(count)s deliveries queued.", queued) % {
            "count": queued
        }
        self.message_user(request, f"{resumed}; {sent}", messages.SUCCESS)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["at", "succeeded", "status_code", "duration_ms", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every event sent to a subscription, with each attempt: the delivery log."""

    list_display = [
        "created_at",
        "subscription",
        "resource",
        "object_id",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "delivered_at",
    ]
    list_filter = ["status", "event", "resource"]
    search_fields = ["object_id", "subscription__url", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["subscription__owner"]
    inlines = [WebhookAttemptInline]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Deleted (or withdrawn) records, as /api/v1/deleted/ tells syncing clients."""

    list_display = ["at", "resource", "object_id", "reason", "partners"]
    list_filter = ["resource", "reason", "partners"]
    search_fields = ["object_id"]
    date_hierarchy = "at"
    readonly_fields = ["resource", "object_id", "reason", "at", "partners"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
