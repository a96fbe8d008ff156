"""Posts are stored and processed in batches: few statements per batch, and no post sinks another."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingestion import services
from ingestion.models import CandidateSighting, PlaceCandidate, Post, RejectedRecord, Source, Update
from ingestion.parsers.records import ParseResult, PostRecord
from ingestion.services import processing
from ingestion.tasks import process_post_batch
from operations.models import Contingent
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    "Patrols in Solino and Fort National this morning.",
    "Kenyan officers escorted fuel trucks to the Varreux terminal.",
    "Medical outreach in Cité Soleil for 300 residents.",
    "Barricades removed in Lakou Blan by MSS and HNP units.",
    "120 officers graduated at the National Police College.",
]


def _records(count: int, *, prefix: str = "p") -> list[PostRecord]:
    return [
        PostRecord(
            external_id=f"{prefix}{n}",
            text=f"{TEXTS[n % len(TEXTS)]} ({n})",
            url="",
            author="",
            language="en",
            published_at=datetime(2025, 3, 1, 12, n % 60, tzinfo=UTC),
            raw={"id": f"{prefix}{n}"},
        )
        for n in range(count)
    ]


@pytest.fixture
def source():
    return Source.objects.create(name="batch test", kind="file", is_official=True)


def _ingest(committed, source, records):
    return committed(services.posts_ingest, source=source, result=ParseResult(posts=records), origin="test")


def test_posts_stored_in_batches_are_all_processed_once(committed, source):
    count = services.STORE_BATCH_SIZE + 7  # two store batches, several processing batches
    stats = _ingest(committed, source, _records(count))

    assert (stats.new, stats.failed) == (count, 0)
    assert Post.objects.filter(source=source, state="processed", attempts=1).count() == count
    assert Update.objects.filter(post__source=source).count() == count
    solino = Update.objects.get(post__external_id="p0")
    assert sorted(solino.hotspots.values_list("slug", flat=True)) == ["fort-national", "solino"]
    assert Update.history.filter(history_type="+").count() == count
    kenya = Contingent.objects.get(country_code="KE")  # made by a migration
    assert list(Update.objects.get(post__external_id="p1").contingents.all()) == [kenya]
    # Two posts in each batch name Cité Soleil; each sighting counted once.
    sightings = CandidateSighting.objects.filter(candidate__normalised="cite soleil").count()
    assert PlaceCandidate.objects.get(normalised="cite soleil").occurrences == sightings > 1


def test_storing_again_finds_duplicates_and_changes_in_a_batch(committed, source):
    _ingest(committed, source, _records(10))
    records = _records(12)
    records[3] = PostRecord(**{**records[3].__dict__, "text": "Patrols moved to Delmas."})

    stats = _ingest(committed, source, records)

    assert (stats.new, stats.duplicate, stats.changed) == (2, 9, 1)
    update = Update.objects.get(post__external_id="p3")
    assert list(update.hotspots.values_list("slug", flat=True)) == ["delmas"]


def test_a_record_the_database_refuses_is_rejected_and_the_rest_of_its_batch_is_stored(committed, source):
    records = _records(30)
    # PostgreSQL stores no NUL character: the batch's INSERT fails, then each post is stored alone.
    records[11] = PostRecord(**{**records[11].__dict__, "author": "bad\x00author"})

    stats = _ingest(committed, source, records)

    if connection.vendor == "postgresql":
        assert (stats.new, stats.failed) == (29, 1)
        rejected = RejectedRecord.objects.get(source=source)
        assert rejected.external_id == "p11" and "could not be stored" in rejected.message
    else:  # SQLite stores it
        assert (stats.new, stats.failed) == (30, 0)
    assert Post.objects.filter(source=source, state="processed").count() == stats.new


def test_processing_a_batch_costs_the_same_statements_whatever_its_size(source):
    def statements(count: int, prefix: str) -> int:
        posts = [
            PostFactory(source=source, external_id=f"{prefix}{n}", text=TEXTS[n % len(TEXTS)])
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            outcome = services.posts_process_batch(post_ids=[p.pk for p in posts])
        assert len(outcome.updates) == count
        return len(queries)

    statements(5, "warm")  # builds the matchers once
    assert statements(5, "a") == statements(20, "b")


def test_one_post_that_breaks_extraction_fails_alone(monkeypatch, source):
    real = processing.extract

    def breaks_on_delmas(text, *matchers, **options):
        if "Delmas" in text:
            raise RuntimeError("extraction broke")
        return real(text, *matchers, **options)

    monkeypatch.setattr(processing, "extract", breaks_on_delmas)
    posts = [PostFactory(source=source, text=t) for t in ("Patrols in Solino.", "Patrols in Delmas.")]
    posts += [PostFactory(source=source, text="Checkpoint at Fort National.")]

    outcome = services.posts_process_batch(post_ids=[p.pk for p in posts])

    states = dict(Post.objects.filter(source=source).values_list("text", "state"))
    assert states == {
        "Patrols in Solino.": "processed",
        "Patrols in Delmas.": "failed",
        "Checkpoint at Fort National.": "processed",
    }
    assert outcome.failed == {posts[1].pk: 1}
    assert Post.objects.get(pk=posts[1].pk).last_error == "RuntimeError: extraction broke"


def test_a_failure_in_the_batch_writes_falls_back_to_one_post_at_a_time(monkeypatch, source):
    real = processing._write_mentions
    batch_sizes = []

    def breaks_when_batched(extracted, updates):
        batch_sizes.append(len(extracted))
        if len(extracted) > 1:
            raise ValueError("the batch's statement failed")
        return real(extracted, updates)

    monkeypatch.setattr(processing, "_write_mentions", breaks_when_batched)
    posts = [PostFactory(source=source, text=t) for t in ("Patrols in Solino.", "Patrols in Delmas.")]

    outcome = services.posts_process_batch(post_ids=[p.pk for p in posts])

    assert batch_sizes == [2, 1, 1]  # the batch's writes failed, then each post's went through
    assert set(outcome.updates) == {p.pk for p in posts} and not outcome.failed
    assert Update.objects.filter(post__in=posts, hotspots__isnull=False).count() == 2


def test_a_batch_that_comes_back_after_its_worker_died_is_split_into_single_posts(source):
    # A batch whose worker died has its attempts counted already: it comes back to a new worker.
    posts = [PostFactory(source=source, text=t, attempts=1) for t in TEXTS[:3]]

    result = process_post_batch.delay([p.pk for p in posts]).get()  # eager: the single tasks run at once

    assert result == {"processed": 0, "failed": 0, "split": 3}
    assert set(Post.objects.filter(source=source).values_list("state", flat=True)) == {"processed"}
    # Counted at the batch's start and at the single post's start.
    assert set(Post.objects.filter(source=source).values_list("attempts", flat=True)) == {3}


def test_a_post_started_too_often_without_finishing_is_left_failed(source):
    post = PostFactory(source=source, attempts=services.MAX_PROCESS_ATTEMPTS)

    outcome = services.posts_process_batch(post_ids=[post.pk])

    post.refresh_from_db()
    assert (post.state, outcome.failed) == ("failed", {post.pk: services.MAX_PROCESS_ATTEMPTS + 1})
    assert "without finishing" in post.last_error
    assert not Update.objects.filter(post=post).exists()


def test_reprocessing_drops_the_sightings_a_post_no_longer_has(source):
    post = PostFactory(source=source, text="Medical outreach in Cité Soleil.")
    services.posts_process_batch(post_ids=[post.pk])
    assert PlaceCandidate.objects.get(normalised="cite soleil").occurrences == 1

    Post.objects.filter(pk=post.pk).update(text="Medical outreach in Solino.")
    services.posts_process_batch(post_ids=[post.pk])

    assert PlaceCandidate.objects.get(normalised="cite soleil").occurrences == 0
    assert list(Update.objects.get(post=post).hotspots.values_list("slug", flat=True)) == ["solino"]


def test_a_post_processed_again_after_its_update_was_deleted_is_sighted_once(source):
    post = PostFactory(source=source, text="Medical outreach in Cité Soleil.")
    services.posts_process_batch(post_ids=[post.pk])
    Update.objects.filter(post=post).delete()  # by staff, in the admin: the sighting stays

    outcome = services.posts_process_batch(post_ids=[post.pk])

    assert not outcome.failed
    candidate = PlaceCandidate.objects.get(normalised="cite soleil")
    assert candidate.occurrences == candidate.sightings.count() == 1
