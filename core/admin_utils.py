"""Admin helpers shared by the apps."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "all"):  # a many-to-many manager
        return "; ".join(str(item) for item in value.all())
    text = str(value)
    # Spreadsheets run cells that start with these as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def user_label(user) -> str:
    """How the admin names a person: full name, else username. With no account (a change made by a
    process, or by an account since deleted: simple_history then keeps no user), it says so rather
    than "None"."""
    if user is None:
        return gettext("no account (automatic, or the account was deleted)")
    return user.get_full_name() or user.get_username()


def export_as_csv_action(fields: list[str], *, filename: str):
    """An admin action exporting the selection as CSV, one column per field (or related manager)."""

    @admin.action(description=_("Export the selection as CSV"))
    def export_as_csv(modeladmin, request, queryset):
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(fields)
        for obj in queryset:
            row = []
            for name in fields:
                value = getattr(obj, name)
                if callable(value) and not hasattr(value, "all"):
                    value = value()
                row.append(_cell(value))
            writer.writerow(row)
        return response

    return export_as_csv


def coordinates_text(geometry) -> str:
    """A geometry as a reader wants it: 'latitude 18.54000, longitude -72.33500' (numbers in the
    user's language), an area by the point at its centre; never 'SRID=4326;POINT (…)'."""
    if geometry is None:
        return "-"
    point = geometry if geometry.geom_type == "Point" else geometry.centroid
    values = {"lat": number_format(point.y, 5), "lon": number_format(point.x, 5)}
    if geometry.geom_type == "Point":
        return gettext("latitude %(lat)s, longitude %(lon)s") % values
    return gettext("an area centred on latitude %(lat)s, longitude %(lon)s") % values


class ReadableGeometryMixin:
    """Shows geometry fields read-only as coordinates (`coordinates_text`) on pages the user may
    only view, where Django would print the field's EWKT. Put it before LeafletGeoAdmin."""

    def _geometry_field_names(self) -> set[str]:
        return {f.name for f in self.model._meta.fields if isinstance(f, GeometryField)}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        geometry = self._geometry_field_names()
        return [
            (
                title,
                {**options, "fields": [f"{n}_as_text" if n in geometry else n for n in options["fields"]]},
            )
            for title, options in fieldsets
        ]

    def __getattr__(self, name: str):
        # The read-only display of a geometry field `<field>_as_text`, labelled as the field.
        if not name.endswith("_as_text") or name.startswith("_"):
            raise AttributeError(name)
        field_name = name.removesuffix("_as_text")
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            raise AttributeError(name) from None

        def show(obj):
            return coordinates_text(getattr(obj, field_name))

        show.short_description = field.verbose_name
        return show
