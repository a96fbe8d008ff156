"""The beat schedules the migrations leave name only tasks the worker has (the removed token-use
flush included: migration accounts 0006 takes its schedule away)."""

import pytest
from django_celery_beat.models import PeriodicTask

from mss_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_every_schedule_names_a_task_the_worker_has():
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert "ingestion.train_kind_model" in scheduled  # the migrations' schedules are there to check
    celery_app.loader.import_default_modules()  # what a worker imports at start
    assert scheduled - set(celery_app.tasks) == set()
    assert "accounts.flush_api_token_uses" not in scheduled
