"""Admin helpers shared by the apps."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone

from .spreadsheet import csv_cell


def export_as_csv_action(fields: list[str], *, filename: str):
    """An admin action exporting the selection as CSV, one column per field (or related manager)."""

    @admin.action(description="Export the selection as CSV")
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
