"""Admin helpers shared by the apps."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.forms import GeometryField as GeometryFormField
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from .spreadsheet import csv_cell


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
                row.append(csv_cell(value))
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

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            readonly += [f"{name}_as_text" for name in sorted(self._geometry_field_names())]
        return readonly

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


def readable_value(value, field=None):
    """A value of a record's history as the admin shows it: names for people ("no account…" for
    none), local times to the minute, coordinates as numbers, choices by their label."""
    from simple_history.models import DeletedObject

    if isinstance(value, list):
        return [readable_value(item) for item in value]
    if isinstance(value, DeletedObject):
        return "-" if value.pk is None else gettext("deleted record (%(id)s)") % {"id": value.pk}
    if value is None or value == "":
        return "-"
    if isinstance(value, AbstractBaseUser):
        return user_label(value)
    if isinstance(value, GEOSGeometry):
        return coordinates_text(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field is not None and getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, int | float | Decimal):
        return number_format(value)
    return value


class _ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        return readable_value(super().prepare_delta_change_value(change, value), field)


class ReadableHistoryMixin:
    """For SimpleHistoryAdmin: the history's changes in readable values (`readable_value`), and no
    Revert for a user who may not change the record (the revert form would end on a refusal)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _ReadableHistoryHelper(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied(gettext("You may not revert this record: you may not change it."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # An old version opened by someone who may not change the record is shown, not edited.
        if obj is not None and not self.has_change_permission(request, obj):
            opts = self.model._meta
            own = list(super().get_readonly_fields(request, obj))
            return [f.name for f in [*opts.fields, *opts.many_to_many] if f.editable] + own
        return super().get_readonly_fields(request, obj)


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs have names. Django's table shows each field's label once, in
    its column's header, and leaves the inputs of the rows (and their Delete box) without a label
    a screen reader can read (axe-core "label", "select-name"): each gets its column's label."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():  # the form's own copies: nothing shared is changed
                    if not field.widget.is_hidden and field.label:
                        field.widget.attrs.setdefault("aria-label", capfirst(field.label))

        return LabelledFormSet


class LastValidGeometryForm(forms.ModelForm):
    """A model form whose map widgets reopen on the last valid geometry (the stored one, or none)
    when the given one is refused: the refusal names the refused point in numbers, and the map
    does not open zoomed on a blank area far from Haiti."""

    def _post_clean(self):
        super()._post_clean()
        refused = [name for name, field in self.fields.items() if isinstance(field, GeometryFormField)]
        refused = [name for name in refused if name in self.errors]
        if refused:
            self.data = self.data.copy()
            for name in refused:
                stored = self.initial.get(name)
                self.data[self.add_prefix(name)] = stored.geojson if stored else ""
