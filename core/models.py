"""Abstract base models shared by the portal's apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-change times to a model."""

    created_at = models.DateTimeField("created", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("updated", auto_now=True, db_index=True)

    class Meta:
        abstract = True
