"""Processing stored posts into updates: idempotence, review, failures, the sweeper, candidates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hotspots.models import Hotspot
from hotspots.services import alias_add
from ingestion import services
from ingestion.models import PlaceCandidate, Post, Update
from ingestion.services import processing
from ingestion.tasks import process_post, sweep_stale_posts
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _process(post):
    process_post.delay(post.pk)  # eager here: the task runs now
    post.refresh_from_db()
    return post


def test_processing_twice_replaces_the_update_and_never_adds_one():
    post = _process(PostFactory(text="Patrols in Solino and Fort National."))
    first = Update.objects.get(post=post)
    _process(post)
    assert Update.objects.filter(post=post).count() == 1
    assert Update.objects.get(post=post).pk == first.pk
    assert sorted(first.mentions.values_list("hotspot__slug", flat=True)) == ["fort-national", "solino"]


def test_reprocessing_after_a_new_alias_finds_the_hotspot(committed):
    post = _process(PostFactory(text="Checkpoint set up at Lakou Solè this morning."))
    assert not post.update.hotspots.exists()
    alias_add(hotspot=Hotspot.objects.get(slug="solino"), text="Lakou Solè", language="ht")

    committed(services.posts_reprocess)

    assert list(Update.objects.get(post=post).hotspots.values_list("slug", flat=True)) == ["solino"]


def test_a_reviewed_update_is_not_overwritten_unless_forced(admin_user, committed):
    post = _process(PostFactory(text="Patrols in Solino."))
    services.update_review(update=post.update, user=admin_user, state="corrected", kind="incident")

    committed(services.posts_reprocess)
    assert Update.objects.get(post=post).kind == "incident"

    committed(services.posts_reprocess, force=True)
    update = Update.objects.get(post=post)
    assert (update.kind, update.review_state) == ("security_operation", "auto")


def test_a_processing_failure_is_recorded_on_the_post_and_can_be_retried(monkeypatch, committed):
    def broken(*args, **kwargs):
        raise RuntimeError("extraction broke")

    monkeypatch.setattr(processing, "extract", broken)
    post = _process(PostFactory(text="Patrols in Solino."))
    assert (post.state, post.attempts) == ("failed", 1)
    assert post.last_error == "RuntimeError: extraction broke"
    assert not Update.objects.filter(post=post).exists()

    monkeypatch.undo()
    committed(services.posts_retry, posts=[post])
    post.refresh_from_db()
    assert (post.state, post.last_error) == ("processed", "")
    assert post.update.hotspots.get().slug == "solino"


def test_the_sweeper_requeues_posts_a_lost_task_left_behind():
    stuck = PostFactory(text="Patrols in Solino.")  # stored, never processed
    recent = PostFactory(text="Patrols in Delmas.")
    Post.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(minutes=30))

    assert sweep_stale_posts.delay().get() == 1

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.state == "processed"
    assert recent.state == "new"


def test_a_post_that_keeps_failing_is_not_requeued_forever():
    post = PostFactory(text="x", state="failed", attempts=services.MAX_PROCESS_ATTEMPTS)
    Post.objects.filter(pk=post.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert sweep_stale_posts.delay().get() == 0


def test_staff_paste_a_post_in_the_admin(client, reporter, committed):
    source = services.source_for_file(name="pasted")
    client.force_login(reporter)
    response = committed(
        client.post,
        reverse("admin:ingestion_post_add"),
        {
            "source": source.pk,
            "external_id": "",
            "text": "120 officers graduated at the National Police College.",
            "url": "",
            "author": "",
            "language": "en",
            "published_at_0": "",
            "published_at_1": "",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.external_id.startswith("manual-")
    assert (post.update.kind, post.update.figures) == ("training", {"trained": 120})


def test_a_reviewer_corrects_hotspots_and_kind_in_the_admin(client, reporter):
    post = _process(PostFactory(text="Patrols in Solino."))
    client.force_login(reporter)
    delmas = Hotspot.objects.get(slug="delmas")
    response = client.post(
        reverse("admin:ingestion_update_change", args=[post.update.pk]),
        {"kind": "incident", "hotspot_choices": [delmas.pk], "decision": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    update = Update.objects.get(pk=post.update.pk)
    assert (update.kind, update.review_state, update.reviewer) == ("incident", "corrected", reporter)
    assert list(update.hotspots.values_list("slug", flat=True)) == ["delmas"]


def test_bulk_confirm_in_the_admin(client, reporter):
    posts = [_process(PostFactory(text="Patrols in Solino.")) for _ in range(3)]
    client.force_login(reporter)
    client.post(
        reverse("admin:ingestion_update_changelist"),
        {"action": "confirm_selected", "_selected_action": [p.update.pk for p in posts]},
    )
    assert set(Update.objects.values_list("review_state", flat=True)) == {"confirmed"}


def test_a_candidate_promoted_to_an_alias_is_found_next_time(admin_user):
    post = _process(PostFactory(text="Operation in Cité Soleil this morning."))
    candidate = PlaceCandidate.objects.get(normalised="cite soleil")
    assert candidate.occurrences == 1
    assert post.update.hotspots.count() == 0

    varreux = Hotspot.objects.get(slug="varreux")
    services.candidate_promote_to_alias(candidate=candidate, hotspot=varreux, language="fr")
    _process(post)

    candidate.refresh_from_db()
    assert candidate.status == "promoted"
    assert list(Update.objects.get(post=post).hotspots.values_list("slug", flat=True)) == ["varreux"]


def test_a_candidate_promoted_to_a_hotspot_is_placed_at_its_reference_point():
    _process(PostFactory(text="Clearance operation in Carrefour this morning."))
    candidate = PlaceCandidate.objects.get(normalised="carrefour")
    hotspot = services.candidate_promote_to_hotspot(candidate=candidate, slug="carrefour", kind="town")
    assert hotspot.location is not None
    assert (hotspot.confidence, hotspot.adm2_pcode) == ("low", "HT0113")


def test_reprocessing_a_post_does_not_double_count_candidates():
    post = _process(PostFactory(text="Medical outreach in Cité Soleil."))
    _process(post)
    assert PlaceCandidate.objects.get(normalised="cite soleil").occurrences == 1


def test_a_hashtag_names_a_candidate_and_the_country_never_does():
    _process(PostFactory(text="Medical outreach today #CiteSoleil, for all of Haïti."))
    names = set(PlaceCandidate.objects.values_list("normalised", flat=True))
    assert "cite soleil" in names
    assert "haiti" not in names


def test_an_unknown_name_after_a_place_cue_becomes_a_candidate():
    _process(PostFactory(text="Barricades removed in Lakou Blan by MSS and HNP units."))
    candidate = PlaceCandidate.objects.get(normalised="lakou blan")
    assert (candidate.name, candidate.origin, candidate.reference) == ("Lakou Blan", "unknown", "")
