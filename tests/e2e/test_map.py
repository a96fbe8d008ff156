"""The analysts' map, list, hotspot page and dashboard in a real browser (headless Chromium), no tiles."""

import re
import time
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import Point

from accounts.roles import ANALYST, REPORTER, sync_roles
from hotspots import gazetteer
from hotspots.models import Hotspot
from tests.analysis.helpers import XSS_TEXT, ago, ensure_translations, report_at, update_at
from tests.factories import ContingentFactory, HotspotFactory, TrainingRecordFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
XSS_IMG = "<img src=x onerror=alert(1)>"
EVIL_NAME = "Evil <img src=x onerror=alert(2)> corner"

# Keeps a handle on each Leaflet map as django-leaflet creates it, so a test can count what it holds.
CAPTURE_MAPS = (
    "window.__maps = []; window.addEventListener('map:init', (e) => window.__maps.push(e.detail.map));"
)
COUNT_MARKERS = """() => {
  const map = window.__maps.find((m) => m.getContainer().id === 'map');
  let n = 0;
  map.eachLayer((layer) => {
    const renderer = layer.options && layer.options.renderer;
    if (layer instanceof L.CircleMarker && renderer && renderer.options.pane === 'hotspots') n += 1;
  });
  return n;
}"""


@pytest.fixture(scope="module", autouse=True)
def _translations():
    ensure_translations()


@pytest.fixture
def seeded(transactional_db):
    sync_roles(Group, Permission, only_existing=True)  # transactional tests start from an empty database
    gazetteer.load_hotspots()


@pytest.fixture
def data(seeded, django_user_model):
    """Updates in the last day, week and month at a few hotspots, the post with markup among them."""
    reporter = django_user_model.objects.create_user("reporter", password=PASSWORD, is_staff=True)
    reporter.groups.add(Group.objects.get(name=REPORTER))
    solino, tlia, pont = (Hotspot.objects.get(slug=s) for s in ("solino", "tlia", "pont-sonde"))
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    update_at([solino], ago(hours=3), text=XSS_TEXT, kind="incident")
    update_at(
        [tlia],
        ago(hours=5),
        text="Kenyan officers arrived at the airport",
        kind="deployment",
        figures={"personnel": 400},
        contingents=[kenya],
    )
    update_at([pont], ago(days=3), text="Patrols on the Pont-Sondé bridge", kind="security_operation")
    update_at([solino, tlia], ago(days=4), text="Road between Solino and the airport reopened")
    update_at(
        [pont], ago(days=20), text="Checkpoint at Pont-Sondé three weeks ago", kind="security_operation"
    )
    update_at([tlia], ago(days=25), text="Training at the airport", kind="training")
    report_at([solino], ago(days=2), author=reporter, title="Clearance in Solino", status="draft")
    TrainingRecordFactory(
        course="Tactical driving",
        status="completed",
        trainees_total=40,
        trainees_women=12,
        hotspot=tlia,
        author=reporter,
        starts_on=date.today() - timedelta(days=40),
        ends_on=date.today() - timedelta(days=30),
    )
    return {"solino": solino, "tlia": tlia, "pont": pont, "reporter": reporter, "kenya": kenya}


@pytest.fixture
def analyst_page(live_server, page, django_user_model, data):
    user = django_user_model.objects.create_user("analyst", password=PASSWORD)
    user.groups.add(Group.objects.get(name=ANALYST))
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.add_init_script(CAPTURE_MAPS)
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))  # not signed in: the sign-in page
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _map_ready(page):
    page.wait_for_selector("#map[data-state=ready]")
    page.wait_for_function("() => document.querySelectorAll('#update-list li').length > 0")


def _updates_in_summary(page) -> int:
    return int(page.get_attribute("#summary", "data-updates"))


def test_the_map_draws_a_marker_per_placed_hotspot_and_lists_the_others(analyst_page, artifacts):
    page = analyst_page
    _map_ready(page)
    placed = Hotspot.objects.filter(location__isnull=False).count()
    unplaced = Hotspot.objects.filter(location__isnull=True)
    assert int(page.get_attribute("#map", "data-markers")) == placed
    assert page.evaluate(COUNT_MARKERS) == placed
    for hotspot in unplaced:
        assert hotspot.name in page.inner_text("#unplaced-list")
    # No tiles can load here: the departments drawn under the map keep it readable.
    assert page.locator("#map .leaflet-haitiOutline-pane path").count() == 10
    page.screenshot(path=str(artifacts / "map.png"))
    assert page.errors == [] and page.console_errors == []


def test_changing_the_period_changes_the_counts_and_the_list(analyst_page):
    page = analyst_page
    _map_ready(page)
    assert _updates_in_summary(page) == 4  # 7 days, the default

    page.check("input[name=period][value='24h']")
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates === '2'")
    page.wait_for_function("() => document.querySelectorAll('#update-list li').length === 2")
    assert "period=24h" in page.url

    page.check("input[name=period][value='30d']")
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates === '6'")
    page.wait_for_function("() => document.querySelectorAll('#update-list li').length === 6")
    assert "Checkpoint at Pont-Sondé three weeks ago" in page.inner_text("#update-list")

    page.check("input[name=kind][value='training']")
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates === '1'")
    assert "kind=training" in page.url
    assert page.errors == []


def test_the_filters_and_layers_in_the_url_are_shared(analyst_page, live_server, artifacts):
    page = analyst_page
    page.goto(f"{live_server.url}/?period=30d&kind=security_operation&layers=hotspots,heat,communes")
    _map_ready(page)
    assert _updates_in_summary(page) == 3
    assert page.is_checked("input[name=kind][value='security_operation']")
    page.wait_for_selector("#map .leaflet-boundaries-pane path")
    assert page.locator("#map .leaflet-boundaries-pane path").count() == 140  # communes
    assert page.locator("#map canvas.heat-layer").count() == 1
    page.screenshot(path=str(artifacts / "map-heat-communes.png"))
    # Layers switch off and on from the layer control; the URL follows.
    page.get_by_label("Communes").uncheck()
    page.wait_for_function("() => !location.search.includes('communes')")
    assert page.locator("#map .leaflet-boundaries-pane path").count() == 0
    assert page.errors == []


def test_post_markup_shows_as_text_and_never_runs(analyst_page, live_server, artifacts):
    page = analyst_page
    # Markup in a hotspot's name too (staff type names): in its tooltip and the place search.
    evil = HotspotFactory(slug="evil", name=EVIL_NAME, location=Point(-72.2, 19.7, srid=4326))
    update_at([evil], ago(hours=1), text="Quiet day up north")
    page.reload()
    _map_ready(page)
    point = page.evaluate(
        """() => {
          const map = window.__maps.find((m) => m.getContainer().id === 'map');
          const p = map.latLngToContainerPoint([19.7, -72.2]);
          const box = map.getContainer().getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.move(*point)
    page.wait_for_selector(".leaflet-tooltip")
    assert page.inner_text(".leaflet-tooltip") == EVIL_NAME
    page.fill("#place", "Evil")
    page.wait_for_selector("#place-results button")
    assert EVIL_NAME in page.inner_text("#place-results")
    page.fill("#place", "")
    item = page.locator("#update-list li", has_text=XSS_IMG)
    assert XSS_IMG in item.inner_text() and "<script>alert(1)</script>" in item.inner_text()
    # In the popup too, opened from the list as a keyboard user would.
    item.locator("button").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".hotspot-popup .popup-list li.popup-update")
    assert XSS_IMG in page.inner_text(".hotspot-popup")
    page.screenshot(path=str(artifacts / "map-popup.png"))
    for url, shot in (("/updates/", "list.png"), ("/hotspots/solino/", None)):
        page.goto(live_server.url + url)
        page.wait_for_selector(f"text={XSS_IMG}")
        if shot:
            page.screenshot(path=str(artifacts / shot), full_page=True)
    page.wait_for_timeout(300)
    assert page.locator("img[src=x]").count() == 0
    assert page.dialogs == [] and page.errors == []


def test_choosing_an_update_flies_to_its_hotspot_and_opens_its_popup(analyst_page):
    page = analyst_page
    _map_ready(page)
    button = page.locator("#update-list li", has_text="Patrols on the Pont-Sondé bridge").locator("button")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".hotspot-popup .popup-title")
    assert page.inner_text(".hotspot-popup .popup-title") == "Pont-Sondé"
    assert page.evaluate("() => document.activeElement.classList.contains('popup-title')")
    assert (
        "Low-confidence location" in page.inner_text(".hotspot-popup")
        or Hotspot.objects.get(slug="pont-sonde").confidence != "low"
    )
    page.keyboard.press("Escape")
    page.wait_for_selector(".hotspot-popup", state="detached")
    assert page.evaluate("() => document.activeElement.classList.contains('update-go')")  # back where it was
    # The view followed, and is in the URL once the map has settled (the URL follows 350 ms after).
    page.wait_for_url(re.compile(r"at=1[2-9]%2F"), timeout=10_000)
    assert page.errors == []


def test_a_place_is_found_by_its_kreyol_name(analyst_page):
    page = analyst_page
    _map_ready(page)
    page.fill("#place", "Tousen Louvèti")
    page.wait_for_selector("#place-results button")
    assert page.locator("#place-results button").count() == 1
    page.click("#place-results button")
    page.wait_for_selector(".hotspot-popup .popup-title")
    assert "Toussaint Louverture" in page.inner_text(".hotspot-popup .popup-title")
    page.wait_for_function("() => [...document.querySelectorAll('#update-list li')].length === 2")
    assert "place=Tousen" in page.url
    assert page.errors == []


def test_the_week_slider_replays_the_period_week_by_week(analyst_page):
    page = analyst_page
    page.check("input[name=period][value='30d']")
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates === '6'")
    page.wait_for_function("() => Number(document.querySelector('#week').max) >= 4")
    slider = page.locator("#week")
    slider.focus()
    page.keyboard.press("End")  # the last week
    page.wait_for_function("() => new URLSearchParams(location.search).has('week')")
    page.wait_for_function("() => Number(document.querySelector('#summary').dataset.updates) < 6")
    page.click("#week-all")
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates === '6'")
    assert page.errors == []


def test_new_updates_appear_without_a_reload(analyst_page, live_server, settings, data):
    settings.MAP_REFRESH_SECONDS = 1
    page = analyst_page
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if "/map/data/activity/" in r.url else None)
    page.goto(f"{live_server.url}/")
    _map_ready(page)
    page.wait_for_function("() => document.querySelector('#refresh-status').textContent.length > 0")
    assert 304 in statuses  # nothing changed: the refresh cost a 304
    update_at([data["pont"]], ago(minutes=1), text="Fresh news from Pont-Sondé")
    page.wait_for_selector("#update-list li.is-new", timeout=10000)
    assert "Fresh news from Pont-Sondé" in page.inner_text("#update-list li.is-new")
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates === '5'")
    assert page.errors == []


def test_the_refresh_asks_the_very_question_of_the_first_request(analyst_page, live_server, settings):
    # The script rounds the period's start as the server rounds the preloaded request's, so within
    # one step of the period (ten minutes) every request is the same URL: one cache entry, and 304s.
    settings.MAP_REFRESH_SECONDS = 1
    page = analyst_page
    urls = []
    page.on("request", lambda r: urls.append(r.url) if "/map/data/activity/" in r.url else None)
    step = 600
    started = time.time() // step
    page.goto(f"{live_server.url}/")
    _map_ready(page)
    page.wait_for_function("() => document.querySelector('#refresh-status').textContent.length > 0")
    if time.time() // step != started:
        pytest.skip("the period's start moved on during the test: nothing to compare")
    assert len(urls) >= 2 and len(set(urls)) == 1, urls
    after = parse_qs(urlsplit(urls[0]).query)["published_after"][0]
    assert after.endswith(":00.000Z") and int(after[14:16]) % 10 == 0
    assert page.errors == []


@pytest.mark.parametrize(
    ("language", "legend", "script_text"),
    [("fr", "Types de mise à jour", "points chauds sur la carte"), ("ht", "Kalite nouvèl", "sou kat la")],
)
def test_switching_language_changes_the_interface(analyst_page, artifacts, language, legend, script_text):
    page = analyst_page
    _map_ready(page)
    page.select_option("#language-select", language)
    page.wait_for_selector(f"html[lang={language}]")
    _map_ready(page)
    assert legend in page.inner_text(".filters")
    page.wait_for_function(f"() => document.querySelector('#summary').textContent.includes({script_text!r})")
    assert page.get_attribute("#update-list time", "datetime")  # dates written out in the language
    page.screenshot(path=str(artifacts / f"map-{language}.png"))
    assert page.errors == []


def test_the_dashboard_draws_its_charts(analyst_page, live_server, artifacts):
    page = analyst_page
    page.goto(f"{live_server.url}/dashboard/")
    for chart in ("#chart-weekly", "#chart-training", "#chart-personnel"):
        page.wait_for_selector(f"{chart} svg.chart rect")
        assert int(page.get_attribute(chart, "data-chart-bars")) > 0
    assert "Kenya" in page.inner_text("#chart-personnel")
    assert page.inner_text("#trained-total") == "40"
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    assert page.errors == [] and page.console_errors == []


def test_the_hotspot_page_shows_its_timeline_and_training(analyst_page, live_server, artifacts):
    page = analyst_page
    page.goto(f"{live_server.url}/hotspots/tlia/")
    page.wait_for_selector("#timeline .timeline-entry")
    page.wait_for_selector("#training-table")
    page.wait_for_selector("#weekly-chart svg.chart rect")
    assert page.locator("#timeline .timeline-entry").count() == 3  # its three updates
    assert "Tactical driving" in page.inner_text("#training-table")
    assert page.locator("#hotspot-map .leaflet-interactive").count() == 1
    page.screenshot(path=str(artifacts / "hotspot.png"), full_page=True)
    page.goto(f"{live_server.url}/hotspots/solino/")
    page.wait_for_selector("#timeline .is-report")
    assert "Clearance in Solino" in page.inner_text("#timeline")
    assert page.errors == [] and page.console_errors == []
