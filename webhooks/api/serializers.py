"""Webhook subscriptions, their deliveries, and tombstones in the API."""

from rest_framework import serializers

from core.api.fields import UTCTimesMixin

from ..choices import PUSHED_RESOURCES
from ..models import Tombstone, WebhookAttempt, WebhookDelivery, WebhookSubscription


class WebhookSubscriptionSerializer(UTCTimesMixin, serializers.ModelSerializer):
    url = serializers.URLField(
        max_length=500, help_text="Where to POST: https:// (the portal signs each body)."
    )
    resources = serializers.ListField(
        child=serializers.ChoiceField(choices=PUSHED_RESOURCES),
        required=False,
        max_length=len(PUSHED_RESOURCES),
        help_text="Collections to push; empty or absent: all of them.",
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "description",
            "resources",
            "is_active",
            "paused_at",
            "pause_reason",
            "consecutive_failures",
            "last_success_at",
            "last_failure_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "paused_at",
            "pause_reason",
            "consecutive_failures",
            "last_success_at",
            "last_failure_at",
            "created_at",
            "updated_at",
        ]


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Signs the deliveries: keep it, it is shown this once. "
        'Check `X-MSS-Signature: sha256=<hex>`, the HMAC-SHA256 of "<X-MSS-Timestamp>.<body>".',
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(UTCTimesMixin, serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "succeeded", "status_code", "error", "duration_ms"]
        read_only_fields = fields


class WebhookDeliverySerializer(UTCTimesMixin, serializers.ModelSerializer):
    attempts_made = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "resource",
            "object_id",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "attempts_made",
        ]
        read_only_fields = fields


class TombstoneSerializer(UTCTimesMixin, serializers.ModelSerializer):
    class Meta:
        model = Tombstone
        fields = ["id", "resource", "object_id", "reason", "at"]
        read_only_fields = fields
