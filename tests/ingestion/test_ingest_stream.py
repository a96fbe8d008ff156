"""posts_ingest over a stream: stored batch by batch as it is read, errors kept, nothing held."""

from datetime import UTC, datetime

import pytest

from ingestion import services
from ingestion.models import Post, RejectedRecord, Source
from ingestion.parsers.records import ParseResult, PostRecord, RecordError

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return Source.objects.create(name="stream test", kind="file")


def record(n: int, **extra) -> PostRecord:
    return PostRecord(
        external_id=str(n),
        text=f"Patrol {n} in Solino.",
        url=f"https://x.com/i/web/status/{n}",
        author="",
        language="en",
        published_at=datetime(2025, 3, 1, tzinfo=UTC),
        raw={"id": str(n), "text": f"Patrol {n} in Solino."},
        **extra,
    )


def error(n: int, code: str = "invalid") -> RecordError:
    return RecordError(position=f"line {n}", external_id=None, message=f"bad line {n}", raw="{", code=code)


def test_a_stream_is_stored_batch_by_batch_as_it_is_read(source):
    seen_stored = {}

    def posts():
        for n in range(450):
            if n in (200, 400):
                seen_stored[n] = Post.objects.filter(source=source).count()
            yield record(n)

    stats = services.posts_ingest(source=source, result=posts(), origin="stream", process=False)

    assert seen_stored == {200: 200, 400: 400}  # each batch was stored before more was read
    assert (stats.new, Post.objects.count()) == (450, 450)
    source.refresh_from_db()
    assert source.posts_fetched == 450


def test_errors_are_kept_and_counted_by_kind_and_a_repeat_is_a_duplicate(source):
    items = [
        record(1),
        error(2),
        error(3, "api_error"),
        error(4, "duplicate"),
        record(5, warnings=("a", "b")),
    ]

    stats = services.posts_ingest(source=source, result=iter(items), origin="mixed.jsonl", process=False)

    assert str(stats) == "new 2, duplicate 1, changed 0, failed 1, warnings 2, api errors 1"
    assert sorted(RejectedRecord.objects.values_list("position", "origin")) == [
        ("line 2", "mixed.jsonl"),
        ("line 3", "mixed.jsonl"),
    ]
    assert [e.position for e in stats.errors] == ["line 2", "line 3"]


def test_only_the_first_errors_are_held_and_every_one_is_kept_as_a_rejected_record(source):
    stats = services.posts_ingest(
        source=source, result=(error(n) for n in range(450)), origin="bad.jsonl", process=False
    )

    assert stats.failed == 450
    assert len(stats.errors) == services.MAX_KEPT_ERRORS
    assert RejectedRecord.objects.count() == 450


def test_progress_is_told_after_each_batch_and_adds_up(source):
    calls = []
    items = [*(record(n) for n in range(250)), *(error(n) for n in range(10))]

    services.posts_ingest(source=source, result=iter(items), origin="p", process=False, progress=calls.append)

    assert calls == [200, 60]


def test_a_parse_result_still_works_for_the_pollers(source):
    result = ParseResult(posts=[record(1), record(2)], errors=[error(3, "api_error")])

    stats = services.posts_ingest(source=source, result=result, origin="X API", process=False)

    assert (stats.new, stats.api_errors, stats.failed) == (2, 1, 0)
    assert RejectedRecord.objects.get().message == "bad line 3"
