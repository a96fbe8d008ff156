"""The map's search over hotspots, aliases and the whole gazetteer, area outlines and place labels."""

import pytest

from hotspots.models import AdminArea

pytestmark = pytest.mark.django_db


def _search(client, text):
    response = client.get("/map/data/search/", {"q": text})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("Cap-Haïtien", "commune", "Cap-Haïtien"),
        ("cap haitien", "commune", "Cap-Haïtien"),
        ("Petion-Ville", "commune", "Pétion-Ville"),
        ("PÉTION VILLE", "commune", "Pétion-Ville"),
        ("Artibonite", "department", "Artibonite"),
        ("Lwès", "department", "Ouest"),  # the Kreyòl name of the department
        ("Turgeau", "section", "1re Section Turgeau"),
        ("Solino", "hotspot", "Solino"),
        ("Tousen Louvèti", "alias", "Toussaint Louverture International Airport"),
    ],
)
def test_one_search_finds_every_kind_of_place_whatever_the_accents(client, analyst, text, kind, name):
    client.force_login(analyst)
    results = _search(client, text)
    assert any(r["kind"] == kind and r["name"] == name for r in results), results


def test_a_populated_place_is_found_with_its_department(client, analyst):
    client.force_login(analyst)
    results = _search(client, "Coeur Droit")
    place = next(r for r in results if r["kind"] == "place")
    assert place["name"] == "Coeur Droit" and place["department"] == "Ouest"
    assert 18 < place["lat"] < 20 and -75 < place["lon"] < -71


def test_a_commune_result_names_its_department(client, analyst):
    client.force_login(analyst)
    commune = next(r for r in _search(client, "Cap-Haïtien") if r["kind"] == "commune")
    assert commune["department"] == "Nord" and commune["id"].startswith("HT")


def test_an_exact_name_comes_before_longer_names(client, analyst):
    client.force_login(analyst)
    names = [r["name"] for r in _search(client, "Delmas")]
    exact = [i for i, name in enumerate(names) if name == "Delmas"]
    assert exact and exact == list(range(len(exact))) and len(names) > len(exact), names


def test_a_search_that_finds_nothing_says_so(client, analyst):
    client.force_login(analyst)
    assert _search(client, "Atlantis") == []
    assert _search(client, "x") == []  # too short to search


def test_an_area_gives_its_outline_and_the_hotspots_inside(client, analyst):
    client.force_login(analyst)
    pcode = AdminArea.objects.get(level=2, name_fr="Port-au-Prince").pcode
    feature = client.get(f"/map/data/areas/{pcode}/").json()
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["properties"]["name"] == "Port-au-Prince"
    assert "solino" in feature["properties"]["hotspots"]
    assert "tlia" not in feature["properties"]["hotspots"]  # the airport is in Tabarre, not Port-au-Prince
    assert client.get("/map/data/areas/HT9999/").status_code == 404


def test_labels_give_departments_communes_and_places_in_a_box(client, analyst):
    client.force_login(analyst)
    labels = client.get("/map/data/labels/").json()
    assert len(labels["departments"]) == 10
    assert ["Port-au-Prince", 18.5311, -72.3333] in labels["communes"]
    places = client.get("/map/data/labels/", {"in_bbox": "-72.37,18.50,-72.30,18.53"}).json()["places"]
    assert ["Coeur Droit", 18.5167, -72.3333] in places
    assert client.get("/map/data/labels/", {"in_bbox": "a,b"}).status_code == 400


@pytest.mark.parametrize("url", ["/map/data/search/?q=Solino", "/map/data/labels/", "/map/data/areas/HT01/"])
def test_partners_and_strangers_get_no_place_data(client, partner, url):
    assert client.get(url).status_code in (401, 403)
    client.force_login(partner)
    assert client.get(url).status_code == 403


def test_the_list_keeps_an_areas_hotspots_and_downloads_just_them(client, analyst):
    from hotspots.models import Hotspot
    from tests.analysis.helpers import ago, update_at

    client.force_login(analyst)
    solino, tlia = Hotspot.objects.get(slug="solino"), Hotspot.objects.get(slug="tlia")
    update_at([solino], ago(days=1), text="At Solino today")
    update_at([tlia], ago(days=1), text="At the airport today")
    html = client.get("/updates/", {"area": "HT0111"}).content.decode()
    assert "At Solino today" in html and "At the airport today" not in html
    assert 'name="area" value="HT0111"' in html  # kept when the filters are applied again
    csv_link = html.split('id="export-csv" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "hotspot=solino" in csv_link and "hotspot=tlia" not in csv_link
    rows = b"".join(client.get(csv_link).streaming_content).decode()
    assert "At Solino today" in rows and "At the airport today" not in rows


def test_an_area_without_hotspots_lists_and_downloads_nothing(client, analyst):
    client.force_login(analyst)
    empty = next(
        a.pcode
        for a in AdminArea.objects.filter(level=3).order_by("pcode")
        if not client.get(f"/map/data/areas/{a.pcode}/").json()["properties"]["hotspots"]
    )
    html = client.get("/updates/", {"area": empty}).content.decode()
    assert "No hotspot lies in this area." in html
    assert 'id="exports" hidden' in html


def test_no_tile_server_is_named_unless_a_deployment_sets_one(client, analyst, settings):
    assert settings.LEAFLET_CONFIG["TILES"] == []  # MAP_TILES_URL is not set for the tests
    client.force_login(analyst)
    response = client.get("/")
    assert "openstreetmap" not in response.content.decode()
    assert "openstreetmap" not in response.headers.get("Content-Security-Policy", "")
