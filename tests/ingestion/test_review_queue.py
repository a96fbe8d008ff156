"""The review queue in the admin: source and trust on every row, unreviewed updates newest first with
needs-review and trust filters, a bulk reject that asks first, reposts shown, and the paste form
held to the parsers' limits."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ingestion.models import Post, Update
from ingestion.parsers.records import MAX_TEXT_BYTES
from tests.factories import PostFactory, SourceFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def test_every_row_of_the_queue_names_its_source_and_trust(client, reporter):
    UpdateFactory(post__source=SourceFactory(name="Mission account", is_official=True))
    UpdateFactory(post__source=SourceFactory(name="Keyword search", is_official=False))
    client.force_login(reporter)

    page = client.get(reverse("admin:ingestion_update_changelist")).content.decode()

    assert "Mission account" in page and "Keyword search" in page
    assert page.count("Official") >= 1 and page.count("Third-party") >= 1


def test_the_queue_opens_on_unreviewed_updates_newest_first(client, reporter):
    older = UpdateFactory(confidence=0.35, needs_review=True, published_at=datetime(2025, 3, 1, tzinfo=UTC))
    newer = UpdateFactory(confidence=0.95, needs_review=False, published_at=datetime(2025, 3, 2, tzinfo=UTC))
    UpdateFactory(review_state="confirmed", published_at=datetime(2025, 3, 3, tzinfo=UTC))
    client.force_login(reporter)

    response = client.get(reverse("admin:ingestion_update_changelist"))

    assert [u.pk for u in response.context["cl"].result_list] == [newer.pk, older.pk]
    assert "35% (needs review)" in response.content.decode()
    filtered = client.get(reverse("admin:ingestion_update_changelist"), {"needs_review__exact": "1"})
    assert [u.pk for u in filtered.context["cl"].result_list] == [older.pk]
    every = client.get(reverse("admin:ingestion_update_changelist"), {"review": "all"})
    assert len(every.context["cl"].result_list) == 3


def test_the_queue_filters_by_source_trust(client, reporter):
    official = UpdateFactory(post__source=SourceFactory(name="Mission account", is_official=True))
    UpdateFactory(post__source=SourceFactory(name="Keyword search", is_official=False))
    client.force_login(reporter)
    response = client.get(
        reverse("admin:ingestion_update_changelist"), {"post__source__is_official__exact": "1"}
    )
    assert [u.pk for u in response.context["cl"].result_list] == [official.pk]


def test_a_bulk_reject_asks_first_and_rejects_once_confirmed(client, reporter):
    updates = [UpdateFactory(post__text=f"Patwouy {n}") for n in range(2)]
    client.force_login(reporter)
    url = reverse("admin:ingestion_update_changelist")
    data = {"action": "reject_selected", "_selected_action": [u.pk for u in updates]}

    asked = client.post(url, data)
    assert asked.status_code == 200
    assert "These 2 updates will be rejected" in asked.content.decode()
    assert "Patwouy 0" in asked.content.decode()
    assert {u.review_state for u in Update.objects.all()} == {"auto"}

    client.post(url, {**data, "confirmed": "yes"})
    assert {u.review_state for u in Update.objects.all()} == {"rejected"}


def test_an_update_page_says_who_reposted_it(client, reporter):
    update = UpdateFactory(post__source=SourceFactory(name="Mission account", is_official=True))
    PostFactory(source=SourceFactory(name="Press search"), author="haiti_reporter", repost_of=update.post)
    client.force_login(reporter)

    page = client.get(reverse("admin:ingestion_update_change", args=[update.pk])).content.decode()

    assert "Reposted by" in page
    assert "haiti_reporter (Press search)" in page
    assert "an official mission channel" in page


def _paste(client, source, **fields):
    data = {
        "source": source.pk,
        "external_id": "",
        "text": "Patrols in Solino.",
        "url": "",
        "author": "",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
        **fields,
    }
    return client.post(reverse("admin:ingestion_post_add"), data)


def test_the_paste_form_refuses_a_text_over_the_parsers_limit(client, reporter):
    client.force_login(reporter)
    response = _paste(client, SourceFactory(), text="é" * (MAX_TEXT_BYTES // 2 + 1))
    assert response.status_code == 200
    assert "over the 1,000,000-byte limit" in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("1999-12-31", "is before 2000"), ("far-future", "more than a day ahead")],
)
def test_the_paste_form_refuses_a_date_no_post_can_have(client, reporter, day, message):
    if day == "far-future":
        day = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.force_login(reporter)
    response = _paste(client, SourceFactory(), published_at_0=day, published_at_1="10:00")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_pasting_a_post_lands_on_the_update_it_produced(client, reporter, committed):
    client.force_login(reporter)
    response = committed(
        _paste, client, SourceFactory(), text="120 officers graduated at the National Police College."
    )
    post = Post.objects.get()
    assert response.status_code == 302
    landing = client.get(response["Location"], follow=True)
    assert landing.redirect_chain[-1][0] == reverse("admin:ingestion_update_change", args=[post.update.pk])
    assert "here is the update read from it" in landing.content.decode()


def test_a_reviewer_corrects_the_figures_in_place(client, reporter):
    update = UpdateFactory(figures={"personnel": 600, "extra": 1})
    client.force_login(reporter)
    response = client.post(
        reverse("admin:ingestion_update_change", args=[update.pk]),
        {
            "kind": update.kind,
            "hotspot_choices": [],
            "figure_personnel": "60",
            "figure_arrests": "3",
            "decision": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    update.refresh_from_db()
    assert update.figures == {"personnel": 60, "arrests": 3, "extra": 1}
    assert (update.review_state, update.reviewer) == ("corrected", reporter)
