"""An index of the reports-per-day cells by day that also holds the counts (PostgreSQL's INCLUDE): the
map's sums over a week of days read the index alone instead of 1,000 scattered heap pages
(bench/scale.py's EXPLAIN: 5.0 ms to 2.6 ms at 1,000,000 reports)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotspots", "0001_initial"),
        ("operations", "0003_hotspot_report_days"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="hotspotreportday",
            index=models.Index(
                fields=["day"], include=["hotspot", "reports", "last_started_at"], name="report_day_sums"
            ),
        ),
    ]
