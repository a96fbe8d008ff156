from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations and training")

    def ready(self) -> None:
        from . import report_days

        # Registers the hotspot activity counts for reports and training records.
        from .api import activity  # noqa: F401

        # Reports per hotspot and day follow the reports (operations/report_days.py).
        report_days.connect()
