from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_utils import (
    LabelledTabularInline,
    LastValidGeometryForm,
    ReadableGeometryMixin,
    ReadableHistoryMixin,
    export_as_csv_action,
)

from .choices import Confidence
from .models import AdminArea, Hotspot, HotspotAlias, ReferencePlace


class HotspotAliasInline(LabelledTabularInline):
    model = HotspotAlias
    extra = 1
    fields = ["text", "language", "normalised"]
    readonly_fields = ["normalised"]


class PlacedFilter(admin.SimpleListFilter):
    title = _("placed on the map")
    parameter_name = "placed"

    def lookups(self, request, model_admin):
        return [("yes", _("Placed")), ("no", _("Unplaced"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.placed()
        if self.value() == "no":
            return queryset.unplaced()
        return queryset


@admin.register(Hotspot)
class HotspotAdmin(ReadableGeometryMixin, ReadableHistoryMixin, LeafletGeoAdmin, SimpleHistoryAdmin):
    form = LastValidGeometryForm
    list_display = [
        "name",
        "slug",
        "kind",
        "commune",
        "department",
        "coordinates",
        "alias_count",
        "is_active",
    ]
    list_filter = ["kind", "confidence", PlacedFilter, "department", "is_active"]
    search_fields = ["name", "slug", "aliases__text", "commune"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["adm1_pcode", "adm2_pcode", "adm3_pcode", "created_at", "updated_at"]
    inlines = [HotspotAliasInline]
    actions = [
        export_as_csv_action(
            ["slug", "name", "kind", "commune", "department", "confidence", "location", "aliases"],
            filename="hotspots",
        )
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "is_active"]}),
        (_("Location"), {"fields": ["location", "confidence", "coordinate_source", "area"]}),
        (
            _("Administrative areas"),
            {"fields": ["commune", "department", "adm1_pcode", "adm2_pcode", "adm3_pcode"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(alias_count=Count("aliases", distinct=True))

    @admin.display(description=_("aliases"), ordering="alias_count")
    def alias_count(self, obj):
        return obj.alias_count

    @admin.display(description=_("coordinates"), ordering="confidence")
    def coordinates(self, obj):
        if obj.location is None:
            return format_html(
                '<strong class="coord-unplaced" title="{}">{}</strong>',
                _("No source placed it"),
                _("unplaced"),
            )
        if obj.confidence == Confidence.LOW:
            return format_html(
                '<span class="coord-low" title="{}">⚠ {}</span>',
                _("A commune or section point, not the site itself"),
                _("low: fallback point"),
            )
        return obj.get_confidence_display().split(":")[0]


@admin.register(HotspotAlias)
class HotspotAliasAdmin(ReadableHistoryMixin, SimpleHistoryAdmin):
    list_display = ["text", "language", "hotspot", "normalised"]
    list_filter = ["language"]
    search_fields = ["text", "normalised", "hotspot__name"]
    autocomplete_fields = ["hotspot"]
    readonly_fields = ["normalised"]


@admin.register(AdminArea)
class AdminAreaAdmin(ReadableGeometryMixin, LeafletGeoAdmin):
    list_display = ["pcode", "name_fr", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["pcode", "name_fr", "name_en"]
    modifiable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReferencePlace)
class ReferencePlaceAdmin(ReadableGeometryMixin, LeafletGeoAdmin):
    list_display = ["name", "placetype", "adm2_name", "adm3_pcode"]
    list_filter = ["placetype"]
    search_fields = ["name", "name_fr", "name_ht"]
    modifiable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
