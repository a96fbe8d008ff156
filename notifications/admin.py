from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import PreferenceAdminForm
from .models import Notification, NotificationPreference, Watch


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What members were told in the portal: read-only, made by the workflow and ingestion."""

    list_display = ["created_at", "recipient", "kind", "what", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "report__reference"]
    list_select_related = ["recipient", "report", "update__post", "actor"]
    readonly_fields = ["recipient", "kind", "report", "update", "actor", "reason", "created_at", "read_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("update__hotspots")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what"))
    def what(self, obj):
        return obj.summary()


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["user", "hotspot", "kind", "frequency", "created_at"]
    list_filter = ["frequency", "kind"]
    search_fields = ["user__username", "hotspot__name"]
    list_select_related = ["user", "hotspot"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    form = PreferenceAdminForm
    list_display = ["user", "language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
