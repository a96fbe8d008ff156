"""Webhook subscriptions and their deliveries (push), and tombstones of deleted records (pull)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.models import TimeStampedModel

from .choices import PUSHED_RESOURCES, DeliveryStatus, Event, Resource, TombstoneReason
from .querysets import TombstoneQuerySet, WebhookSubscriptionQuerySet


class WebhookSubscription(TimeStampedModel):
    """A URL of a partner's to which new, changed and deleted records it may see are POSTed."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    resources = models.JSONField(
        default=list,
        blank=True,
        help_text="Which collections to push: hotspots, reports, training-records, updates. Empty: all.",
    )
    secret = models.CharField(
        max_length=64, editable=False, help_text="Signs each delivery (HMAC-SHA256); shown once, at creation."
    )
    is_active = models.BooleanField("active", default=True, help_text="The owner's switch.")
    paused_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the endpoint kept failing; deliveries wait until resumed."
    )
    pause_reason = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "url"]
        verbose_name = "webhook subscription"

    def __str__(self) -> str:
        return f"{self.url} ({self.owner})"

    def clean(self) -> None:
        super().clean()
        unknown = [r for r in self.resources or [] if r not in PUSHED_RESOURCES]
        if not isinstance(self.resources, list) or unknown:
            choices, wrong = ", ".join(PUSHED_RESOURCES), ", ".join(map(str, unknown))
            raise ValidationError({"resources": f"Choose among {choices}; unknown: {wrong}."})

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def wants(self, resource: str) -> bool:
        return not self.resources or resource in self.resources


class WebhookDelivery(models.Model):
    """One event for one subscription, sent until the endpoint accepts it or the attempts run out."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=16, choices=Event.choices)
    resource = models.CharField(max_length=32, choices=Resource.choices)
    object_id = models.CharField(max_length=100)
    payload = models.JSONField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the record as sent, to skip repeats.")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["subscription", "resource", "object_id"], name="delivery_object_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource}/{self.object_id} {self.event} -> {self.subscription.url}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, how it was answered, how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts_made")
    at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "webhook attempt"

    def __str__(self) -> str:
        outcome = self.status_code or self.error[:40]
        return f"{self.at:%Y-%m-%d %H:%M:%S} {outcome}"


class Tombstone(models.Model):
    """A record deleted, or withdrawn from partners, kept so that clients that sync can drop their copy."""

    resource = models.CharField(max_length=32, choices=Resource.choices)
    object_id = models.CharField(
        max_length=100, help_text="The record's id in the API (a slug for hotspots)."
    )
    reason = models.CharField(max_length=16, choices=TombstoneReason.choices, default=TombstoneReason.DELETED)
    at = models.DateTimeField(default=timezone.now)
    partners = models.BooleanField(
        default=False, help_text="Partners could see the record, so they are told it is gone."
    )

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "tombstone"
        indexes = [models.Index(fields=["at", "id"], name="tombstone_at_idx")]

    def __str__(self) -> str:
        return f"{self.resource}/{self.object_id} {self.reason} at {self.at:%Y-%m-%d %H:%M:%S}"
