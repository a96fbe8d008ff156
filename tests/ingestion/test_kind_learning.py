"""The kind classifier learns from reviewers' corrections, and never gets worse on the held-out set
without saying so."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from ingestion import services
from ingestion.extraction import evaluation
from ingestion.models import KindExample, KindModel
from ingestion.tasks import train_kind_model
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

# Posts of one wording that reviewers keep labelling otherwise than the rules read them.
ESCORTED_WATER = [
    "Water trucks escorted by police reached families in Solino this morning.",
    "Police escorted water trucks to the camps of displaced families near Delmas.",
    "Water trucks under police escort reached the displaced families of Christ-Roi.",
]
UNSEEN = "Police escorted water trucks to displaced families in Fort National."


def _correct(text, user, kind=None):
    """A reviewer corrects the kind of a post (by default to one the rules did not guess)."""
    update = services.post_process(post=PostFactory(text=text))
    kind = kind or ("deployment" if update.kind != "deployment" else "training")
    services.update_review(update=update, user=user, state="corrected", kind=kind)
    return kind


def test_corrections_teach_the_classifier_the_kind_of_similar_posts(admin_user):
    before = services.post_process(post=PostFactory(text=UNSEEN)).kind
    target = "deployment" if before != "deployment" else "training"
    for text in ESCORTED_WATER:
        _correct(text, admin_user, target)
    assert KindExample.objects.count() == 3

    training = services.kind_model_train()

    assert training.examples == 3 and training.activated
    assert KindModel.objects.get(is_active=True).pk == training.model.pk
    after = services.post_process(post=PostFactory(text=UNSEEN))
    assert (after.kind, before) == (target, before) and before != target
    unrelated = services.post_process(post=PostFactory(text="Gunmen attacked a bus in Delmas."))
    assert unrelated.kind == "incident"


def test_a_model_that_scores_worse_on_the_held_out_set_is_kept_but_not_used(admin_user):
    cases = evaluation.load_cases(evaluation.default_path())
    # Reviewers who label the held-out set's own incidents as statements: a model worse on it.
    for case in [c for c in cases if c.kind == "incident"][:30]:
        KindExample.objects.create(text=case.text, kind="statement", guessed_kind="incident")

    training = services.kind_model_train()

    assert training.after < training.before
    assert not training.activated
    assert not KindModel.objects.filter(is_active=True).exists()
    assert "NOT in use" in str(training) and "worse" in training.model.note

    forced = services.kind_model_train(accept_worse=True)
    assert forced.activated and "used as asked" in forced.model.note


def test_the_command_prints_the_held_out_score_before_and_after(admin_user):
    _correct(ESCORTED_WATER[0], admin_user)
    out = StringIO()

    call_command("train_kind_model", stdout=out)

    assert "trained on 1 labelled example(s); held-out kinds" in out.getvalue()
    assert "before" in out.getvalue() and "after" in out.getvalue()


def test_the_beat_task_trains_and_a_schedule_runs_it_nightly(admin_user):
    _correct(ESCORTED_WATER[0], admin_user)
    assert "trained on 1 labelled example(s)" in train_kind_model.delay().get()
    schedule = PeriodicTask.objects.get(task="ingestion.train_kind_model")
    assert (schedule.crontab.hour, schedule.crontab.minute) == ("3", "30")


def test_updates_guessed_with_low_confidence_need_review():
    sure = services.post_process(
        post=PostFactory(text="120 officers graduated at the National Police College.")
    )
    thin = services.post_process(post=PostFactory(text="Solino."))
    assert sure.confidence >= 0.6 and not sure.needs_review
    assert thin.confidence < 0.6 and thin.needs_review
