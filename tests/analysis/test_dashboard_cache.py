"""The dashboard's figures are kept whole in the read cache until a write moves the data version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotspots.models import Hotspot
from tests.analysis.helpers import ago, update_at

pytestmark = pytest.mark.django_db


def _dashboard(client) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    counting = [q for q in queries if "ingestion_update" in q["sql"]]
    return response.context["dashboard_data"], len(counting)


def test_the_figures_are_read_once_then_from_the_cache_until_a_write(client, analyst):
    client.force_login(analyst)
    solino = Hotspot.objects.get(slug="solino")
    update_at([solino], ago(days=1), kind="incident")
    first, first_reads = _dashboard(client)
    again, again_reads = _dashboard(client)
    assert first_reads and not again_reads and again["weekly"] == first["weekly"]

    update_at([solino], ago(hours=2), kind="incident")
    after, reads = _dashboard(client)
    assert (
        reads
        and sum(after["weekly"]["updates"]["incident"]) == sum(first["weekly"]["updates"]["incident"]) + 1
    )
