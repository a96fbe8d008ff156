from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _change_str(change) -> str:
    """A historical row as the admin names it: the record and the local time of the change, where
    simple_history would print "… as of 2026-12-07 06:01:32.806121+00:00"."""
    from django.utils.formats import date_format
    from django.utils.timezone import localtime
    from django.utils.translation import gettext

    when = date_format(localtime(change.history_date), "SHORT_DATETIME_FORMAT")
    return gettext("%(record)s, as of %(when)s") % {"record": change.instance, "when": when}


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import selectors

        for label in selectors.AUDITED:
            selectors.history_model(label).__str__ = _change_str
