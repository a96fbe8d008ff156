"""Reports per hotspot and day, a table the map once counted from (dropped again by 0005).

It was filled here from the reports already there; the code that did so is gone with the table,
so the migration now creates it empty: 0005 drops it right after.
"""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
