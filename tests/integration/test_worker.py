"""The ingestion pipeline through a real Celery worker, Redis and PostGIS."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from hotspots import gazetteer
from ingestion.models import Post, Source, Update
from ingestion.tasks import poll_source
from tests.integration.conftest import wait_until
from tests.support.fake_servers import FakeXApi

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only]

DEV_DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion" / "dev"
GOLD = {g["id"]: g for g in json.loads((DEV_DATA / "posts_dev_gold.json").read_text(encoding="utf-8"))}


@pytest.fixture
def loaded_gazetteer(transactional_db):
    # Transactional tests start from an empty database.
    gazetteer.load_admin_areas()
    gazetteer.load_reference_places()
    gazetteer.load_hotspots()


def _all_processed() -> bool:
    return (
        Post.objects.exclude(state="processed").count() == 0
        and Update.objects.count() == Post.objects.count()
    )


def _scores() -> tuple[int, int, int]:
    tp = fp = fn = 0
    for update in Update.objects.select_related("post").prefetch_related("mentions__hotspot"):
        got = {m.hotspot.slug for m in update.mentions.all()}
        want = set(GOLD[update.post.external_id]["hotspots"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return tp, fp, fn


def test_the_dev_posts_go_through_the_worker_and_twice_changes_nothing(loaded_gazetteer, worker):
    call_command("ingest_posts", str(DEV_DATA / "posts_dev.json"), stdout=StringIO())
    assert wait_until(_all_processed), (
        f"not all posts processed: {list(Post.objects.values('state', 'last_error'))}"
    )

    assert Post.objects.count() == Update.objects.count() == len(GOLD)
    tp, fp, fn = _scores()
    assert (fp, fn) == (0, 0) and tp > 0
    first = sorted(Update.objects.values_list("id", "post_id", "kind"))

    out = StringIO()
    call_command("ingest_posts", str(DEV_DATA / "posts_dev.json"), stdout=out)
    assert "new 0, duplicate 25" in out.getvalue()
    call_command("reprocess_posts", stdout=StringIO())  # every post through the worker once more
    assert wait_until(lambda: _all_processed() and Post.objects.filter(attempts__lt=1).count() == 0)

    assert sorted(Update.objects.values_list("id", "post_id", "kind")) == first
    assert Post.objects.count() == len(GOLD)


def test_a_source_is_polled_by_the_worker_and_a_server_error_retried(loaded_gazetteer, worker, monkeypatch):
    posts = [
        {"id": str(1815000000000300000 + i), "text": f"Patrol {i} near Pont-Sondé.", "author_id": "42",
         "created_at": "2025-03-17T14:15:00.000Z", "lang": "en", "edit_history_tweet_ids": ["1"]}
        for i in range(30)
    ]  # fmt: skip
    with FakeXApi(posts, users=[{"id": "42", "username": "mss"}], token="worker-token") as api:
        # The worker process reads the token from its own environment.
        worker.stop()
        worker.env["MSS_SOURCE_X_TOKEN"] = "worker-token"
        worker.start()
        source = Source.objects.create(
            name="MSS on X",
            kind="x_api_v2",
            target="42",
            credential_env="MSS_SOURCE_X_TOKEN",
            base_url=api.url,
        )
        api.fail_next(1, status=500)
        poll_source.delay(source.pk)

        assert wait_until(lambda: Post.objects.count() == 30 and _all_processed())
        source.refresh_from_db()
        assert source.cursor["since_id"] == str(1815000000000300000 + 29)
        assert [r.path for r in api.requests].count("/2/users/42/tweets") == 2  # the 500, then the retry
    assert set(Update.objects.values_list("mentions__hotspot__slug", flat=True)) == {"pont-sonde"}
