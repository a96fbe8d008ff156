"""Choices for sources, posts and updates."""

from django.db import models


class SourceKind(models.TextChoices):
    X_API_V2 = "x_api_v2", "X API v2"
    RSS = "rss", "RSS or Atom feed"
    FILE = "file", "File import"
    MANUAL = "manual", "Entered by staff"


class PostState(models.TextChoices):
    NEW = "new", "New"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


class UpdateKind(models.TextChoices):
    SECURITY_OPERATION = "security_operation", "Security operation"
    DEPLOYMENT = "deployment", "Deployment"
    TRAINING = "training", "Training"
    INCIDENT = "incident", "Incident"
    HUMANITARIAN = "humanitarian", "Humanitarian"
    STATEMENT = "statement", "Statement"


class ReviewState(models.TextChoices):
    AUTO = "auto", "Automatic (not reviewed)"
    CONFIRMED = "confirmed", "Confirmed"
    CORRECTED = "corrected", "Corrected"
    REJECTED = "rejected", "Rejected"


class CandidateStatus(models.TextChoices):
    NEW = "new", "New"
    PROMOTED = "promoted", "Promoted"
    IGNORED = "ignored", "Ignored"


class CandidateOrigin(models.TextChoices):
    COMMUNE = "commune", "Commune or section (COD-AB)"
    PLACE = "place", "Populated place (Who's On First / GeoNames)"
    UNKNOWN = "unknown", "Unknown name after a place cue"
