"""A broker that cannot be reached while posts are stored: the posts are kept, none is rejected."""

import logging
import time

import pytest

from ingestion import services
from ingestion.models import Post, RejectedRecord
from mss_portal.celery import app as celery_app
from tests.factories import SourceFactory
from tests.integration.conftest import _reset_connections
from tests.integration.services import post_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_broker():
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)  # nothing listens
    _reset_connections()
    yield
    celery_app.conf.update(saved)
    _reset_connections()


def test_posts_stored_while_the_broker_is_down_wait_for_the_sweeper(
    unreachable_broker, django_capture_on_commit_callbacks, caplog
):
    source = SourceFactory()
    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="ingestion.services"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        stats = services.posts_ingest(source=source, result=post_records(3), origin="test")
    assert len(callbacks) == 1  # queueing the batch was attempted, after the commit
    assert (stats.new, stats.failed) == (3, 0)
    assert RejectedRecord.objects.count() == 0
    assert list(Post.objects.values_list("state", flat=True)) == ["new"] * 3
    assert caplog.text.count("stored but not queued") == 1
    assert "the sweeper will queue them" in caplog.text
    assert time.monotonic() - started < 10  # a few quick retries, not a long wait
