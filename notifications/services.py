"""Who is told what, and how: the portal's list and email, as each member chose.

Nothing here is called by the apps it listens to: the report workflow and ingestion send signals
(signals.py), which queue the tasks below after the commit; the tasks call these services. Every
recipient is checked against the record's ``visible_to(user)`` when the notification is made and
again when its email is sent: what a member may not read never reaches them, by either channel.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ingestion.models import Mention, Update
from operations.models import OperationReport
from operations.services import approvers, user_is_approver

from .choices import REPORT_STEPS, SWITCHES, Channel, Frequency, Kind
from .models import Notification, NotificationPreference, Watch

# Who may watch updates: the mission's members, who read them all (analysts and staff).
WATCH_PERMISSION = "ingestion.view_update"


def preference_of(user) -> NotificationPreference:
    """The member's preference, or the default one (everything on) when they never saved any."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def _tell(
    *,
    user,
    kind: str,
    report=None,
    update=None,
    actor=None,
    reason: str = "",
    email: bool = True,
    preference: NotificationPreference | None = None,
) -> None:
    """Tell one member who may read the record: in the portal and by email, as they chose."""
    preference = preference or preference_of(user)
    record = {"report_id": report.pk} if report is not None else {"update_id": update.pk}
    if preference.wants(channel=Channel.PORTAL, kind=kind):
        Notification.objects.create(recipient=user, kind=kind, actor=actor, reason=reason, **record)
    if email and user.email and preference.wants(channel=Channel.EMAIL, kind=kind):
        queue_email(user_id=user.pk, kind=kind, actor_id=actor.pk if actor else None, reason=reason, **record)


@transaction.atomic
def report_step_notify(*, report_id: int, step: str, user_id: int | None, reason: str = "") -> int:
    """Tell of a step of a report's workflow: approvers of a submission (not its author, not who
    submitted it), the author of a send-back, rejection or approval (unless they took it themselves).
    Returns how many members were told."""
    report = OperationReport.objects.select_related("author").filter(pk=report_id).first()
    if report is None:
        return 0
    kind = REPORT_STEPS[step]
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if kind == Kind.REPORT_SUBMITTED:
        recipients = list(approvers().exclude(pk=report.author_id).exclude(pk=user_id))
    else:
        author = report.author
        recipients = [author] if author and author.is_active and author.pk != user_id else []
    told = 0
    for user in recipients:
        if OperationReport.objects.visible_to(user).filter(pk=report.pk).exists():
            _tell(user=user, kind=kind, report=report, actor=actor, reason=reason)
            told += 1
    return told


def _watch_query(watches) -> Q:
    """The updates any of these watches matches (a watch with a hotspot and a kind needs both)."""
    query = Q(pk__in=[])
    for watch in watches:
        condition = Q()
        if watch.kind:
            condition &= Q(kind=watch.kind)
        if watch.hotspot_id is not None:
            condition &= Q(pk__in=Mention.objects.filter(hotspot_id=watch.hotspot_id).values("update_id"))
        query |= condition
    return query


@transaction.atomic
def updates_created_notify(*, update_ids: list[int]) -> int:
    """Tell the watchers of new updates: in the portal as they come, by email at once for immediate
    watches (daily watches wait for the digest). Returns how many notifications were made."""
    new = Update.objects.filter(pk__in=update_ids)
    kinds = set(new.values_list("kind", flat=True))
    if not kinds:
        return 0
    named = Mention.objects.filter(update__in=new).values("hotspot")
    watches = (
        Watch.objects.filter(user__is_active=True)
        .filter(Q(kind="") | Q(kind__in=kinds))
        .filter(Q(hotspot__isnull=True) | Q(hotspot__in=named))
        .select_related("user")
    )
    by_user = defaultdict(list)
    for watch in watches:
        by_user[watch.user].append(watch)
    told = 0
    for user, user_watches in by_user.items():
        preference = preference_of(user)
        theirs = Update.objects.visible_to(user).filter(pk__in=update_ids)
        immediate = [w for w in user_watches if w.frequency == Frequency.IMMEDIATE]
        at_once = set(theirs.filter(_watch_query(immediate)).values_list("pk", flat=True))
        for update in theirs.filter(_watch_query(user_watches)).order_by("pk"):
            _tell(
                user=user,
                kind=Kind.WATCHED_UPDATE,
                update=update,
                email=update.pk in at_once,
                preference=preference,
            )
            told += 1
    return told


def _absolute(path: str) -> str:
    return urljoin(settings.PORTAL_URL, path)


def _send(*, user, subject: str, template: str, context: dict) -> None:
    body = render_to_string(
        template, {**context, "preferences_url": _absolute(reverse("notification-preferences"))}
    )
    # A subject is one line, whatever a record's text holds.
    subject = " ".join(f"{_('MSS Operations Portal')}: {subject}".split())
    EmailMessage(subject=subject, body=body, to=[user.email]).send()


def email_send(
    *,
    user_id: int,
    kind: str,
    report_id: int | None = None,
    update_id: int | None = None,
    actor_id: int | None = None,
    reason: str = "",
) -> bool:
    """Email one notification in the member's language, if they still want it and may still read
    the record. Returns whether it was sent."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    if report_id is not None:
        visible = OperationReport.objects.visible_to(user).filter(pk=report_id).exists()
    else:
        visible = Update.objects.visible_to(user).filter(pk=update_id).exists()
    preference = preference_of(user)
    if not visible or not preference.wants(channel=Channel.EMAIL, kind=kind):
        return False
    notification = Notification(
        recipient=user, kind=kind, report_id=report_id, update_id=update_id, actor_id=actor_id, reason=reason
    )
    with translation.override(preference.email_language()):
        _send(
            user=user,
            subject=notification.get_kind_display(),
            template="notifications/email/notification.txt",
            context={"notification": notification, "url": _absolute(notification.link())},
        )
    return True


def digest_send(*, user_id: int, since: datetime, until: datetime) -> int:
    """Email a member one digest of the new updates of [since, until) that their daily watches
    match and that they may read; no email when there are none. Returns how many it listed."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    preference = preference_of(user)
    watches = list(user.watches.filter(frequency=Frequency.DAILY))
    if not watches or not preference.wants(channel=Channel.EMAIL, kind=Kind.WATCHED_UPDATE):
        return 0
    updates = list(
        Update.objects.visible_to(user)
        .filter(created_at__gte=since, created_at__lt=until)
        .filter(_watch_query(watches))
        .select_related("post")
        .prefetch_related("hotspots")
        .order_by("published_at", "pk")
    )
    if not updates:
        return 0
    items = [Notification(recipient=user, kind=Kind.WATCHED_UPDATE, update=update) for update in updates]
    with translation.override(preference.email_language()):
        _send(
            user=user,
            subject=ngettext(
                "Your daily digest: %(count)s new update",
                "Your daily digest: %(count)s new updates",
                len(items),
            )
            % {"count": len(items)},
            template="notifications/email/digest.txt",
            context={"items": [(item, _absolute(item.link())) for item in items]},
        )
    return len(items)


def digests_queue(*, until: datetime | None = None) -> int:
    """Queue one digest per member with daily watches, of the day up to ``until``. Returns how many."""
    until = until or timezone.now()
    since = until - timedelta(days=1)
    user_ids = list(
        Watch.objects.filter(frequency=Frequency.DAILY, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    from .tasks import send_digest

    for user_id in user_ids:
        send_digest.delay(user_id, since.isoformat(), until.isoformat())
    return len(user_ids)


# -- queueing: after the commit, as the records' writers see it ------------------------------------


def queue_report_step(*, report_id: int, step: str, user_id: int | None, reason: str) -> None:
    from .tasks import notify_report_step

    transaction.on_commit(lambda: notify_report_step.delay(report_id, step, user_id, reason), robust=True)


def queue_updates_created(*, update_ids: list[int]) -> None:
    from .tasks import notify_updates_created

    ids = list(update_ids)
    transaction.on_commit(lambda: notify_updates_created.delay(ids), robust=True)


def queue_email(**notification) -> None:
    from .tasks import send_email

    transaction.on_commit(lambda: send_email.delay(**notification), robust=True)


# -- the member's own list and choices -------------------------------------------------------------


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the member's notifications read. Returns whether it was theirs and unread."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def kinds_for(user) -> list[str]:
    """The notifications this member can receive, by their role: submissions for approvers, decisions
    for those who write reports, watched updates for those who may watch."""
    kinds = []
    if user_is_approver(user):
        kinds.append(Kind.REPORT_SUBMITTED)
    if user.has_perm("operations.add_operationreport"):
        kinds += [Kind.REPORT_SENT_BACK, Kind.REPORT_REJECTED, Kind.REPORT_APPROVED]
    if user.has_perm(WATCH_PERMISSION):
        kinds.append(Kind.WATCHED_UPDATE)
    return kinds


def preference_save(*, user, language: str, switched_on: list[str]) -> NotificationPreference:
    """Save which switches of the member's kinds are on (the others are off) and the language of
    their emails; the switches of other kinds (a role they had) stay as they were."""
    preference = preference_of(user)
    preference.language = language
    theirs = {f"{channel}:{kind}" for kind in kinds_for(user) for channel in Channel.values}
    on = set(switched_on) & theirs
    preference.muted = [s for s in SWITCHES if (s not in on if s in theirs else s in preference.muted)]
    preference.full_clean()
    preference.save()
    return preference


def watch_add(*, user, hotspot=None, kind: str = "", frequency: str = Frequency.IMMEDIATE) -> Watch:
    """A member watches new updates at a hotspot, of a kind, or both; the same watch twice is one."""
    if not user.has_perm(WATCH_PERMISSION):
        raise PermissionDenied(_("Only members of the mission may watch updates."))
    if hotspot is None and not kind:
        raise ValidationError(_("Watch a hotspot, a kind of update, or both."))
    watch, _created = Watch.objects.update_or_create(
        user=user, hotspot=hotspot, kind=kind, defaults={"frequency": frequency}
    )
    return watch


def watch_remove(*, user, watch_id: int) -> bool:
    return Watch.objects.filter(pk=watch_id, user=user).delete()[0] > 0
