"""Each mention carries its update's time, kept by the database (ingestion migration 0004), and the
map's counts read from it agree with the counts that join the updates."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, Max
from django.utils import timezone

from analysis.activity import as_query, update_counts
from hotspots.models import Hotspot
from ingestion import services
from ingestion.models import Mention, Update
from ingestion.tasks import process_post
from tests.factories import PostFactory, UpdateFactory

pytestmark = pytest.mark.django_db

MARCH = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _times(update) -> list:
    return list(Mention.objects.filter(update=update).values_list("published_at", flat=True))


def _solino_and_delmas():
    return Hotspot.objects.get(slug="solino"), Hotspot.objects.get(slug="delmas")


def test_a_mention_written_takes_its_updates_time_whatever_django_wrote():
    solino, delmas = _solino_and_delmas()
    update = UpdateFactory(published_at=MARCH, hotspots=[solino])  # Mention.objects.create
    Mention.objects.bulk_create(
        [Mention(update=update, hotspot=delmas, matched_text="Delmas", start=20, end=26, published_at=None)]
    )
    wrong = Mention.objects.create(
        update=update,
        hotspot=delmas,
        matched_text="Delmas",
        start=40,
        end=46,
        published_at=MARCH.replace(year=1999),
    )

    assert _times(update) == [MARCH, MARCH, MARCH]
    wrong.refresh_from_db()
    assert wrong.published_at == MARCH


def test_an_update_whose_time_changes_passes_it_on_to_its_mentions():
    solino, delmas = _solino_and_delmas()
    update = UpdateFactory(published_at=MARCH, hotspots=[solino, delmas])
    other = UpdateFactory(published_at=MARCH, hotspots=[solino])
    later = MARCH + timedelta(days=3)

    update.published_at = later
    update.save()
    assert _times(update) == [later, later]

    Update.objects.filter(pk=update.pk).update(published_at=None)  # a queryset update, no save()
    assert _times(update) == [None, None]
    assert _times(other) == [MARCH]  # the other update's mentions are left alone


def test_a_mention_moved_to_another_update_takes_that_updates_time():
    solino, _ = _solino_and_delmas()
    first = UpdateFactory(published_at=MARCH, hotspots=[solino])
    second = UpdateFactory(published_at=MARCH + timedelta(days=1))
    mention = first.mentions.get()

    mention.update = second
    mention.save()

    mention.refresh_from_db()
    assert mention.published_at == second.published_at


def test_ingested_and_reviewed_mentions_carry_their_updates_time(admin_user):
    post = PostFactory(text="Patrols in Solino and Fort National.", published_at=MARCH)
    process_post.delay(post.pk)  # eager here
    update = Update.objects.get(post=post)
    assert _times(update) == [MARCH, MARCH]

    # A reviewer adds a hotspot: its mention (written by the review service) has the time too.
    _, delmas = _solino_and_delmas()
    services.update_review(
        update=update, user=admin_user, state="corrected", hotspots=[*update.hotspots.all(), delmas]
    )
    assert _times(update) == [MARCH, MARCH, MARCH]


def _joined_counts(since) -> dict:
    """The same counts by joining the updates, as any other filter or reader is counted."""
    rows = (
        Update.objects.filter(published_at__gte=since, mentions__hotspot__isnull=False)
        .values_list("mentions__hotspot")
        .annotate(n=Count("pk", distinct=True), last=Max("published_at"))
        .order_by()
    )
    return {pk: (n, last) for pk, n, last in rows}


def test_the_maps_update_counts_from_the_mentions_equal_those_joining_the_updates(analyst):
    solino, delmas = _solino_and_delmas()
    now = timezone.now().replace(microsecond=0)
    since = now - timedelta(days=7)
    UpdateFactory(published_at=now - timedelta(days=1), hotspots=[solino, delmas])
    # Solino named twice by one update: one update.
    twice = UpdateFactory(published_at=now - timedelta(days=2), hotspots=[solino])
    Mention.objects.create(update=twice, hotspot=solino, matched_text="Solino", start=50, end=56)
    UpdateFactory(published_at=since, hotspots=[delmas])  # at the start: in
    UpdateFactory(published_at=since - timedelta(seconds=1), hotspots=[solino])  # before it: out
    UpdateFactory(published_at=None, hotspots=[solino])  # no time: out
    UpdateFactory(published_at=now - timedelta(hours=1))  # no hotspot: in the total only

    counts = update_counts(analyst, as_query({"published_after": since.isoformat()}))

    joined = _joined_counts(since)
    assert joined[solino.pk][0] == 2 and joined[delmas.pk][0] == 2
    assert {pk: n for pk, (n, _) in counts["hotspots"].items()} == {pk: n for pk, (n, _) in joined.items()}
    assert counts["hotspots"][solino.pk][1] == (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert counts["total"] == 4
