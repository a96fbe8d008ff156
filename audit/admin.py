"""The audit trail in the admin: each audited model's history, read-only, exportable as CSV.

Only superusers see these lists (no role has their view permission); staff see one record's
history from its own page (the "History" button of reports, training records and hotspots).
"""

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone

from . import selectors


@admin.action(description="Export the selected changes as CSV (who, when, what)")
def export_changes(modeladmin, request, queryset):
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    label = modeladmin.model.instance_type._meta.label_lower.replace(".", "-")
    response["Content-Disposition"] = f'attachment; filename="history-{label}-{stamp}.csv"'
    selectors.write_csv(response, selectors.changes(records=queryset))
    return response


class HistoryAdmin(admin.ModelAdmin):
    """A historical model's rows: who changed which record when, and what changed."""

    list_display = ["history_date", "history_user", "action", "record", "history_change_reason"]
    list_filter = ["history_type", "history_date"]
    date_hierarchy = "history_date"
    list_select_related = ["history_user"]
    actions = [export_changes]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail is never edited from the admin

    @admin.display(description="action", ordering="history_type")
    def action(self, obj):
        return selectors.ACTIONS.get(obj.history_type, obj.history_type)

    @admin.display(description="record")
    def record(self, obj):
        return f"{obj.instance_type._meta.verbose_name} {obj.id}: {obj}"


for _label in selectors.AUDITED:
    admin.site.register(selectors.history_model(_label), HistoryAdmin)
