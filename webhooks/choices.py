"""Choices for webhook deliveries and tombstones."""

from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class Event(models.TextChoices):
    """What a subscription is told of a record: new to its owner, changed, no longer theirs to see, gone."""

    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    WITHDRAWN = "withdrawn", "Withdrawn (no longer visible to the owner)"
    DELETED = "deleted", "Deleted"


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
