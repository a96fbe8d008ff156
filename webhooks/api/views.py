from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.roles import RELEASABLE_PERMISSION
from core.api.renderers import Column
from core.api.viewsets import MissionViewMixin

from .. import services
from ..choices import DeliveryStatus
from ..filters import TombstoneFilterSet
from ..models import Tombstone, WebhookAttempt, WebhookSubscription
from ..querysets import MEMBER_PERMISSION
from .serializers import (
    TombstoneSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)


class DeletedViewSet(MissionViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records deleted, or withdrawn from partners, oldest first: drop your copies of them.

    Sync with `?since=` the time of your last sync (a minute earlier is safe). A tombstone
    newer than your copy of the record wins; a record that comes back (released again) has a
    newer `updated_at` than its tombstone.
    """

    queryset = Tombstone.objects.all()
    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilterSet
    read_permissions = (MEMBER_PERMISSION, RELEASABLE_PERMISSION)
    export_columns = [
        Column("resource", "#meta+collection", "resource"),
        Column("id", "#meta+id", "object_id"),
        Column("reason", "#status", "reason"),
        Column("at", "#date+deleted", "at"),
    ]


class WebhookSubscriptionViewSet(
    MissionViewMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Your webhook subscriptions: URLs to which new, changed and deleted records you may see are POSTed.

    Each POST is one event about one record (`event`, `resource`, `id`, `occurred_at`, `data`):
    `created` (a record new to you: new, or newly released to you), `changed` (a record you may
    hold, in its new state, also when it predates your subscription), `withdrawn` (you may no longer
    see it: drop your copy) and `deleted` (it is gone). `data` is the record as the API shows it to
    you, null for `withdrawn` and `deleted`. A hotspot's `activity` counts move with the records at
    it: each such change is a `changed` event for the hotspot (the first one a subscription gets for
    a hotspot may repeat what you hold). Start from a full read of the collections, then apply the
    events: your copy stays what a full read would show.

    Each POST carries `X-MSS-Event` (e.g. `reports.changed`), `X-MSS-Delivery`, `X-MSS-Timestamp`
    and `X-MSS-Signature: sha256=<hex>`, the HMAC-SHA256 with your secret of the timestamp, a dot
    and the body. Answer 2xx within 10 s; failures are retried with growing delays, and after
    repeated failures the subscription is paused until you resume it. Redirects are not followed
    (subscribe the final URL), and the URL's host must resolve to public addresses only. An account
    has a limited number of subscriptions (10 unless the portal says otherwise).
    """

    queryset = WebhookSubscription.objects.all()
    serializer_class = WebhookSubscriptionSerializer
    pagination_class = None

    @extend_schema(responses={201: WebhookSubscriptionCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription, _secret = services.subscription_create(owner=request.user, **serializer.validated_data)
        return Response(
            WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer):
        serializer.instance = services.subscription_update(
            subscription=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=WebhookSubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Unpause a subscription that kept failing, and send what waited."""
        subscription = self.get_object()
        services.subscription_resume(subscription=subscription)
        subscription.refresh_from_db()
        return Response(self.get_serializer(subscription).data)

    @extend_schema(
        responses=WebhookDeliverySerializer(many=True),
        parameters=[
            OpenApiParameter(
                "status", str, enum=DeliveryStatus.values, description="Only deliveries in this state."
            )
        ],
    )
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer, filter_backends=[])
    def deliveries(self, request, pk=None):
        """The latest deliveries to this subscription (up to 100), each with its attempts."""
        subscription = self.get_object()
        deliveries = subscription.deliveries.prefetch_related(
            Prefetch("attempts_made", queryset=WebhookAttempt.objects.order_by("-at", "-id"))
        ).order_by("-created_at", "-id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in DeliveryStatus.values:
                raise ValidationError({"status": [f"One of {', '.join(DeliveryStatus.values)}."]})
            deliveries = deliveries.filter(status=wanted)
        return Response(WebhookDeliverySerializer(deliveries[:100], many=True).data)
