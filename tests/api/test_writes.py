"""Staff write reports and training records through the API under the admin's rules (operations.services)."""

import pytest

from operations.models import OperationReport, TrainingRecord
from tests.factories import ContingentFactory, OperationReportFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db

REPORT = {
    "title": "Clearance of Solino",
    "operation_kind": "clearance",
    "started_at": "2025-03-04T06:00:00Z",
    "ended_at": "2025-03-04T11:00:00Z",
    "hotspots": ["solino", "delmas"],
    "contingents": ["KE"],
    "personnel_deployed": 120,
    "arrests": 3,
    "releasability": "partners",
}


@pytest.fixture
def kenya():
    return ContingentFactory(country_code="KE", name="Kenya")


def test_a_reporter_creates_a_draft_that_is_theirs(client_for, kenya):
    client = client_for("reporter")
    response = client.post("/api/v1/reports/", REPORT, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    report = OperationReport.objects.get(pk=body["id"])
    assert report.author == client.user and report.status == "draft"
    assert report.reference.startswith("OPS-2025-")
    assert sorted(report.hotspots.values_list("slug", flat=True)) == ["delmas", "solino"]
    assert body["hotspots"] == ["delmas", "solino"] and body["contingents"] == ["KE"]
    assert body["author"] == client.user.username and body["started_at"] == "2025-03-04T06:00:00Z"


def test_a_refused_write_names_each_field_and_problem(client_for, kenya):
    client = client_for("reporter")
    response = client.post(
        "/api/v1/reports/",
        {
            **REPORT,
            "ended_at": "2025-03-03T06:00:00Z",
            "location": {"type": "Point", "coordinates": [2.35, 48.85]},
            "operation_kind": "picnic",
            "hotspots": ["atlantis"],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"operation_kind", "hotspots"}  # shapes first: the serializer
    response = client.post(
        "/api/v1/reports/",
        {
            **REPORT,
            "ended_at": "2025-03-03T06:00:00Z",
            "location": {"type": "Point", "coordinates": [2.35, 48.85]},
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()  # then the rules: the model's clean(), through the service
    assert "before its start" in errors["ended_at"][0]
    assert "Haiti" in errors["location"][0]
    assert OperationReport.objects.count() == 0


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ({"type": "Polygon", "coordinates": []}, "GeoJSON Point"),
        ({"type": "Point", "coordinates": [1]}, "GeoJSON Point"),
        ({"type": "Point", "coordinates": ["a", "b"]}, "GeoJSON Point"),
        ({"type": "Point", "coordinates": [500, 18]}, "Longitude"),
        ("POINT(-72.3 18.5)", "GeoJSON Point"),
    ],
)
def test_a_location_must_be_a_geojson_point(location, problem, client_for, kenya):
    response = client_for("reporter").post(
        "/api/v1/reports/", {**REPORT, "location": location}, format="json"
    )
    assert response.status_code == 400
    assert problem in response.json()["location"][0]


def test_a_json_type_is_not_guessed(client_for, kenya):
    response = client_for("reporter").post(
        "/api/v1/reports/", {**REPORT, "title": 12, "arrests": "3"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "arrests"}


def test_the_author_changes_their_draft_but_not_once_approved(client_for, make_user):
    client = client_for("reporter")
    report = OperationReportFactory(author=client.user)
    response = client.patch(
        f"/api/v1/reports/{report.pk}/", {"title": "Corrected", "hotspots": ["apn"]}, format="json"
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.title == "Corrected" and list(report.hotspots.values_list("slug", flat=True)) == ["apn"]

    report.status, report.approved_by = "approved", make_user("approver")
    report.save()
    response = client.patch(f"/api/v1/reports/{report.pk}/", {"title": "Again"}, format="json")
    assert response.status_code == 403
    assert "approved report cannot be changed" in response.json()["detail"]


def test_status_is_not_written_directly(client_for):
    client = client_for("approver")
    report = OperationReportFactory(author=client.user)
    response = client.patch(f"/api/v1/reports/{report.pk}/", {"status": "approved"}, format="json")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "draft"  # read-only: moves only through submit and approve


def test_submit_then_approve_by_another_approver(client_for):
    author = client_for("reporter")
    report = OperationReportFactory(author=author.user)
    response = author.post(f"/api/v1/reports/{report.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert author.post(f"/api/v1/reports/{report.pk}/approve/").status_code == 403

    approver = client_for("approver")
    response = approver.post(f"/api/v1/reports/{report.pk}/approve/")
    assert response.status_code == 200
    assert (
        response.json()["status"] == "approved" and response.json()["approved_by"] == approver.user.username
    )


def test_nobody_approves_their_own_report(client_for):
    approver = client_for("approver")
    report = OperationReportFactory(author=approver.user, status="submitted")
    response = approver.post(f"/api/v1/reports/{report.pk}/approve/")
    assert response.status_code == 403
    assert "own report" in response.json()["detail"]


def test_submitting_twice_is_refused_with_400(client_for):
    client = client_for("reporter")
    report = OperationReportFactory(author=client.user, status="submitted")
    response = client.post(f"/api/v1/reports/{report.pk}/submit/")
    assert response.status_code == 400
    assert "not a draft" in response.json()["non_field_errors"][0]


def test_training_records_follow_the_same_rules(client_for, kenya, make_user):
    client = client_for("reporter")
    body = {
        "course": "Tactical driving",
        "topic": "driving",
        "hotspot": "police-college",
        "providing_contingents": ["KE"],
        "starts_on": "2025-03-10",
        "ends_on": "2025-03-20",
        "trainees_total": 30,
        "trainees_women": 8,
        "releasability": "public",
    }
    response = client.post("/api/v1/training-records/", body, format="json")
    assert response.status_code == 201, response.json()
    record = TrainingRecord.objects.get(pk=response.json()["id"])
    assert record.author == client.user and record.hotspot.slug == "police-college"
    assert response.json()["geometry"]["type"] == "Point"  # the hotspot's point

    response = client.post("/api/v1/training-records/", {**body, "trainees_women": 31}, format="json")
    assert response.status_code == 400 and "more women" in response.json()["trainees_women"][0]

    others = TrainingRecordFactory(author=make_user("reporter"))
    assert (
        client.patch(f"/api/v1/training-records/{others.pk}/", {"notes": "x"}, format="json").status_code
        == 403
    )
