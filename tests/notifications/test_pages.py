"""The notifications page, its unread badge in the pages' header and on the admin index, and the
preferences page: each member sees and changes only their own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hotspots.models import Hotspot
from notifications.choices import SWITCHES, Frequency, Kind
from notifications.models import Notification, NotificationPreference, Watch
from notifications.services import preference_of
from tests.factories import OperationReportFactory, PostFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def _notify(user, *, title="Patrol", minutes_ago=0, read=False):
    report = OperationReportFactory(title=title)
    return Notification.objects.create(
        recipient=user,
        kind=Kind.REPORT_SUBMITTED,
        report=report,
        actor=report.author,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_list_shows_ones_own_notifications_newest_first(client, approver, make_user):
    older = _notify(approver, title="Older patrol", minutes_ago=30)
    newer = _notify(approver, title="Newer patrol", minutes_ago=5)
    _notify(make_user("approver"), title="Someone else's patrol")
    client.force_login(approver)

    response = client.get(reverse("notifications"))

    assert [n.pk for n in response.context["notifications"]] == [newer.pk, older.pk]
    assert "Someone else" not in response.content.decode()


def test_report_titles_are_escaped(client, approver):
    _notify(approver, title="<script>alert(1)</script>")
    client.force_login(approver)
    body = client.get(reverse("notifications")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_update_notification_links_to_its_hotspot(client, analyst):
    update = UpdateFactory(
        post=PostFactory(text="Patrols <b>in</b> Solino"), hotspots=[Hotspot.objects.get(slug="solino")]
    )
    Notification.objects.create(recipient=analyst, kind=Kind.WATCHED_UPDATE, update=update)
    client.force_login(analyst)
    body = client.get(reverse("notifications")).content.decode()
    assert reverse("hotspot-page", args=["solino"]) in body
    assert "Patrols &lt;b&gt;in&lt;/b&gt; Solino" in body


def test_marking_one_read_and_all_read(client, approver):
    first, second, third = (_notify(approver) for _ in range(3))
    client.force_login(approver)

    client.post(reverse("notification-read", args=[first.pk]))
    assert list(Notification.objects.filter(read_at__isnull=True).order_by("pk")) == [second, third]

    client.post(reverse("notifications-read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_marks_anothers_notification_read(client, approver, make_user):
    theirs = _notify(make_user("approver"))
    client.force_login(approver)
    client.post(reverse("notification-read", args=[theirs.pk]))
    client.post(reverse("notifications-read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_and_the_admin_index_count_the_unread(client, approver):
    _notify(approver)
    _notify(approver)
    _notify(approver, read=True)
    client.force_login(approver)

    for url in (reverse("home"), reverse("admin:index")):
        body = client.get(url).content.decode()
        assert 'id="unread-count" data-count="2"' in body, url

    client.post(reverse("notifications-read"))
    assert 'id="unread-count"' not in client.get(reverse("home")).content.decode()


def test_the_badge_is_in_the_members_language(client, analyst):
    _notify(analyst)
    client.force_login(analyst)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ht").content.decode()
    assert "Notifikasyon" in body and "poko li" in body


def test_a_member_turns_notifications_off_by_channel_and_chooses_the_language(client, approver):
    client.force_login(approver)
    on = [s for s in SWITCHES if s != f"email:{Kind.REPORT_SUBMITTED}"]

    response = client.post(reverse("notification-preferences"), {"language": "fr", "switched_on": on})

    assert response.status_code == 302
    preference = preference_of(approver)
    assert preference.muted == [f"email:{Kind.REPORT_SUBMITTED}"]
    assert preference.language == "fr"
    page = client.get(reverse("notification-preferences")).content.decode()
    assert f'value="email:{Kind.REPORT_SUBMITTED}" ' in page
    assert f'value="email:{Kind.REPORT_SUBMITTED}" id' in page and page.count(" checked") == len(on)


def test_a_member_watches_a_hotspot_and_stops(client, analyst):
    client.force_login(analyst)
    solino = Hotspot.objects.get(slug="solino")

    client.post(reverse("watch-add"), {"hotspot": solino.pk, "kind": "", "frequency": Frequency.DAILY})
    client.post(reverse("watch-add"), {"hotspot": solino.pk, "kind": "", "frequency": Frequency.IMMEDIATE})

    watch = Watch.objects.get(user=analyst)  # the same watch twice is one, with the last frequency
    assert (watch.hotspot, watch.frequency) == (solino, Frequency.IMMEDIATE)
    assert "Solino" in client.get(reverse("notification-preferences")).content.decode()

    client.post(reverse("watch-remove", args=[watch.pk]))
    assert not Watch.objects.exists()


def test_a_watch_must_name_a_hotspot_or_a_kind(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("watch-add"), {"hotspot": "", "kind": "", "frequency": Frequency.DAILY})
    assert response.status_code == 400
    assert not Watch.objects.exists()


def test_nobody_removes_anothers_watch(client, analyst, make_user):
    theirs = Watch.objects.create(user=make_user("analyst"), kind="incident")
    client.force_login(analyst)
    client.post(reverse("watch-remove", args=[theirs.pk]))
    assert Watch.objects.filter(pk=theirs.pk).exists()


def test_a_partner_may_not_watch_updates(client, partner):
    client.force_login(partner)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert 'id="watch-form"' not in page
    response = client.post(reverse("watch-add"), {"kind": "incident", "frequency": Frequency.DAILY})
    assert response.status_code == 403
    assert not Watch.objects.exists()


def test_the_list_reads_a_page_of_notifications_in_a_fixed_number_of_queries(
    client, analyst, django_assert_max_num_queries
):
    solino = Hotspot.objects.get(slug="solino")
    for n in range(8):
        update = UpdateFactory(post=PostFactory(text=f"Patrol {n} in Solino"), hotspots=[solino])
        Notification.objects.create(recipient=analyst, kind=Kind.WATCHED_UPDATE, update=update)
        _notify(analyst, title=f"Report {n}")
    client.force_login(analyst)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications"))

    assert len(response.context["notifications"]) == 16


def test_each_role_chooses_among_the_notifications_it_can_receive(
    client, analyst, reporter, approver, partner
):
    rows = {}
    for user in (analyst, reporter, approver, partner):
        client.force_login(user)
        page = client.get(reverse("notification-preferences")).content.decode()
        rows[user.username] = {kind for kind in Kind.values if f'value="email:{kind}"' in page}
    assert rows[analyst.username] == {Kind.WATCHED_UPDATE}
    assert rows[reporter.username] == {
        Kind.REPORT_SENT_BACK, Kind.REPORT_REJECTED, Kind.REPORT_APPROVED, Kind.WATCHED_UPDATE
    }  # fmt: skip
    assert rows[approver.username] == set(Kind.values)
    assert rows[partner.username] == set()
    assert "Your role receives no notifications." in page


def test_saving_keeps_the_switches_of_kinds_the_member_cannot_see_now(client, analyst):
    muted_before = [f"email:{Kind.REPORT_APPROVED}"]  # from when they wrote reports
    NotificationPreference.objects.create(user=analyst, muted=muted_before)
    client.force_login(analyst)

    client.post(
        reverse("notification-preferences"),
        {"language": "", "switched_on": [f"portal:{Kind.WATCHED_UPDATE}"]},
    )

    assert preference_of(type(analyst).objects.get(pk=analyst.pk)).muted == [
        f"email:{Kind.REPORT_APPROVED}",
        f"email:{Kind.WATCHED_UPDATE}",
    ]
