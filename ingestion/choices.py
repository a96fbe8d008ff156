"""Choices for sources, posts and updates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    X_API_V2 = "x_api_v2", _("X API v2")
    RSS = "rss", _("RSS or Atom feed")
    FILE = "file", _("File import")
    MANUAL = "manual", _("Entered by staff")


class PostState(models.TextChoices):
    NEW = "new", _("New")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed")


class UpdateKind(models.TextChoices):
    SECURITY_OPERATION = "security_operation", _("Security operation")
    DEPLOYMENT = "deployment", _("Deployment")
    TRAINING = "training", _("Training")
    INCIDENT = "incident", _("Incident")
    HUMANITARIAN = "humanitarian", _("Humanitarian")
    STATEMENT = "statement", _("Statement")


class ReviewState(models.TextChoices):
    AUTO = "auto", _("Automatic (not reviewed)")
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    REJECTED = "rejected", _("Rejected")


class CandidateStatus(models.TextChoices):
    NEW = "new", _("New")
    PROMOTED = "promoted", _("Promoted")
    IGNORED = "ignored", _("Ignored")


class CandidateOrigin(models.TextChoices):
    COMMUNE = "commune", _("Commune or section (COD-AB)")
    PLACE = "place", _("Populated place (Who's On First / GeoNames)")
    UNKNOWN = "unknown", _("Unknown name after a place cue")
