"""Reads of a member's notifications, shared by the list page, the header badge and the admin index."""

from django.db.models import Q, QuerySet

from ingestion.models import Update
from operations.models import OperationReport

from .models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The member's notifications about records they may still read, newest first.

    A record can leave a member's sight after they were told (a role taken away, an update a reviewer
    rejected): its notification then leaves their list too.
    """
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user)
    if not OperationReport.objects.all_visible_to(user):
        visible = OperationReport.objects.visible_to(user).values("pk")
        notifications = notifications.filter(Q(report__isnull=True) | Q(report__in=visible))
    if not Update.objects.all_visible_to(user):
        visible = Update.objects.visible_to(user).values("pk")
        notifications = notifications.filter(Q(update__isnull=True) | Q(update__in=visible))
    return notifications


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
