"""Dates at the calendar's edge: refused where they are entered (models, admin forms, the API), named in
filters and read leniently by pages, never a 500; rows already outside the bound are reported."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.validators import report_rows_outside_bounds
from ingestion.models import Post
from operations.models import OperationReport, TrainingRecord
from tests.api.conftest import session_client
from tests.factories import ContingentFactory, OperationReportFactory, PostFactory, TrainingRecordFactory
from tests.operations.test_admin import _report_form

pytestmark = pytest.mark.django_db

REPORT = {
    "title": "Clearance of Solino",
    "operation_kind": "clearance",
    "started_at": "2025-03-04T06:00:00Z",
    "hotspots": ["solino"],
    "releasability": "partners",
}
TRAINING = {
    "course": "Tactical driving",
    "topic": "driving",
    "hotspot": "police-college",
    "starts_on": "2025-03-10",
    "trainees_total": 30,
    "releasability": "public",
}


@pytest.fixture
def staff(make_user):
    return session_client(make_user("reporter"))


@pytest.mark.parametrize(
    ("started_at", "problem"),
    [("0001-01-01T00:00:00Z", "is before 2000-01-01"), ("9999-12-31T23:59:00Z", "more than a day ahead")],
)
def test_the_api_refuses_a_report_at_the_calendars_edge(staff, started_at, problem):
    response = staff.post("/api/v1/reports/", {**REPORT, "started_at": started_at}, format="json")
    assert response.status_code == 400
    assert problem in response.json()["started_at"][0]
    assert not OperationReport.objects.exists()


def test_the_api_refuses_a_training_record_years_ahead_but_takes_a_planned_one(staff):
    response = staff.post("/api/v1/training-records/", {**TRAINING, "starts_on": "9999-12-31"}, format="json")
    assert response.status_code == 400
    assert "more than 366 days ahead" in response.json()["starts_on"][0]
    planned = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = staff.post("/api/v1/training-records/", {**TRAINING, "starts_on": planned}, format="json")
    assert response.status_code == 201, response.json()


def test_the_admin_form_refuses_a_report_started_in_year_one(client, reporter):
    ContingentFactory(country_code="KE", name="Kenya")
    client.force_login(reporter)
    response = client.post(
        reverse("admin:operations_operationreport_add"), _report_form(started_at_0="0001-01-01")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "is before 2000-01-01" in errors["started_at"][0]
    assert not OperationReport.objects.exists()


def test_model_validation_refuses_a_post_dated_9999(make_user):
    post = PostFactory.build(
        source=PostFactory().source, published_at=datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    )
    with pytest.raises(ValidationError) as caught:
        post.full_clean(exclude=["content_hash", "external_id"])
    assert "more than a day ahead" in caught.value.message_dict["published_at"][0]


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/api/v1/reports/?started_after=0001-01-01T00:00:00%2B14:00", True),
        ("/api/v1/reports/?started_before=0001-01-01", False),
        ("/api/v1/reports/?updated_since=1999-12-31T23:59:59Z", True),
        ("/api/v1/reports/?started_before=9999-12-31T23:59:59-05:00", True),
        ("/api/v1/reports/?started_after=9999-12-31T23:59:59-05:00", False),
        ("/api/v1/posts/?published_after=9999-12-31T23:59:59Z", None),
        ("/api/v1/training-records/?starts_before=9999-12-31", None),
        ("/api/v1/training-records/?starts_after=0001-01-01&format=csv", None),
    ],
)
def test_a_filter_outside_the_bound_reads_as_the_bound(make_user, path, found):
    """No record is dated outside the bound, so a filter past either end asks what that end asks."""
    report = OperationReportFactory(started_at=timezone.now() - timedelta(days=1))
    TrainingRecordFactory(starts_on=date(2025, 3, 1))
    response = session_client(make_user("admin")).get(path)
    assert response.status_code == 200
    if found is not None:
        body = response.json()
        ids = [r["id"] for r in body.get("results", body.get("features"))]
        assert ids == ([report.pk] if found else [])


@pytest.mark.parametrize(
    "query",
    [
        "period=custom&to=9999-12-31",
        "period=custom&from=0001-01-01&to=9999-12-31",
        "period=custom&from=9999-12-31",
        "week=0001-01-01",
        "week=9999-12-27",
    ],
)
@pytest.mark.parametrize("page", ["/", "/updates/", "/dashboard/"])
def test_pages_drop_days_outside_the_bound(client, analyst, page, query):
    client.force_login(analyst)
    response = client.get(f"{page}?{query}")
    assert response.status_code == 200


def test_rows_already_outside_the_bound_are_reported_not_changed():
    report = OperationReportFactory()
    training = TrainingRecordFactory()
    OperationReport.objects.filter(pk=report.pk).update(started_at=datetime(1, 1, 1, 12, tzinfo=UTC))
    TrainingRecord.objects.filter(pk=training.pk).update(starts_on=date(9999, 12, 31))
    lines = []
    assert (
        report_rows_outside_bounds(
            OperationReport, {"started_at": "event", "ended_at": "event"}, write=lines.append
        )
        == 1
    )
    assert report_rows_outside_bounds(TrainingRecord, {"starts_on": "planned"}, write=lines.append) == 1
    assert f"operations.OperationReport {report.pk} " in lines[0] and "0001-01-01" in lines[0]
    assert f"operations.TrainingRecord {training.pk} " in lines[1] and "starts_on=9999-12-31" in lines[1]
    assert report_rows_outside_bounds(Post, {"published_at": "event"}, write=lines.append) == 0
    report.refresh_from_db()
    assert report.started_at.year == 1
