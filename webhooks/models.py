"""Webhook subscriptions and their deliveries (push), and tombstones of deleted records (pull)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .choices import PUSHED_RESOURCES, DeliveryStatus, Event, Resource, TombstoneReason
from .querysets import TombstoneQuerySet, WebhookSubscriptionQuerySet


class WebhookSubscription(TimeStampedModel):
    """A URL of a partner's to which new, changed and deleted records it may see are POSTed."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    resources = models.JSONField(
        _("resources"),
        default=list,
        blank=True,
        help_text=_("Which collections to push: hotspots, reports, training-records, updates. Empty: all."),
    )
    secret = models.CharField(
        _("secret"),
        max_length=64,
        editable=False,
        help_text=_("Signs each delivery (HMAC-SHA256); shown once, at creation."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("The owner's switch."))
    paused_at = models.DateTimeField(
        _("paused at"),
        null=True,
        blank=True,
        help_text=_("Set when the endpoint kept failing; deliveries wait until resumed."),
    )
    pause_reason = models.TextField(_("pause reason"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "url"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.url} ({self.owner})"

    def clean(self) -> None:
        super().clean()
        unknown = [r for r in self.resources or [] if r not in PUSHED_RESOURCES]
        if not isinstance(self.resources, list) or unknown:
            choices, wrong = ", ".join(PUSHED_RESOURCES), ", ".join(map(str, unknown))
            raise ValidationError(
                {
                    "resources": _("Choose among %(choices)s; unknown: %(wrong)s.")
                    % {"choices": choices, "wrong": wrong}
                }
            )

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def wants(self, resource: str) -> bool:
        return not self.resources or resource in self.resources


class WebhookDelivery(models.Model):
    """One event for one subscription, sent until the endpoint accepts it or the attempts run out."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    resource = models.CharField(_("resource"), max_length=32, choices=Resource.choices)
    object_id = models.CharField(_("object id"), max_length=100)
    payload = models.JSONField(_("payload"))
    digest = models.CharField(
        _("digest"), max_length=64, help_text=_("SHA-256 of the record as sent, to skip repeats.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["subscription", "resource", "object_id"], name="delivery_object_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        event = self.get_event_display()
        return f"{self.get_resource_display()} {self.object_id}: {event} → {self.subscription.url}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, how it was answered, how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempts_made"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    status_code = models.PositiveIntegerField(_("status code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        outcome = self.status_code or self.error[:40]
        return f"{date_format(localtime(self.at), 'SHORT_DATETIME_FORMAT')} {outcome}"


class Tombstone(models.Model):
    """A record deleted, or withdrawn from partners, kept so that clients that sync can drop their copy."""

    resource = models.CharField(_("resource"), max_length=32, choices=Resource.choices)
    object_id = models.CharField(
        _("object id"), max_length=100, help_text=_("The record's id in the API (a slug for hotspots).")
    )
    reason = models.CharField(
        _("reason"), max_length=16, choices=TombstoneReason.choices, default=TombstoneReason.DELETED
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    partners = models.BooleanField(
        _("partners"),
        default=False,
        help_text=_("Partners could see the record, so they are told it is gone."),
    )

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        indexes = [models.Index(fields=["at", "id"], name="tombstone_at_idx")]

    def __str__(self) -> str:
        at = date_format(localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{self.get_resource_display()} {self.object_id}: {self.get_reason_display()}, {at}"
