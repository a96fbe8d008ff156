"""Partners' subscriptions: registered with a secret shown once, changed, resumed after a pause."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from ..choices import DeliveryStatus
from ..models import WebhookDelivery, WebhookSubscription
from .queueing import queue_deliveries
from .targets import UnsafeTarget, check_url


def _vetted(url: str) -> None:
    try:
        check_url(url)
    except UnsafeTarget as exc:
        raise ValidationError({"url": str(exc)}) from exc


@transaction.atomic
def subscription_create(
    *, owner, url: str, resources: list[str] | None = None, description: str = "", is_active: bool = True
) -> tuple[WebhookSubscription, str]:
    """Register a URL for ``owner``. Returns the subscription and its secret, shown this once.

    An owner has at most WEBHOOK_MAX_SUBSCRIPTIONS_PER_OWNER subscriptions (every event is sent to
    each of them, so the cap bounds the work one partner's account can cause).
    """
    _vetted(url)
    # The owner's row locked: two requests at once cannot both take the last place.
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    cap = int(settings.WEBHOOK_MAX_SUBSCRIPTIONS_PER_OWNER)
    if WebhookSubscription.objects.filter(owner=owner).count() >= cap:
        raise ValidationError(
            f"An account has at most {cap} webhook subscriptions; delete one, or change its URL, first."
        )
    subscription = WebhookSubscription(
        owner=owner,
        url=url,
        resources=list(dict.fromkeys(resources or [])),
        description=description,
        is_active=is_active,
        secret=secrets.token_hex(32),
    )
    subscription.full_clean()
    subscription.save()
    return subscription, subscription.secret


@transaction.atomic
def subscription_update(*, subscription: WebhookSubscription, **changes) -> WebhookSubscription:
    """Change a subscription's URL, collections, description or switch."""
    if "url" in changes:
        _vetted(changes["url"])
    for name, value in changes.items():
        setattr(subscription, name, list(dict.fromkeys(value)) if name == "resources" else value)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription) -> int:
    """Unpause a subscription and send what waited. Returns how many deliveries were queued."""
    subscription.paused_at = None
    subscription.pause_reason = ""
    subscription.consecutive_failures = 0
    subscription.save(update_fields=["paused_at", "pause_reason", "consecutive_failures", "updated_at"])
    waiting = list(
        subscription.deliveries.filter(status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=waiting).update(next_attempt_at=None)
    queue_deliveries(waiting)
    return len(waiting)
