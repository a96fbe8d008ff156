from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_utils import ReadableGeometryMixin, export_as_csv_action

from . import services
from .models import Contingent, OperationReport, TrainingRecord


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


@admin.register(Contingent)
class ContingentAdmin(admin.ModelAdmin):
    list_display = ["name", "country_code", "name_fr", "name_ht", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_fr", "name_ht", "country_code"]


@admin.register(OperationReport)
class OperationReportAdmin(ReadableGeometryMixin, LeafletGeoAdmin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "operation_kind",
        "started_at",
        "status",
        "releasability",
        "author",
        "approved_by",
    ]
    list_filter = ["status", "releasability", "operation_kind", "contingents", "hotspots"]
    search_fields = ["reference", "title", "summary", "hnp_units", "hotspots__name"]
    date_hierarchy = "started_at"
    autocomplete_fields = ["hotspots", "contingents"]
    readonly_fields = [
        "status",
        "author",
        "submitted_at",
        "approved_by",
        "approved_at",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["author", "approved_by"]
    actions = [
        "submit_selected",
        "approve_selected",
        export_as_csv_action(
            [
                "reference",
                "title",
                "operation_kind",
                "started_at",
                "ended_at",
                "hotspots",
                "contingents",
                "hnp_units",
                *OperationReport.FIGURE_FIELDS,
                "status",
                "releasability",
                "author",
                "approved_by",
            ],
            filename="operation-reports",
        ),
    ]
    fieldsets = [
        (None, {"fields": ["reference", "title", "summary", "operation_kind", "releasability"]}),
        (_("When and where"), {"fields": ["started_at", "ended_at", "hotspots", "location"]}),
        (_("Who"), {"fields": ["contingents", "hnp_units"]}),
        (_("Outcome"), {"fields": list(OperationReport.FIGURE_FIELDS)}),
        (_("Workflow"), {"fields": ["status", "author", "submitted_at", "approved_by", "approved_at"]}),
    ]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.report_edit_refusal(report=obj, user=request.user) is None

    def save_model(self, request, obj, form, change):
        # Many-to-many fields are saved by save_related after this, within the same request.
        services.report_save(report=obj, user=request.user)

    @admin.action(description=_("Submit the selected drafts for approval"))
    def submit_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.report_submit,
            lambda n: ngettext("%(count)s report submitted.", "%(count)s reports submitted.", n),
        )

    @admin.action(description=_("Approve the selected submitted reports"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.report_approve,
            lambda n: ngettext("%(count)s report approved.", "%(count)s reports approved.", n),
        )

    def has_approve_permission(self, request):
        return services.user_is_approver(request.user)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for report in queryset:
            try:
                service(report=report, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                # The services' messages name the report already; others get its reference in front.
                text = _message(exc)
                if report.reference not in text:
                    text = f"{report.reference}: {text}"
                self.message_user(request, text, messages.ERROR)
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadableGeometryMixin, LeafletGeoAdmin, SimpleHistoryAdmin):
    list_display = [
        "course",
        "topic",
        "hotspot",
        "starts_on",
        "ends_on",
        "trainees_total",
        "trainees_women",
        "status",
        "releasability",
        "author",
    ]
    list_filter = ["status", "topic", "releasability", "providing_contingents"]
    search_fields = ["course", "place_name", "notes", "hotspot__name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["hotspot", "providing_contingents"]
    readonly_fields = ["author", "created_at", "updated_at"]
    list_select_related = ["hotspot", "author"]
    actions = [
        export_as_csv_action(
            [
                "course",
                "topic",
                "hotspot",
                "place_name",
                "providing_contingents",
                "starts_on",
                "ends_on",
                "trainees_total",
                "trainees_women",
                "status",
                "releasability",
                "author",
            ],
            filename="training-records",
        )
    ]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.training_edit_refusal(record=obj, user=request.user) is None

    def save_model(self, request, obj, form, change):
        services.training_save(record=obj, user=request.user)
