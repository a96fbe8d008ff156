"""The review queue in the admin: source and trust on every row, low confidence first, reposts shown,
and the paste form held to the parsers' limits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ingestion.models import Post
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


def test_the_queue_shows_low_confidence_updates_first(client, reporter):
    sure = UpdateFactory(confidence=0.95, needs_review=False, post__text="Sure of this one")
    unsure = UpdateFactory(confidence=0.35, needs_review=True, post__text="Unsure of this one")
    client.force_login(reporter)

    response = client.get(reverse("admin:ingestion_update_changelist"))

    rows = [u.pk for u in response.context["cl"].result_list]
    assert rows.index(unsure.pk) < rows.index(sure.pk)
    assert "35% (needs review)" in response.content.decode()
    filtered = client.get(reverse("admin:ingestion_update_changelist"), {"needs_review__exact": "1"})
    assert [u.pk for u in filtered.context["cl"].result_list] == [unsure.pk]


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
