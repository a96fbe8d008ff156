"""GIS tools read the portal whole: GDAL (as QGIS does) over OGC API - Features and over a plain
GeoJSON URL of the REST API, against a live server, with a partner's token.

Each test compares the features GDAL wrote out with what the database holds for that partner,
over collections of several pages.
"""

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import PARTNER, sync_roles
from accounts.services import api_token_issue
from hotspots import gazetteer
from operations.models import OperationReport
from tests.factories import OperationReportFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

OGR2OGR, OGRINFO = shutil.which("ogr2ogr"), shutil.which("ogrinfo")
if OGR2OGR is None and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    pytest.fail("ogr2ogr is missing: install Debian's gdal-bin", pytrace=False)
needs_gdal = pytest.mark.skipif(OGR2OGR is None, reason="ogr2ogr is missing: install Debian's gdal-bin")

SHOWN, HIDDEN = 23, 4


@pytest.fixture
def partner_token(transactional_db, django_user_model):
    """A partner's token, with reports over several pages that it sees and some that it does not."""
    sync_roles(Group, Permission)  # transactional tests start from an empty database
    gazetteer.load_hotspots()
    partner = django_user_model.objects.create_user("gis-desk", password="pw-123456789")
    partner.groups.add(Group.objects.get(name=PARTNER))
    author, approver = UserFactory(), UserFactory()
    start = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    for n in range(SHOWN + HIDDEN):
        OperationReportFactory(
            author=author,
            approved_by=approver,
            status="approved",
            releasability="partners" if n < SHOWN else "mission",
            location=f"SRID=4326;POINT({-72.4 + n * 0.001} {18.5 + n * 0.001})",
            started_at=start + timedelta(hours=n),
        )
    assert OperationReport.objects.visible_to(partner).count() == SHOWN
    _, raw = api_token_issue(user=partner, name="gdal")
    return raw


def ogr2ogr(source: str, layer: str | None, out, token: str, *options: str) -> tuple[dict, list[str]]:
    """What GDAL wrote, and the URLs it fetched (from its debug output)."""
    env = {
        **os.environ,
        "CPL_DEBUG": "ON",
        "GDAL_HTTP_HEADERS": f"Authorization: Bearer {token}",
        "GDAL_HTTP_TIMEOUT": "60",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": "",
    }
    command = [OGR2OGR, "-f", "GeoJSON", str(out), source, *([layer] if layer else []), *options]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    fetched = re.findall(r"HTTP: Fetch\((\S+)\)", result.stderr)
    return json.loads(out.read_text()), fetched


@needs_gdal
def test_gdal_reads_every_page_of_a_collection_over_ogc_api_features(live_server, partner_token, tmp_path):
    written, fetched = ogr2ogr(
        f"OAPIF:{live_server.url}/ogc/",
        "operation-reports",
        tmp_path / "reports.geojson",
        partner_token,
        "-oo",
        "PAGE_SIZE=10",  # three pages
    )
    # GDAL reads the first page twice (once to learn the fields), then follows each `next` link.
    pages = {url.split("?")[1] for url in fetched if "/collections/operation-reports/items" in url}
    assert pages == {"limit=10", "limit=10&offset=10", "limit=10&offset=20"}, fetched
    references = sorted(feature["properties"]["reference"] for feature in written["features"])
    expected = sorted(
        OperationReport.objects.filter(releasability="partners").values_list("reference", flat=True)
    )
    assert len(references) == SHOWN
    assert references == expected


@needs_gdal
def test_gdal_filters_by_box_over_ogc_api_features(live_server, partner_token, tmp_path):
    written, fetched = ogr2ogr(
        f"OAPIF:{live_server.url}/ogc/",
        "operation-reports",
        tmp_path / "reports.geojson",
        partner_token,
        "-oo",
        "PAGE_SIZE=4",
        "-spat",
        "-72.4005",
        "18.4995",
        "-72.3905",
        "18.5095",  # the first ten reports' points (0.001 degree apart)
    )
    assert len(written["features"]) == 10
    assert any("bbox=" in url for url in fetched), fetched  # the server filtered, not GDAL alone


@needs_gdal
def test_gdal_reads_every_feature_of_a_plain_geojson_url(live_server, partner_token, tmp_path):
    # A GIS tool reading a GeoJSON URL does not page: the API streams the whole result to it.
    written, _ = ogr2ogr(
        f"{live_server.url}/api/v1/reports/?format=geojson",
        None,
        tmp_path / "reports.geojson",
        partner_token,
    )
    assert len(written["features"]) == SHOWN


@needs_gdal
def test_gdal_lists_the_collections_a_partner_reads_as_layers(live_server, partner_token):
    env = {**os.environ, "GDAL_HTTP_HEADERS": f"Authorization: Bearer {partner_token}"}
    result = subprocess.run(
        [OGRINFO, "-ro", "-q", f"OAPIF:{live_server.url}/ogc/"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    layers = set(re.findall(r"^\d+: (\S+)", result.stdout, re.MULTILINE))
    assert layers == {"hotspots", "updates", "operation-reports", "training-records"}
