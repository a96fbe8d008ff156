"""Choices for webhook deliveries and tombstones."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (gave up)")


class Event(models.TextChoices):
    """What a subscription is told of a record: new to its owner, changed, no longer theirs to see, gone."""

    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    WITHDRAWN = "withdrawn", _("Withdrawn (no longer visible to the owner)")
    DELETED = "deleted", _("Deleted")


class TombstoneReason(models.TextChoices):
    DELETED = "deleted", _("Deleted")
    WITHDRAWN = "withdrawn", _("No longer released to partners")


class Resource(models.TextChoices):
    """The API's collections, by the name of their URL."""

    HOTSPOTS = "hotspots", _("Hotspots")
    REPORTS = "reports", _("Operation reports")
    TRAINING_RECORDS = "training-records", _("Training records")
    CONTINGENTS = "contingents", _("Contingents")
    UPDATES = "updates", _("Updates")
    POSTS = "posts", _("Posts")
    PLACE_CANDIDATES = "place-candidates", _("Place candidates")


# What a subscription may ask to be pushed: the collections partners read.
PUSHED_RESOURCES = (Resource.HOTSPOTS, Resource.REPORTS, Resource.TRAINING_RECORDS, Resource.UPDATES)
