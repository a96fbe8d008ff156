"""The audit trail in the admin: each audited model's history, read-only, exportable as CSV.

Only superusers see these lists (no role has their view permission); staff see one record's
history from its own page (the "History" button of reports, training records and hotspots).
"""

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_utils import ReadableGeometryMixin, user_label

from . import selectors

# The CSV export keeps selectors.ACTIONS (English, for tools); the admin speaks the user's language.
ACTION_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@admin.action(description=_("Export the selected changes as CSV (who, when, what)"))
def export_changes(modeladmin, request, queryset):
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    label = modeladmin.model.instance_type._meta.label_lower.replace(".", "-")
    response["Content-Disposition"] = f'attachment; filename="history-{label}-{stamp}.csv"'
    selectors.write_csv(response, selectors.changes(records=queryset))
    return response


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "history_type"

    def lookups(self, request, model_admin):
        return list(ACTION_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(history_type=self.value()) if self.value() else queryset


class WhenFilter(admin.DateFieldListFilter):
    """Django's date filter, titled in the user's language rather than by simple_history's field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("when")


class HistoryAdmin(ReadableGeometryMixin, admin.ModelAdmin):
    """A historical model's rows: who changed which record when, and what changed.

    simple_history's own columns (history_date, history_user...) carry English names of its own;
    they are shown through the display methods below, in the user's language.
    """

    list_display = ["when", "who", "action", "record", "reason"]
    list_filter = [ActionFilter, ("history_date", WhenFilter)]
    date_hierarchy = "history_date"
    list_select_related = ["history_user"]
    actions = [export_changes]

    def get_fields(self, request, obj=None):
        own = [f.name for f in self.model._meta.fields if not f.name.startswith("history_")]
        return [*own, "when", "who", "action", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail is never edited from the admin

    @admin.display(description=_("when"), ordering="history_date")
    def when(self, obj):
        return obj.history_date

    @admin.display(description=_("who"), ordering="history_user")
    def who(self, obj):
        return user_label(obj.history_user)

    @admin.display(description=_("action"), ordering="history_type")
    def action(self, obj):
        return ACTION_LABELS.get(obj.history_type, obj.history_type)

    @admin.display(description=_("reason"))
    def reason(self, obj):
        return obj.history_change_reason or "-"

    @admin.display(description=_("record"))
    def record(self, obj):
        return f"{obj.instance_type._meta.verbose_name} {obj.id}: {obj}"


for _label in selectors.AUDITED:
    admin.site.register(selectors.history_model(_label), HistoryAdmin)
