"""The read queryset is built once per view class (MissionViewMixin._read_queryset): each request still
sees exactly what its reader may, whoever read before, and writes work between and after reads."""

import pytest

from hotspots.api.views import HotspotViewSet
from ingestion.api.views import UpdateViewSet
from operations.api.views import ReportViewSet, TrainingViewSet
from operations.models import OperationReport, TrainingRecord
from tests.api.conftest import PARTNER_VISIBLE
from tests.factories import OperationReportFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db


def _report_titles(client, query="") -> set[str]:
    response = client.get(f"/api/v1/reports/{query}")
    assert response.status_code == 200, response.content[:300]
    return {r["title"] for r in response.json()["results"]}


def _training_courses(client) -> set[str]:
    response = client.get("/api/v1/training-records/")
    assert response.status_code == 200, response.content[:300]
    return {r["course"] for r in response.json()["results"]}


def _update_ids(client) -> set[int]:
    response = client.get("/api/v1/updates/")
    assert response.status_code == 200, response.content[:300]
    return {u["id"] for u in response.json()["results"]}


@pytest.fixture
def member(client_for):
    return client_for("analyst")


@pytest.fixture
def partner(client_for):
    return client_for("partner")


def test_a_member_and_a_partner_in_turn_each_see_what_their_role_allows(member, partner, records):
    every_report = {f"Report {name}" for name in records.reports}
    released_reports = {f"Report {name}" for name in PARTNER_VISIBLE["reports"]}
    every_course = {f"Course {name}" for name in records.training}
    released_courses = {f"Course {name}" for name in PARTNER_VISIBLE["training"]}
    every_update = {u.pk for u in records.updates.values()}
    released_updates = {records.updates[name].pk for name in PARTNER_VISIBLE["updates"]}
    assert released_reports < every_report and released_updates < every_update

    # Partner first, then a member, then the partner again, then the member again: no reader's
    # visibility may stay in what the view class keeps for the next request.
    for _ in range(2):
        assert _report_titles(partner) == released_reports
        assert _training_courses(partner) == released_courses
        assert _update_ids(partner) == released_updates
        assert _report_titles(member) == every_report
        assert _training_courses(member) == every_course
        assert _update_ids(member) == every_update


def test_a_member_first_then_a_partner(member, partner, records):
    every_report = {f"Report {name}" for name in records.reports}
    released_reports = {f"Report {name}" for name in PARTNER_VISIBLE["reports"]}
    assert _report_titles(member) == every_report
    assert _report_titles(partner) == released_reports
    assert _report_titles(member) == every_report


def test_a_record_a_member_just_read_is_not_found_by_a_partner(member, partner, records):
    for name in ("approved_mission", "draft_partners"):
        path = f"/api/v1/reports/{records.reports[name].pk}/"
        assert member.get(path).status_code == 200
        assert partner.get(path).status_code == 404
        assert member.get(path).status_code == 200
    released = f"/api/v1/reports/{records.reports['approved_public'].pk}/"
    assert partner.get(released).json()["author"] is None
    assert member.get(released).json()["author"]
    assert partner.get(released).json()["author"] is None


def test_two_partners_in_turn_each_see_only_their_own_webhooks(client_for):
    first, second = client_for("partner"), client_for("partner")
    mine = WebhookSubscriptionFactory(owner=first.user, url="http://127.0.0.1:9/first")
    theirs = WebhookSubscriptionFactory(owner=second.user, url="http://127.0.0.1:9/second")
    for _ in range(2):
        assert [s["id"] for s in first.get("/api/v1/webhooks/").json()] == [mine.pk]
        assert [s["id"] for s in second.get("/api/v1/webhooks/").json()] == [theirs.pk]
    assert first.get(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    assert second.get(f"/api/v1/webhooks/{theirs.pk}/").status_code == 200


def test_hotspot_activity_is_counted_for_each_reader_in_turn(member, partner, records):
    for _ in range(2):
        seen_by_partner = partner.get("/api/v1/hotspots/solino/").json()["properties"]["activity"]
        seen_by_member = member.get("/api/v1/hotspots/solino/").json()["properties"]["activity"]
        assert seen_by_partner["reports"] == len(PARTNER_VISIBLE["reports"])
        assert seen_by_member["reports"] == len(records.reports)
        assert seen_by_partner["updates"] == len(PARTNER_VISIBLE["updates"])
        assert seen_by_member["updates"] == len(records.updates)


def test_csv_exports_in_turn_each_hold_what_their_reader_may_see(member, partner, records):
    def exported_ids(client) -> set[str]:
        response = client.get("/api/v1/reports/?format=csv")
        assert response.status_code == 200
        lines = b"".join(response.streaming_content).decode().splitlines()[1:]
        return {line.split(",", 1)[0] for line in lines if line}

    every = {str(r.pk) for r in records.reports.values()}
    released = {str(records.reports[name].pk) for name in PARTNER_VISIBLE["reports"]}
    assert exported_ids(partner) == released
    assert exported_ids(member) == every
    assert exported_ids(partner) == released


def test_a_filter_of_one_request_does_not_stay_for_the_next(member, records):
    drafts = _report_titles(member, "?status=draft")
    assert drafts == {"Report draft_partners"}
    assert _report_titles(member) == {f"Report {name}" for name in records.reports}
    assert _report_titles(member, "?status=submitted") == {"Report submitted_public"}


def test_what_the_view_class_keeps_is_nobody_s_view(member, partner, records):
    """The queryset kept on the class is the unfiltered start of every read, never evaluated."""
    _report_titles(partner)
    _training_courses(partner)
    _update_ids(partner)
    partner.get("/api/v1/hotspots/")
    for view, model_count in [
        (ReportViewSet, OperationReport.objects.count()),
        (TrainingViewSet, TrainingRecord.objects.count()),
        (UpdateViewSet, len(records.updates)),
    ]:
        kept = view.__dict__.get("_read_querysets")
        assert kept, view
        for queryset in kept.values():
            assert queryset._result_cache is None
            assert queryset.count() == model_count
    kept = HotspotViewSet.__dict__.get("_read_querysets")
    assert kept
    for queryset in kept.values():
        # The reader's activity counts are added per request, not kept.
        assert not any(name.startswith("activity_") for name in queryset.query.annotations)


def test_staff_write_after_reads_and_readers_see_the_result(client_for, member, partner, records):
    reporter, approver = client_for("reporter"), client_for("approver")
    released_reports = {f"Report {name}" for name in PARTNER_VISIBLE["reports"]}
    assert _report_titles(partner) == released_reports
    assert "Night patrol" not in _report_titles(member)

    created = reporter.post(
        "/api/v1/reports/",
        {
            "title": "Night patrol",
            "operation_kind": "patrol",
            "started_at": "2025-03-04T20:00:00Z",
            "hotspots": ["solino"],
            "contingents": ["KE"],
            "releasability": "partners",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["title"] == "Night patrol" and body["status"] == "draft"
    assert body["hotspots"] == ["solino"] and body["contingents"] == ["KE"]
    assert body["author"] == reporter.user.username

    assert "Night patrol" in _report_titles(member)
    assert _report_titles(partner) == released_reports  # a draft is not released

    changed = reporter.patch(
        f"/api/v1/reports/{body['id']}/", {"title": "Night patrol, Solino"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "Night patrol, Solino"
    assert changed.json()["hotspots"] == ["solino"] and changed.json()["contingents"] == ["KE"]
    assert OperationReport.objects.get(pk=body["id"]).title == "Night patrol, Solino"

    assert reporter.post(f"/api/v1/reports/{body['id']}/submit/").status_code == 200
    approved = approver.post(f"/api/v1/reports/{body['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"

    assert _report_titles(partner) == released_reports | {"Night patrol, Solino"}
    assert "Night patrol, Solino" in _report_titles(member)
    detail = partner.get(f"/api/v1/reports/{body['id']}/")
    assert detail.status_code == 200 and detail.json()["hotspots"] == ["solino"]


def test_a_training_record_written_between_reads(client_for, member, partner, records):
    reporter = client_for("reporter")
    every = {f"Course {name}" for name in records.training}
    released = {f"Course {name}" for name in PARTNER_VISIBLE["training"]}
    assert _training_courses(member) == every
    assert _training_courses(partner) == released
    created = reporter.post(
        "/api/v1/training-records/",
        {"course": "Course new", "starts_on": "2025-03-10", "trainees_total": 30, "releasability": "public"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["course"] == "Course new"
    assert _training_courses(partner) == released | {"Course new"}
    assert _training_courses(member) == every | {"Course new"}


def test_a_reporter_reads_after_writing_with_the_same_view(client_for, records):
    reporter = client_for("reporter")
    mine = OperationReportFactory(author=reporter.user, title="Mine to change", status="draft")
    before = _report_titles(reporter)
    assert "Mine to change" in before
    response = reporter.patch(f"/api/v1/reports/{mine.pk}/", {"arrests": 4}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["arrests"] == 4
    again = reporter.get(f"/api/v1/reports/{mine.pk}/")
    assert again.status_code == 200 and again.json()["arrests"] == 4
    assert _report_titles(reporter) == before
