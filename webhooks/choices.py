"""Choices for webhook deliveries and tombstones."""

from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class Event(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted or withdrawn"


class TombstoneReason(models.TextChoices):
    DELETED = "deleted", "Deleted"
    WITHDRAWN = "withdrawn", "No longer released to partners"


class Resource(models.TextChoices):
    """The API's collections, by the name of their URL."""

    HOTSPOTS = "hotspots", "Hotspots"
    REPORTS = "reports", "Operation reports"
    TRAINING_RECORDS = "training-records", "Training records"
    CONTINGENTS = "contingents", "Contingents"
    UPDATES = "updates", "Updates"
    POSTS = "posts", "Posts"
    PLACE_CANDIDATES = "place-candidates", "Place candidates"


# What a subscription may ask to be pushed: the collections partners read.
PUSHED_RESOURCES = (Resource.HOTSPOTS, Resource.REPORTS, Resource.TRAINING_RECORDS, Resource.UPDATES)
