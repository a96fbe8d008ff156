"""Count the operation reports per hotspot and day again, from all the reports."""

from django.core.management.base import BaseCommand

from operations import report_days


class Command(BaseCommand):
    help = (
        "Count the reports per hotspot and day (behind the map's per-hotspot report counts) again "
        "from all the reports: after rows were changed outside the portal (SQL, a restore of one table)."
    )

    def handle(self, *args, **options):
        cells = report_days.rebuild()
        self.stdout.write(f"{cells:,} hotspot-days counted.")
