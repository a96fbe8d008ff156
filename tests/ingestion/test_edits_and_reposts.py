"""Edits, reposts and quotes: one event makes one update, and a changed text is reviewed again."""

from datetime import UTC, datetime

import pytest

from ingestion import services
from ingestion.models import KindExample, Post, Update
from ingestion.parsers.records import PostRecord
from tests.factories import SourceFactory
from webhooks.models import Tombstone

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)


def record(external_id, text, **fields):
    return PostRecord(
        external_id=external_id,
        text=text,
        url="",
        author=fields.pop("author", "mss_haiti"),
        language="en",
        published_at=fields.pop("published_at", WHEN),
        raw={"id": external_id, "text": text},
        **fields,
    )


def store_and_process(source, rec):
    post, outcome = services.post_store(source=source, record=rec)
    services.post_process(post=post)
    post.refresh_from_db()
    return post, outcome


@pytest.fixture
def press():
    return SourceFactory(name="press search", kind="x_api_v2", is_official=False)


@pytest.fixture
def official():
    return SourceFactory(name="mission account", kind="x_api_v2", is_official=True)


def test_a_changed_text_keeps_one_update_and_sends_it_back_to_review(press, admin_user):
    post, _ = store_and_process(press, record("100", "Patrols in Solino this morning."))
    update = post.update
    services.update_review(update=update, user=admin_user, state="confirmed")
    before = Update.objects.get(pk=update.pk).updated_at

    post, outcome = store_and_process(press, record("100", "Gunmen attacked a bus in Solino this morning."))

    assert outcome == "changed"
    assert Update.objects.filter(post__source=press).count() == 1
    update = Update.objects.get(post=post)
    assert (update.pk, update.review_state, update.reviewer) == (post.update.pk, "auto", None)
    assert update.kind == "incident"
    assert update.updated_at > before
    assert [h.text for h in post.history.order_by("history_date")] == [
        "Patrols in Solino this morning.",
        "Gunmen attacked a bus in Solino this morning.",
    ]
    reviewed = [h for h in update.history.all() if h.review_state == "confirmed"]
    assert reviewed and reviewed[0].reviewer_id == admin_user.pk


def test_a_confirmed_third_party_update_is_withdrawn_from_partners_when_its_text_changes(
    press, admin_user, partner
):
    post, _ = store_and_process(press, record("101", "Patrols in Solino."))
    services.update_review(update=post.update, user=admin_user, state="confirmed")
    assert Update.objects.visible_to(partner).filter(pk=post.update.pk).exists()

    store_and_process(press, record("101", "Patrols in Solino and Delmas."))

    assert not Update.objects.visible_to(partner).filter(pk=post.update.pk).exists()
    assert Tombstone.objects.filter(object_id=str(post.update.pk), reason="withdrawn", partners=True).exists()


def test_an_official_update_stays_released_when_its_text_changes(official, partner):
    post, _ = store_and_process(official, record("102", "Patrols in Solino."))
    store_and_process(official, record("102", "Patrols in Solino and Delmas."))

    update = Update.objects.get(post=post)
    assert Update.objects.visible_to(partner).filter(pk=update.pk).exists()
    assert sorted(update.hotspots.values_list("slug", flat=True)) == ["delmas", "solino"]
    assert not Tombstone.objects.filter(object_id=str(update.pk)).exists()


def test_the_same_text_again_is_a_duplicate(press):
    store_and_process(press, record("103", "Patrols in Solino."))
    _, outcome = store_and_process(press, record("103", "Patrols in Solino."))
    assert outcome == "duplicate"


def test_a_later_version_of_an_edited_x_post_replaces_the_first(press):
    first, _ = store_and_process(press, record("200", "Checkpoint at Delmas 33.", edit_ids=("200",)))
    later = record(
        "205",
        "Checkpoint at Delmas 33 and Christ-Roi.",
        edit_ids=("200", "205"),
        published_at=datetime(2026, 11, 3, 14, 20, tzinfo=UTC),
    )

    post, outcome = store_and_process(press, later)

    assert outcome == "changed"
    assert (post.pk, post.external_id, post.original_id) == (first.pk, "205", "200")
    assert post.published_at == WHEN  # the event is when it was first reported
    assert Post.objects.filter(source=press).count() == 1
    assert sorted(post.update.hotspots.values_list("slug", flat=True)) == ["christ-roi", "delmas"]


def test_an_earlier_version_arriving_after_the_later_one_changes_nothing(press):
    later, _ = store_and_process(press, record("305", "Curfew lifted in Delmas.", edit_ids=("300", "305")))
    post, outcome = store_and_process(press, record("300", "Curfew in Delmas.", edit_ids=("300",)))

    assert outcome == "duplicate"
    assert (post.pk, post.external_id, post.text) == (later.pk, "305", "Curfew lifted in Delmas.")


def test_two_versions_in_one_batch_make_one_post(press):
    stored = services.posts_store_batch(
        source=press,
        records=[
            record("405", "Escort of fuel trucks to Varreux, now complete.", edit_ids=("400", "405")),
            record("400", "Escort of fuel trucks to Varreux.", edit_ids=("400",)),
        ],
    )
    assert [outcome for _, outcome in stored] == ["new", "duplicate"]
    assert list(Post.objects.filter(source=press).values_list("external_id", flat=True)) == ["405"]


def test_a_repost_of_a_stored_post_adds_no_update_and_is_linked_to_it(official, press):
    original, _ = store_and_process(official, record("500", "Kenyan officers patrolled Solino overnight."))

    repost, _ = store_and_process(
        press,
        record("510", "Kenyan officers patrolled Solino overnight.", reposted_id="500", author="resident"),
    )

    assert repost.repost_of_id == original.pk
    assert repost.state == "processed"
    assert not Update.objects.filter(post=repost).exists()
    assert Update.objects.count() == 1
    assert list(original.reposts.values_list("author", flat=True)) == ["resident"]


def test_a_repost_stored_before_its_original_gives_way_to_it(official, press):
    repost, _ = store_and_process(press, record("610", "Fuel convoy reached Varreux.", reposted_id="600"))
    assert Update.objects.filter(post=repost).exists()  # the only record of the event, for now

    original, _ = store_and_process(official, record("600", "Fuel convoy reached Varreux."))

    repost.refresh_from_db()
    assert repost.repost_of_id == original.pk
    assert list(Update.objects.values_list("post_id", flat=True)) == [original.pk]


def test_a_quote_keeps_its_own_update_and_links_the_quoted_post(official, press):
    quoted, _ = store_and_process(official, record("700", "Patrols in Christ-Roi."))
    quote, _ = store_and_process(
        press, record("710", "Residents say gunfire resumed in Solino after this.", quoted_id="700")
    )

    assert quote.quoted_post_id == quoted.pk
    assert quote.update.kind == "incident"
    assert Update.objects.count() == 2


def test_warnings_of_the_reader_are_kept_on_the_post(press):
    post, _ = store_and_process(
        press, record("800", "Patrols in Solino.", warnings=("pubDate 'jeudi' could not be read",))
    )
    assert post.warnings == ["pubDate 'jeudi' could not be read"]


def test_a_reviewers_kind_correction_is_kept_as_a_labelled_example(press, admin_user):
    post, _ = store_and_process(press, record("900", "Patrols in Solino."))
    services.update_review(update=post.update, user=admin_user, state="corrected", kind="humanitarian")

    example = KindExample.objects.get(update=post.update)
    assert (example.text, example.kind, example.guessed_kind, example.labelled_by) == (
        "Patrols in Solino.",
        "humanitarian",
        "security_operation",
        admin_user,
    )


def test_a_confirmation_makes_no_example(press, admin_user):
    post, _ = store_and_process(press, record("901", "Patrols in Solino."))
    services.update_review(update=post.update, user=admin_user, state="confirmed")
    assert not KindExample.objects.exists()


def test_an_edit_history_that_does_not_name_the_post_is_not_read_as_one(press):
    # X ends every edit history with the post's own id; posts that all claim the history ["1"]
    # (a malformed capture) are different posts, not versions of one.
    for external_id in ("1001", "1002"):
        store_and_process(press, record(external_id, f"Patrol {external_id} in Solino.", edit_ids=("1",)))
    assert sorted(Post.objects.values_list("external_id", "original_id")) == [
        ("1001", "1001"),
        ("1002", "1002"),
    ]
