"""The hotspot list is kept whole in the read cache, and every write that changes it moves it on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotspots.models import Hotspot
from tests.factories import HotspotAliasFactory, OperationReportFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/hotspots/"


def _solino(client) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    feature = next(f for f in response.json()["features"] if f["id"] == "solino")
    return feature["properties"], [q["sql"] for q in queries if "hotspots_hotspot" in q["sql"]]


def test_the_list_is_read_once_then_from_the_cache_until_a_write(client_for, make_user):
    partner = client_for("partner")
    solino = Hotspot.objects.get(slug="solino")
    first, first_reads = _solino(partner)
    again, again_reads = _solino(partner)
    assert first_reads and not again_reads and again == first

    HotspotAliasFactory(hotspot=solino, text="Solino-Nazon", language="fr")
    after_alias, reads = _solino(partner)
    assert reads and "Solino-Nazon" in after_alias["aliases"]

    approver = make_user("approver")
    report = OperationReportFactory(status="approved", approved_by=approver, releasability="partners")
    report.hotspots.set([solino])  # m2m_changed: a new version
    assert _solino(partner)[0]["activity"]["reports"] == first["activity"]["reports"] + 1

    TrainingRecordFactory(hotspot=solino, releasability="public")
    assert _solino(partner)[0]["activity"]["training_records"] == first["activity"]["training_records"] + 1


def test_readers_of_other_roles_get_their_own_list(client_for, make_user):
    solino = Hotspot.objects.get(slug="solino")
    draft = OperationReportFactory(status="draft", releasability="public")
    draft.hotspots.set([solino])
    assert _solino(client_for("analyst"))[0]["activity"]["reports"] == 1
    assert _solino(client_for("partner"))[0]["activity"]["reports"] == 0  # a draft is the mission's


def test_the_csv_export_is_streamed_not_cached(client_for):
    client = client_for("analyst")
    client.get(LIST)  # cached as JSON
    response = client.get(LIST, {"format": "csv"})
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content).decode().splitlines()[0].startswith("slug,")
