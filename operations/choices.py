"""Choices for operation reports and training records."""

from django.db import models

# The levels are the roles' business (who reads at which level): accounts/releasability.py.
from accounts.releasability import Releasability as Releasability


class OperationKind(models.TextChoices):
    PATROL = "patrol", "Patrol"
    CLEARANCE = "clearance", "Clearance operation"
    ESCORT = "escort", "Escort"
    CHECKPOINT = "checkpoint", "Checkpoint"
    SITE_SECURITY = "site_security", "Securing a site"
    RAID = "raid", "Raid or arrest operation"
    QUICK_REACTION = "quick_reaction", "Response to an attack"
    HUMANITARIAN_SUPPORT = "humanitarian_support", "Support to humanitarian work"
    OTHER = "other", "Other"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"


class TrainingTopic(models.TextChoices):
    TACTICS = "tactics", "Tactics and operations"
    DRIVING = "driving", "Tactical driving"
    FIREARMS = "firearms", "Firearms"
    FIRST_AID = "first_aid", "First aid"
    HUMAN_RIGHTS = "human_rights", "Human rights and conduct"
    INVESTIGATION = "investigation", "Investigation"
    LEADERSHIP = "leadership", "Leadership"
    COMMUNITY = "community", "Community policing"
    OTHER = "other", "Other"
