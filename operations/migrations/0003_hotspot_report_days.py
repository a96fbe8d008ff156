"""Reports per hotspot and day (operations/report_days.py), counted from the reports already there."""

import django.db.models.deletion
from django.db import migrations, models


def count_existing_reports(apps, schema_editor):
    from operations.report_days import rebuild

    report = apps.get_model("operations", "OperationReport")
    rebuild(link=report.hotspots.through, cell=apps.get_model("operations", "HotspotReportDay"))


class Migration(migrations.Migration):
    dependencies = [
        ("hotspots", "0001_initial"),
        ("operations", "0002_contingents"),
    ]

    operations = [
        migrations.CreateModel(
            name="HotspotReportDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("reports", models.PositiveIntegerField()),
                ("last_started_at", models.DateTimeField()),
                (
                    "hotspot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="hotspots.hotspot"
                    ),
                ),
            ],
            options={
                "verbose_name": "reports of a hotspot on a day",
                "constraints": [models.UniqueConstraint(fields=("day", "hotspot"), name="report_day_unique")],
            },
        ),
        migrations.RunPython(count_existing_reports, migrations.RunPython.noop, elidable=True),
    ]
