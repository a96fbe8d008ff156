"""What the API says of reports, training records and updates: related lists in their order, the place
(own point, else the first placed hotspot's), staff names for members only, times in UTC."""

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point

from hotspots.models import Hotspot
from tests.factories import (
    ContingentFactory,
    OperationReportFactory,
    PostFactory,
    SourceFactory,
    TrainingRecordFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db


def point(hotspot: Hotspot) -> dict:
    return {"type": "Point", "coordinates": [round(hotspot.location.x, 7), round(hotspot.location.y, 7)]}


@pytest.fixture
def places():
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    jamaica = ContingentFactory(country_code="JM", name="Jamaica")
    solino, tlia, unplaced = (Hotspot.objects.get(slug=s) for s in ("solino", "tlia", "carrefour-laeroport"))
    assert unplaced.location is None and solino.location is not None and tlia.location is not None
    return {"KE": kenya, "JM": jamaica, "solino": solino, "tlia": tlia, "unplaced": unplaced}


def _one(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response.json()


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_a_report(role, places, client_for, make_user):
    approver = make_user("approver")
    report = OperationReportFactory(
        status="approved",
        approved_by=approver,
        releasability="public",
        started_at=datetime(2025, 3, 1, 17, 0, tzinfo=UTC),
        ended_at=None,
    )
    report.hotspots.set([places["unplaced"], places["tlia"], places["solino"]])
    report.contingents.set([places["KE"], places["JM"]])
    body = _one(client_for(role), f"/api/v1/reports/{report.pk}/")
    names = sorted([places["unplaced"], places["tlia"], places["solino"]], key=lambda h: h.name)
    assert body["hotspots"] == [h.slug for h in names]
    assert body["contingents"] == ["JM", "KE"]  # in their names' order
    first = next(h for h in names if h.location is not None)
    assert body["location"] is None
    assert body["geometry"] == point(first)
    assert (body["department"], body["commune"]) == (first.department, first.commune)
    assert body["started_at"] == "2025-03-01T17:00:00Z" and body["ended_at"] is None
    assert body["status"] == "approved" and body["releasability"] == "public"
    if role == "partner":
        assert body["author"] is None and body["approved_by"] is None
    else:
        assert body["author"] == report.author.username and body["approved_by"] == approver.username


def test_a_report_s_own_point_wins_and_one_without_a_placed_hotspot_has_none(places, client_for):
    client = client_for("analyst")
    own = OperationReportFactory(location=Point(-72.3, 18.55, srid=4326))
    own.hotspots.set([places["solino"]])
    bare = OperationReportFactory(location=None)
    bare.hotspots.set([places["unplaced"]])
    body = _one(client, f"/api/v1/reports/{own.pk}/")
    assert body["location"] == body["geometry"] == {"type": "Point", "coordinates": [-72.3, 18.55]}
    assert body["department"] == places["solino"].department
    body = _one(client, f"/api/v1/reports/{bare.pk}/")
    assert body["geometry"] is None and body["department"] == "" and body["commune"] == ""
    assert body["hotspots"] == ["carrefour-laeroport"] and body["contingents"] == []


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_training_records(role, places, client_for):
    client = client_for(role)
    at_hotspot = TrainingRecordFactory(hotspot=places["tlia"], location=None, releasability="public")
    at_hotspot.providing_contingents.set([places["KE"], places["JM"]])
    own = TrainingRecordFactory(hotspot=None, location=Point(-72.2, 18.6, srid=4326), releasability="public")
    unplaced = TrainingRecordFactory(hotspot=places["unplaced"], location=None, releasability="public")

    body = _one(client, f"/api/v1/training-records/{at_hotspot.pk}/")
    assert body["hotspot"] == "tlia" and body["providing_contingents"] == ["JM", "KE"]
    assert body["location"] is None and body["geometry"] == point(places["tlia"])
    assert body["department"] == places["tlia"].department
    assert body["starts_on"] == at_hotspot.starts_on.isoformat()
    assert body["author"] == (None if role == "partner" else at_hotspot.author.username)
    body = _one(client, f"/api/v1/training-records/{own.pk}/")
    assert body["hotspot"] is None and body["geometry"] == {"type": "Point", "coordinates": [-72.2, 18.6]}
    assert body["department"] == ""
    body = _one(client, f"/api/v1/training-records/{unplaced.pk}/")
    assert body["hotspot"] == "carrefour-laeroport" and body["geometry"] is None and body["commune"] == ""


def test_an_update_with_its_post(places, client_for):
    official = SourceFactory(name="MSS Haiti", is_official=True)
    post = PostFactory(source=official, url="https://x.com/a/1", language="fr", text="Solino, TLIA")
    update = UpdateFactory(
        post=post,
        hotspots=[places["unplaced"], places["solino"], places["tlia"], places["solino"]],
        figures={"personnel": 600, "trained": 30},
    )
    update.contingents.set([places["KE"], places["JM"]])
    body = _one(client_for("partner"), f"/api/v1/updates/{update.pk}/")
    assert body["hotspots"] == ["carrefour-laeroport", "solino", "tlia"]  # as named, each once
    assert body["geometry"] == point(places["solino"])
    assert (body["department"], body["commune"]) == (places["solino"].department, places["solino"].commune)
    assert body["figures"] == {"personnel": 600, "trained": 30}
    assert body["contingents"] == ["JM", "KE"]
    assert body["published_at"] == "2025-03-01T12:00:00Z"
    assert body["post"] == {
        "id": post.pk,
        "source": "MSS Haiti",
        "source_official": True,
        "external_id": post.external_id,
        "url": "https://x.com/a/1",
        "author": post.author,
        "text": "Solino, TLIA",
        "language": "fr",
    }


def test_an_update_naming_no_hotspot(client_for):
    update = UpdateFactory(published_at=None)
    body = _one(client_for("analyst"), f"/api/v1/updates/{update.pk}/")
    assert body["hotspots"] == [] and body["geometry"] is None and body["department"] == ""
    assert body["published_at"] is None and body["figures"] == {}
