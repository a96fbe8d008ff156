"""Watches: new updates at a watched hotspot or of a watched kind reach the watcher as they are
made (processing), by email at once or in a daily digest; never an update the watcher may not read."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hotspots.models import Hotspot
from ingestion.models import Update
from ingestion.tasks import process_post
from notifications import services
from notifications.choices import Frequency, Kind
from notifications.models import Notification, NotificationPreference, Watch
from notifications.tasks import send_daily_digests
from tests.factories import PostFactory, SourceFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def _solino():
    return Hotspot.objects.get(slug="solino")


def _ingest(committed, text, *, official=True):
    post = PostFactory(text=text, source=SourceFactory(name=f"source {official}", is_official=official))
    committed(process_post.delay, post.pk)  # eager here: processing, then what it queued after the commit
    return Update.objects.get(post=post)


def test_a_new_update_at_a_watched_hotspot_reaches_the_watcher_at_once(committed, analyst):
    Watch.objects.create(user=analyst, hotspot=_solino())

    update = _ingest(committed, "Patrols continued in Solino.")

    notification = Notification.objects.get(recipient=analyst)
    assert (notification.kind, notification.update) == (Kind.WATCHED_UPDATE, update)
    assert "Solino" in notification.summary()
    [message] = mail.outbox
    assert message.to == [analyst.email]
    assert "Patrols continued in Solino." in message.body
    assert "/hotspots/solino/" in message.body


def test_an_update_elsewhere_or_of_another_kind_reaches_no_watcher(committed, analyst, reporter):
    Watch.objects.create(user=analyst, hotspot=Hotspot.objects.get(slug="pont-sonde"))
    Watch.objects.create(user=reporter, hotspot=_solino(), kind="training")

    _ingest(committed, "Patrols continued in Solino.")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_watched_kind_matches_at_any_hotspot(committed, reporter):
    update = _ingest(committed, "Patrols continued in Solino.")
    Watch.objects.create(user=reporter, kind=update.kind)

    other = _ingest(committed, "Patrols continued at Fort National.")

    assert list(Notification.objects.values_list("update", flat=True)) == [other.pk]


def test_a_daily_watch_waits_for_the_digest_but_shows_in_the_portal(committed, analyst):
    Watch.objects.create(user=analyst, hotspot=_solino(), frequency=Frequency.DAILY)

    _ingest(committed, "Patrols continued in Solino.")

    assert Notification.objects.filter(recipient=analyst).count() == 1
    assert mail.outbox == []


def test_a_partners_watch_never_brings_an_update_not_released_to_partners(committed, partner):
    # A partner cannot make a watch (the page refuses them); one made in the admin still follows the rule.
    Watch.objects.create(user=partner, hotspot=_solino())

    _ingest(committed, "Patrols continued in Solino.", official=False)  # unreviewed third-party guess
    assert not Notification.objects.exists()
    assert mail.outbox == []

    released = _ingest(committed, "Patrols continued in Solino today.", official=True)
    assert list(Notification.objects.values_list("update", flat=True)) == [released.pk]
    assert [m.to for m in mail.outbox] == [[partner.email]]


def test_a_watcher_who_turned_watches_off_hears_nothing(committed, analyst):
    Watch.objects.create(user=analyst, hotspot=_solino())
    NotificationPreference.objects.create(
        user=analyst, muted=[f"email:{Kind.WATCHED_UPDATE}", f"portal:{Kind.WATCHED_UPDATE}"]
    )

    _ingest(committed, "Patrols continued in Solino.")

    assert not Notification.objects.exists()
    assert mail.outbox == []


def _made_yesterday(update):
    Update.objects.filter(pk=update.pk).update(created_at=timezone.now() - timedelta(hours=3))
    return update


def test_the_digest_lists_the_days_matching_updates_in_one_email(analyst, approver):
    Watch.objects.create(user=analyst, hotspot=_solino(), frequency=Frequency.DAILY)
    Watch.objects.create(user=approver, kind="training", frequency=Frequency.DAILY)
    NotificationPreference.objects.create(user=analyst, language="fr")
    solino = [
        _made_yesterday(UpdateFactory(post=PostFactory(text=f"Solino patrol {n}"), hotspots=[_solino()]))
        for n in range(2)
    ]
    old = UpdateFactory(post=PostFactory(text="Solino patrol last week"), hotspots=[_solino()])
    Update.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=6))

    assert send_daily_digests.delay().get() == 2  # eager here; two watchers with daily watches

    [message] = mail.outbox  # the approver's watch matched nothing today: no email
    assert message.to == [analyst.email]
    assert "2 nouvelles mises à jour" in message.subject
    assert "Solino patrol 0" in message.body and "Solino patrol 1" in message.body
    assert "last week" not in message.body
    assert len(solino) == 2


def test_the_digest_leaves_out_what_the_watcher_may_not_read(partner):
    Watch.objects.create(user=partner, hotspot=_solino(), frequency=Frequency.DAILY)
    unreviewed = PostFactory(text="Solino guess", source=SourceFactory(name="third party", is_official=False))
    _made_yesterday(UpdateFactory(post=unreviewed, hotspots=[_solino()]))

    assert (
        services.digest_send(
            user_id=partner.pk, since=timezone.now() - timedelta(days=1), until=timezone.now()
        )
        == 0
    )
    assert mail.outbox == []

    _made_yesterday(UpdateFactory(post=PostFactory(text="Solino official"), hotspots=[_solino()]))
    services.digest_send(user_id=partner.pk, since=timezone.now() - timedelta(days=1), until=timezone.now())
    [message] = mail.outbox
    assert "Solino official" in message.body and "Solino guess" not in message.body


def test_beat_sends_the_digest_every_morning_in_haiti():
    task = PeriodicTask.objects.get(task="notifications.send_daily_digests")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, str(crontab.timezone)) == ("0", "6", "America/Port-au-Prince")
    assert task.enabled
