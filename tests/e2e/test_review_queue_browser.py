"""The review queue in a real browser: it opens on what waits for a reviewer, and a pasted post
lands on the update it produced."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import REPORTER, sync_roles
from ingestion import services
from ingestion.models import Post
from tests.factories import UpdateFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def reviewer(live_server, page, django_user_model, transactional_db):
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    user = django_user_model.objects.create_user("verifye", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=REPORTER))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "verifye")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return user


def test_the_queue_opens_on_unreviewed_updates_newest_first(live_server, page, reviewer):
    older = UpdateFactory(post__text="Older, not reviewed", published_at=datetime(2025, 3, 1, tzinfo=UTC))
    newer = UpdateFactory(post__text="Newer, not reviewed", published_at=datetime(2025, 3, 2, tzinfo=UTC))
    UpdateFactory(
        post__text="Already confirmed",
        review_state="confirmed",
        published_at=datetime(2025, 3, 3, tzinfo=UTC),
    )
    page.goto(f"{live_server.url}/admin/")
    page.click("a[href='/admin/ingestion/update/']")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr").all_inner_texts()
    assert [newer.post.text in rows[0], older.post.text in rows[1], len(rows)] == [True, True, 2]
    assert page.locator("#changelist-filter li.selected a", has_text="Automatic (not reviewed)").count() == 1
    assert page.errors == []


def test_a_pasted_post_lands_on_its_update(live_server, page, reviewer):
    source = services.source_for_file(name="pasted")
    page.goto(f"{live_server.url}/admin/ingestion/post/add/")
    page.select_option("#id_source", str(source.pk))
    page.fill("#id_text", "120 officers graduated at the National Police College.")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/ingestion/update/*/change/")
    post = Post.objects.get()
    assert page.url.endswith(f"/admin/ingestion/update/{post.update.pk}/change/")
    assert "here is the update read from it" in page.inner_text(".messagelist")
    assert page.errors == []
