"""Source trust, end to end: a third-party post reaches partners (list, CSV export, hotspot counts,
webhook-visible rows) only once a reviewer confirms or corrects it; an official channel's at once."""

import pytest

from hotspots.models import Hotspot
from ingestion import services
from ingestion.models import Source
from ingestion.parsers.records import PostRecord
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def _ingest(source, external_id, text):
    record = PostRecord(
        external_id=external_id, text=text, url="", author="", language="en", published_at=None, raw={}
    )
    post, _ = services.post_store(source=source, record=record)
    return services.post_process(post=post)


def _partner_view(client):
    ids = [row["id"] for row in client.get("/api/v1/updates/", {"format": "json"}).json()["results"]]
    csv = b"".join(client.get("/api/v1/updates/", {"format": "csv"}).streaming_content).decode()
    hotspots = client.get("/api/v1/hotspots/", {"format": "json"}).json()["features"]
    solino = next(feature for feature in hotspots if feature["id"] == "solino")
    return ids, csv, solino["properties"]["activity"]


def test_a_third_party_update_reaches_partners_only_once_reviewed(make_user, admin_user):
    partner = token_client(make_user("partner"))
    press = Source.objects.create(name="press search", kind="file", is_official=False)
    update = _ingest(press, "1", "Patrols in Solino overnight, residents report.")

    ids, csv, counts = _partner_view(partner)
    assert update.pk not in ids
    assert "residents report" not in csv
    assert counts.get("updates", 0) == 0

    services.update_review(update=update, user=admin_user, state="confirmed")

    ids, csv, counts = _partner_view(partner)
    assert update.pk in ids
    assert "residents report" in csv
    assert counts.get("updates") == 1


def test_an_official_channels_update_reaches_partners_at_once(make_user):
    partner = token_client(make_user("partner"))
    mission = Source.objects.create(name="mission account", kind="x_api_v2", is_official=True)
    update = _ingest(mission, "2", "Patrols in Solino overnight.")

    ids, _, counts = _partner_view(partner)
    assert update.pk in ids
    assert counts.get("updates") == 1


def test_marking_a_source_third_party_withdraws_its_unreviewed_updates(make_user):
    partner = token_client(make_user("partner"))
    mission = Source.objects.create(name="mission account", kind="x_api_v2", is_official=True)
    update = _ingest(mission, "3", "Patrols in Solino overnight.")
    assert update.pk in _partner_view(partner)[0]

    mission.is_official = False
    mission.save()

    assert update.pk not in _partner_view(partner)[0]
    assert Hotspot.objects.filter(slug="solino").exists()
