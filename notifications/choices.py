from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification tells: a step of the report workflow, or a new update someone watches."""

    REPORT_SUBMITTED = "report_submitted", _("A report waits for approval")
    REPORT_SENT_BACK = "report_sent_back", _("Your report was sent back")
    REPORT_REJECTED = "report_rejected", _("Your report was rejected")
    REPORT_APPROVED = "report_approved", _("Your report was approved")
    WATCHED_UPDATE = "watched_update", _("A new update you watch")


class Channel(models.TextChoices):
    EMAIL = "email", _("By email")
    PORTAL = "portal", _("In the portal")


class Frequency(models.TextChoices):
    """When a watcher hears of new updates by email (the portal's list shows them as they come)."""

    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("Daily digest")


# The workflow step (operations.signals.report_workflow_step) -> the notification it makes.
REPORT_STEPS = {
    "submitted": Kind.REPORT_SUBMITTED,
    "sent_back": Kind.REPORT_SENT_BACK,
    "rejected": Kind.REPORT_REJECTED,
    "approved": Kind.REPORT_APPROVED,
}

# Every switch a member has: "channel:kind", e.g. "email:report_approved".
SWITCHES = [f"{channel}:{kind}" for kind in Kind.values for channel in Channel.values]
