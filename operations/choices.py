"""Choices for operation reports and training records."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The levels are the roles' business (who reads at which level): accounts/releasability.py.
from accounts.releasability import Releasability as Releasability


class OperationKind(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    CLEARANCE = "clearance", _("Clearance operation")
    ESCORT = "escort", _("Escort")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    SITE_SECURITY = "site_security", _("Securing a site")
    RAID = "raid", _("Raid or arrest operation")
    QUICK_REACTION = "quick_reaction", _("Response to an attack")
    HUMANITARIAN_SUPPORT = "humanitarian_support", _("Support to humanitarian work")
    OTHER = "other", _("Other")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("report status", "Rejected")


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class TrainingTopic(models.TextChoices):
    TACTICS = "tactics", _("Tactics and operations")
    DRIVING = "driving", _("Tactical driving")
    FIREARMS = "firearms", _("Firearms")
    FIRST_AID = "first_aid", _("First aid")
    HUMAN_RIGHTS = "human_rights", _("Human rights and conduct")
    INVESTIGATION = "investigation", _("Investigation")
    LEADERSHIP = "leadership", _("Leadership")
    COMMUNITY = "community", _("Community policing")
    OTHER = "other", _("Other")
