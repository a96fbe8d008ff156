from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_utils import (
    LastValidGeometryForm,
    ReadableGeometryMixin,
    ReadableHistoryMixin,
    export_as_csv_action,
    user_label,
)

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


class MyReportsFilter(admin.SimpleListFilter):
    """The signed-in user's own reports."""

    title = _("author")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("My reports"))]

    def queryset(self, request, queryset):
        return queryset.filter(author=request.user) if self.value() == "yes" else queryset


class WaitingForMeFilter(admin.SimpleListFilter):
    """What waits for the signed-in user: others' submitted reports for an approver, one's own
    drafts (new or sent back) for an author."""

    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", _("Waiting for me"))]

    def queryset(self, request, queryset):
        if self.value() != "me":
            return queryset
        return queryset.filter(services.reports_waiting_for(request.user))


# The workflow buttons of the report form: the step, the button's label and the message after it.
WORKFLOW_STEPS = {
    "submit": (_("Submit for approval"), _("%(reference)s was submitted for approval.")),
    "approve": (_("Approve"), _("%(reference)s was approved.")),
    "send_back": (_("Send back to the author"), _("%(reference)s was sent back to its author.")),
    "reject": (_("Reject"), _("%(reference)s was rejected.")),
}


@admin.register(OperationReport)
class OperationReportAdmin(ReadableGeometryMixin, ReadableHistoryMixin, LeafletGeoAdmin, SimpleHistoryAdmin):
    change_form_template = "operations/admin/report_change_form.html"
    form = LastValidGeometryForm
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
    list_filter = [
        WaitingForMeFilter,
        MyReportsFilter,
        "status",
        "releasability",
        "operation_kind",
        "contingents",
        "hotspots",
    ]
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
        if obj is None:
            return True
        # The stored report decides: the history's revert form passes an old version of it.
        stored = OperationReport.objects.filter(pk=obj.pk).first() if obj.pk else None
        return services.report_edit_refusal(report=stored or obj, user=request.user) is None

    def get_urls(self):
        workflow = path(
            "<path:object_id>/workflow/",
            self.admin_site.admin_view(self.workflow_view),
            name="operations_operationreport_workflow",
        )
        return [workflow, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if report is not None:
            user = request.user
            context["workflow_buttons"] = [
                (step, WORKFLOW_STEPS[step][0]) for step in services.report_actions(report=report, user=user)
            ]
            context["workflow_needs_reason"] = "send_back" in dict(context["workflow_buttons"])
            context["workflow_url"] = reverse("admin:operations_operationreport_workflow", args=[report.pk])
            decision = services.report_last_decision(report=report)
            if decision is not None:
                context["last_decision"] = {
                    "status": report.get_status_display(),
                    "who": user_label(decision.history_user),
                    "when": decision.history_date,
                    "reason": decision.history_change_reason,
                }
            refusal = services.report_edit_refusal(report=report, user=user)
            if refusal and self.has_view_permission(request, report):
                context["readonly_reason"] = refusal
                context["readonly_who"] = self._who_may_change(report)
        return super().change_view(request, object_id, form_url, extra_context=context)

    def _who_may_change(self, report) -> str:
        """Who may change the report, by name: the approvers (and its author while it is open)."""
        approvers = services.approvers().filter(is_staff=True)
        names = sorted({user_label(u) for u in approvers if u.pk != report.author_id})
        return ", ".join(names)

    def workflow_view(self, request, object_id):
        """A workflow button of a report page the user may only read: the step alone."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        report = get_object_or_404(self.get_queryset(request), pk=object_id)
        return self._workflow_step(request, report)

    def save_model(self, request, obj, form, change):
        # A workflow button on an unchanged form takes the step only: no empty change in the history.
        if change and "workflow" in request.POST and not form.has_changed():
            return
        # Many-to-many fields are saved by save_related after this, within the same request.
        services.report_save(report=obj, user=request.user)

    def response_change(self, request, obj):
        # A workflow button of the editable form: the form was saved first (edits are not lost),
        # then the step is taken.
        if "workflow" in request.POST:
            return self._workflow_step(request, obj)
        return super().response_change(request, obj)

    def _workflow_step(self, request, report):
        """The step is checked by the service (a refusal ends on the 403 page, which says why),
        then the form opens again with the outcome."""
        step = request.POST.get("workflow", "")
        if step not in WORKFLOW_STEPS:
            raise PermissionDenied(gettext("This step does not exist."))
        change_url = reverse("admin:operations_operationreport_change", args=[report.pk])
        try:
            if step in ("send_back", "reject"):
                service = services.report_send_back if step == "send_back" else services.report_reject
                service(report=report, user=request.user, reason=request.POST.get("reason", ""))
            else:
                service = services.report_submit if step == "submit" else services.report_approve
                service(report=report, user=request.user)
        except ValidationError as exc:
            self.message_user(request, _message(exc), messages.ERROR)
            return redirect(change_url)
        self.message_user(
            request, WORKFLOW_STEPS[step][1] % {"reference": report.reference}, messages.SUCCESS
        )
        return redirect(change_url)

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
class TrainingRecordAdmin(ReadableGeometryMixin, ReadableHistoryMixin, LeafletGeoAdmin, SimpleHistoryAdmin):
    form = LastValidGeometryForm
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
