"""Deletions visible to syncing clients: /api/v1/deleted/ lists tombstones, partners only theirs."""

import pytest
from django.utils import timezone

from ingestion.services import update_review
from tests.factories import ContingentFactory, OperationReportFactory, UpdateFactory
from webhooks.models import Tombstone

pytestmark = pytest.mark.django_db


def _released_report(make_user, **fields):
    return OperationReportFactory(
        status="approved", approved_by=make_user("approver"), releasability="partners", **fields
    )


def test_a_deleted_report_leaves_a_tombstone(client_for, make_user):
    report = _released_report(make_user)
    pk = report.pk
    report.delete()
    stone = Tombstone.objects.get()
    assert (stone.resource, stone.object_id, stone.reason, stone.partners) == (
        "reports",
        str(pk),
        "deleted",
        True,
    )
    listed = client_for("partner").get("/api/v1/deleted/").json()["results"]
    assert [(t["resource"], t["object_id"], t["reason"]) for t in listed] == [("reports", str(pk), "deleted")]


def test_partners_are_not_told_of_records_they_never_saw(client_for):
    mission_only = OperationReportFactory(releasability="mission")
    mission_only.delete()
    assert client_for("partner").get("/api/v1/deleted/").json()["results"] == []
    assert len(client_for("analyst").get("/api/v1/deleted/").json()["results"]) == 1


def test_a_report_withdrawn_from_partners_is_a_deletion_to_them(client_for, make_user):
    report = _released_report(make_user)
    report.releasability = "mission"
    report.save()
    listed = client_for("partner").get("/api/v1/deleted/").json()["results"]
    assert [(t["object_id"], t["reason"]) for t in listed] == [(str(report.pk), "withdrawn")]


def test_an_update_rejected_by_a_reviewer_is_withdrawn(client_for, make_user):
    update = UpdateFactory()  # from an official source: released
    update_review(update=update, user=make_user("reporter"), state="rejected")
    listed = client_for("partner").get("/api/v1/deleted/?resource=updates").json()["results"]
    assert [(t["object_id"], t["reason"]) for t in listed] == [(str(update.pk), "withdrawn")]


def test_hotspots_and_contingents_are_named_by_their_keys(client_for):
    ContingentFactory(country_code="BZ", name="Belize").delete()
    listed = client_for("partner").get("/api/v1/deleted/?resource=contingents").json()["results"]
    assert [t["object_id"] for t in listed] == ["BZ"]


def test_since_lists_only_later_deletions_oldest_first(client_for, make_user):
    first = _released_report(make_user)
    first.delete()
    cut = timezone.now()
    second, third = _released_report(make_user), _released_report(make_user)
    second_pk, third_pk = second.pk, third.pk
    second.delete()
    third.delete()
    since = cut.isoformat().replace("+", "%2B")
    listed = client_for("partner").get(f"/api/v1/deleted/?since={since}").json()["results"]
    assert [t["object_id"] for t in listed] == [str(second_pk), str(third_pk)]
