"""The permission matrix: every endpoint and method, for each role, on records of each releasability."""

import pytest

from tests.api.conftest import PARTNER_VISIBLE, ROLES
from tests.factories import OperationReportFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db

MEMBERS = {"analyst": 200, "reporter": 200, "approver": 200, "admin": 200}

# (method, path, {role: expected status}); {id}-style placeholders are filled from the records.
READS = [
    ("get", "/api/v1/hotspots/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/hotspots/solino/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/reports/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/reports/{approved_public}/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/reports/{approved_mission}/", {"anonymous": 401, "partner": 404, **MEMBERS}),
    ("get", "/api/v1/reports/{draft_partners}/", {"anonymous": 401, "partner": 404, **MEMBERS}),
    ("get", "/api/v1/training-records/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/training-records/{training_partners}/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/training-records/{training_mission}/", {"anonymous": 401, "partner": 404, **MEMBERS}),
    ("get", "/api/v1/contingents/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/contingents/KE/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/updates/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/updates/{official_auto}/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    ("get", "/api/v1/updates/{other_auto}/", {"anonymous": 401, "partner": 404, **MEMBERS}),
    ("get", "/api/v1/updates/{official_rejected}/", {"anonymous": 401, "partner": 404, **MEMBERS}),
    ("get", "/api/v1/posts/", {"anonymous": 401, "partner": 403, **MEMBERS}),
    ("get", "/api/v1/posts/{post}/", {"anonymous": 401, "partner": 403, **MEMBERS}),
    ("get", "/api/v1/place-candidates/", {"anonymous": 401, "partner": 403, **MEMBERS, "analyst": 403}),
    ("get", "/api/v1/deleted/", {"anonymous": 401, "partner": 200, **MEMBERS}),
    (
        "get",
        "/api/v1/webhooks/",
        {"anonymous": 401, "partner": 200, "analyst": 403, "reporter": 403, "approver": 403, "admin": 200},
    ),
]

NEW_REPORT = {
    "title": "Night patrol",
    "operation_kind": "patrol",
    "started_at": "2025-03-04T20:00:00Z",
    "hotspots": ["solino"],
    "releasability": "partners",
}
NEW_TRAINING = {"course": "First aid", "starts_on": "2025-03-10", "trainees_total": 30, "trainees_women": 8}
WRITES = [
    ("post", "/api/v1/reports/", NEW_REPORT, {"anonymous": 401, "analyst": 403, "partner": 403}, 201),
    (
        "post",
        "/api/v1/training-records/",
        NEW_TRAINING,
        {"anonymous": 401, "analyst": 403, "partner": 403},
        201,
    ),
    # Someone else's draft: its author or an approver may change it; a reporter may not.
    (
        "patch",
        "/api/v1/reports/{others_draft}/",
        {"title": "Corrected"},
        {"anonymous": 401, "analyst": 403, "partner": 403, "reporter": 403},
        200,
    ),
    # Approving someone else's submitted report: approvers and admins only (the service says so).
    (
        "post",
        "/api/v1/reports/{others_submitted}/approve/",
        None,
        {"anonymous": 401, "analyst": 403, "partner": 403, "reporter": 403},
        200,
    ),
    # Read-only collections: a role that may add hotspots in the admin is told the method is not offered.
    (
        "post",
        "/api/v1/hotspots/",
        {"slug": "x"},
        {"anonymous": 401, "analyst": 403, "partner": 403, "reporter": 403},
        405,
    ),
    (
        "post",
        "/api/v1/updates/",
        {},
        {"anonymous": 401, "analyst": 403, "partner": 403, "reporter": 403, "approver": 403},
        405,
    ),
    (
        "delete",
        "/api/v1/reports/{others_draft}/",
        None,
        {"anonymous": 401, "analyst": 403, "partner": 403, "reporter": 403, "approver": 403},
        405,
    ),
    (
        "post",
        "/api/v1/webhooks/",
        {"url": "https://partner.example.org/hook"},
        {"anonymous": 401, "analyst": 403, "reporter": 403, "approver": 403},
        201,
    ),
]


def _ids(records, make_user):
    other = make_user("reporter")
    ids = {name: r.pk for name, r in records.reports.items()}
    ids |= {f"training_{name}": r.pk for name, r in records.training.items()}
    ids |= {name: u.pk for name, u in records.updates.items()}
    ids["post"] = records.updates["official_auto"].post_id
    ids["others_draft"] = OperationReportFactory(author=other, status="draft").pk
    ids["others_submitted"] = OperationReportFactory(author=other, status="submitted").pk
    return ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "expected"), READS, ids=[f"{m} {p}" for m, p, _ in READS])
def test_reads(role, method, path, expected, client_for, records, make_user):
    client = client_for(role)
    response = getattr(client, method)(path.format(**_ids(records, make_user)))
    assert response.status_code == expected[role], response.content[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "refused", "allowed"), WRITES, ids=[f"{w[0]} {w[1]}" for w in WRITES]
)
def test_writes(role, method, path, body, refused, allowed, client_for, records, make_user):
    client = client_for(role)
    response = getattr(client, method)(path.format(**_ids(records, make_user)), body, format="json")
    assert response.status_code == refused.get(role, allowed), response.content[:300]


@pytest.mark.parametrize("role", ["analyst", "reporter", "approver", "admin"])
def test_members_see_every_record(role, client_for, records):
    client = client_for(role)
    reports = {r["title"] for r in client.get("/api/v1/reports/").json()["results"]}
    assert {f"Report {name}" for name in records.reports} <= reports
    training = {r["course"] for r in client.get("/api/v1/training-records/").json()["results"]}
    assert {f"Course {name}" for name in records.training} <= training
    updates = {u["id"] for u in client.get("/api/v1/updates/").json()["results"]}
    assert {u.pk for u in records.updates.values()} <= updates


def test_partner_sees_only_what_is_released(client_for, records):
    client = client_for("partner")
    reports = {r["title"] for r in client.get("/api/v1/reports/").json()["results"]}
    assert reports == {f"Report {name}" for name in PARTNER_VISIBLE["reports"]}
    training = {r["course"] for r in client.get("/api/v1/training-records/").json()["results"]}
    assert training == {f"Course {name}" for name in PARTNER_VISIBLE["training"]}
    updates = {u["id"] for u in client.get("/api/v1/updates/").json()["results"]}
    assert updates == {records.updates[name].pk for name in PARTNER_VISIBLE["updates"]}


def test_partner_is_not_shown_staff_names(client_for, records):
    partner = client_for("partner").get(f"/api/v1/reports/{records.reports['approved_public'].pk}/").json()
    analyst = client_for("analyst").get(f"/api/v1/reports/{records.reports['approved_public'].pk}/").json()
    assert partner["author"] is None and partner["approved_by"] is None
    assert analyst["author"] and analyst["approved_by"]


def test_partner_activity_counts_only_released_records(client_for, records):
    partner = client_for("partner").get("/api/v1/hotspots/solino/").json()
    analyst = client_for("analyst").get("/api/v1/hotspots/solino/").json()
    assert partner["properties"]["activity"]["reports"] == len(PARTNER_VISIBLE["reports"])
    assert partner["properties"]["activity"]["updates"] == len(PARTNER_VISIBLE["updates"])
    assert analyst["properties"]["activity"]["reports"] == len(records.reports)
    assert analyst["properties"]["activity"]["updates"] == len(records.updates)


def test_partner_sees_only_its_own_webhooks(client_for, make_user):
    client = client_for("partner")
    mine = WebhookSubscriptionFactory(owner=client.user)
    WebhookSubscriptionFactory(owner=make_user("partner"))
    listed = [s["id"] for s in client.get("/api/v1/webhooks/").json()]
    assert listed == [mine.pk]


def test_session_and_token_give_the_same_answer(make_user, records):
    from tests.api.conftest import session_client, token_client

    user = make_user("analyst")
    by_session = session_client(user).get("/api/v1/reports/").json()
    by_token = token_client(user).get("/api/v1/reports/").json()
    assert by_session == by_token
