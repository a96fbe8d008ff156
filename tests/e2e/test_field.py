"""The analyst pages in the field (issue 15), in headless Chromium at desktop and phone sizes, in
English and French or Kreyòl: phones, the search over the whole gazetteer, place names without
tiles, exports, the keyboard and screen readers (axe-core), filters kept across pages."""

import csv
import io
import json
import re
import unicodedata
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from pypdf import PdfReader

from accounts.roles import ANALYST
from analysis.search import area_hotspots
from hotspots import gazetteer
from hotspots.models import Hotspot
from ingestion.models import Update
from tests.analysis.helpers import ago, update_at
from tests.e2e.live import close_context
from tests.e2e.test_map import CAPTURE_MAPS, PASSWORD, _translations, data, seeded  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
SIZES = [("desktop", DESKTOP, "en"), ("phone", PHONE, "fr"), ("small-phone", SMALL_PHONE, "ht")]

# Every control a reader could use: links, buttons, fields, Leaflet's controls.
CONTROLS = "a[href], button, input:not([type=hidden]), select, summary, [tabindex]:not([tabindex='-1'])"
OUTSIDE_VIEWPORT = """(selector) => {
  const w = document.documentElement.clientWidth, h = window.innerHeight;
  const visible = (el) => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 1 && r.height > 1
      && !el.closest('[hidden], .visually-hidden, .skip-link');
  };
  // A control inside a scrolling box (the panel) counts where that box shows it.
  const clip = (el) => {
    let box = { left: 0, top: 0, right: w, bottom: h, scrolls: false };
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (/(auto|scroll|hidden)/.test(s.overflowY) && p !== document.body && p !== document.documentElement) {
        const r = p.getBoundingClientRect();
        box = { left: Math.max(box.left, r.left), top: Math.max(box.top, r.top),
                right: Math.min(box.right, r.right), bottom: Math.min(box.bottom, r.bottom),
                scrolls: box.scrolls
                  || (/(auto|scroll)/.test(s.overflowY) && p.scrollHeight > p.clientHeight) };
      }
    }
    return box;
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect(), box = clip(el);
    if (r.bottom <= box.top || r.top >= box.bottom) continue;  // scrolled out of its box: not shown
    // Sideways always; up and down only for what no scrolling brings into view (the map's controls).
    const cut = !box.scrolls && (r.top < -0.5 || (r.bottom > h + 0.5 && r.top < h));
    if (r.left < -0.5 || r.right > w + 0.5 || cut) {
      out.push((el.id || el.className || el.tagName) + ' ' + (el.textContent || '').trim().slice(0, 30)
        + ' ' + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
    }
  }
  return out;
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def gazetteer_loaded(seeded):  # noqa: F811 - the fixture of test_map
    gazetteer.load_admin_areas()
    gazetteer.load_reference_places()


@pytest.fixture
def open_page(browser, live_server, django_user_model, data):  # noqa: F811 - the fixture of test_map
    """A signed-in analyst's page at a size and in a language; every request it makes is recorded."""
    user = django_user_model.objects.create_user("analyst", password=PASSWORD)
    user.groups.add(Group.objects.get(name=ANALYST))
    contexts = []

    def open_page(viewport, language="en", path="/"):
        context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 800, has_touch=False)
        contexts.append(context)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.errors, page.requests = [], []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("request", lambda request: page.requests.append(request.url))
        page.add_init_script(CAPTURE_MAPS)
        page.goto(f"{live_server.url}/accounts/login/?next=/")
        page.fill("#id_username", "analyst")
        page.fill("#id_password", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        if path != "/":
            page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(f"html[lang={language}]")
        return page

    yield open_page
    for context in contexts:
        close_context(context)


def _map_ready(page):
    page.wait_for_selector("#map[data-state=ready]")
    page.wait_for_function("() => document.querySelectorAll('#in-view-list button').length > 0")


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def _overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


# -- 1. phones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "viewport", "language"), SIZES[1:])
def test_on_a_phone_the_map_fills_the_screen_and_the_panel_is_a_bottom_sheet(
    open_page, artifacts, size, viewport, language
):
    page = open_page(viewport, language)
    _map_ready(page)
    assert page.evaluate(SIDEWAYS) == 0
    header = _box(page, ".site-header")
    assert header["height"] <= 90, header  # compact: 193 px before
    map_box = _box(page, "#map")
    assert map_box["y"] == pytest.approx(header["height"], abs=2)
    assert map_box["height"] >= 0.5 * viewport["height"] and map_box["width"] == viewport["width"]
    assert page.evaluate(OUTSIDE_VIEWPORT, CONTROLS) == []
    page.screenshot(path=str(artifacts / f"field-{size}-map.png"))

    # The sheet opens over the map, fits the screen, and every control in it is inside the viewport.
    page.click("#sheet-toggle")
    assert page.get_attribute("#sheet-toggle", "aria-expanded") == "true"
    sheet = _box(page, "#panel")
    assert sheet["y"] >= 0 and sheet["y"] + sheet["height"] <= viewport["height"] + 1
    assert page.is_visible("#filters") and page.is_visible("#in-view-list")
    assert page.evaluate(OUTSIDE_VIEWPORT, CONTROLS) == []
    page.screenshot(path=str(artifacts / f"field-{size}-sheet.png"))

    # A hotspot's details open as a sheet of their own that fits, and closes.
    page.locator("#in-view-list button").first.click()
    page.wait_for_selector("#details-sheet:not([hidden]) .popup-title")
    assert page.locator(".leaflet-popup").count() == 0
    details = _box(page, "#details-sheet")
    assert details["y"] > header["height"] and details["y"] + details["height"] <= viewport["height"] + 1
    assert details["width"] <= viewport["width"]
    assert page.evaluate(OUTSIDE_VIEWPORT, CONTROLS) == []
    assert page.evaluate(SIDEWAYS) == 0
    page.screenshot(path=str(artifacts / f"field-{size}-details.png"))
    page.click("#details-close")
    assert page.is_hidden("#details-sheet")
    assert page.errors == []


@pytest.mark.parametrize(("size", "viewport", "language"), SIZES)
@pytest.mark.parametrize("path", ["/updates/?period=30d", "/dashboard/", "/hotspots/solino/", "/briefing/"])
def test_no_page_scrolls_sideways_and_every_control_is_on_screen(
    open_page, artifacts, size, viewport, language, path
):
    page = open_page(viewport, language, path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(SIDEWAYS) == 0, f"{path} is wider than the {viewport['width']} px screen"
    offscreen = page.evaluate(OUTSIDE_VIEWPORT, CONTROLS.replace("summary, ", ""))
    # Below the fold is fine on a page that scrolls; sideways is not.
    assert [o for o in offscreen if not re.search(r"\[-?\d+,\d+,\d+,(\d+)\]$", o)] == []
    page.screenshot(path=str(artifacts / f"field-{size}{path.replace('/', '-')}.png"[:120]), full_page=True)
    assert page.errors == []


# -- 3. search everything -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "viewport", "language", "commune_label"),
    [("desktop", DESKTOP, "en", "Commune"), ("phone", PHONE, "fr", "Commune")],
)
def test_the_search_finds_communes_and_towns_by_any_spelling_and_says_when_none(
    open_page, gazetteer_loaded, size, viewport, language, commune_label
):
    page = open_page(viewport, language)
    _map_ready(page)
    page.fill("#place", "cap haitien")
    result = page.locator("#place-results button[data-kind=commune]", has_text="Cap-Haïtien")
    result.wait_for()
    assert commune_label in result.inner_text() and "Nord" in result.inner_text()
    results_box, box = _box(page, "#place-results"), _box(page, "#place")
    assert results_box["y"] >= box["y"] + box["height"] - 1  # under the box
    assert results_box["y"] < viewport["height"]  # where the reader looks, not below the fold

    page.fill("#place", "PETION-VILLE")
    page.locator("#place-results button[data-kind=commune]", has_text="Pétion-Ville").wait_for()

    page.fill("#place", "Atlantis")
    none = page.locator("#place-results .none-found")
    none.wait_for()
    assert "Atlantis" in none.inner_text()
    none_box = none.bounding_box()
    assert none_box["y"] >= 0 and none_box["y"] + none_box["height"] <= viewport["height"]
    assert page.is_visible("#none-state")  # the summary says it too, above the filters
    assert page.errors == []


def test_choosing_an_area_draws_its_outline_and_keeps_its_hotspots(
    open_page, gazetteer_loaded, artifacts, django_user_model
):
    page = open_page(DESKTOP, "en")
    _map_ready(page)
    outlines = page.locator("#map .leaflet-boundaries-pane path").count()
    page.fill("#place", "port-au-prince")
    page.locator("#place-results button[data-kind=commune]", has_text="Port-au-Prince").first.click()
    page.wait_for_selector("#area-note")
    assert page.locator("#map .leaflet-boundaries-pane path").count() == outlines + 1
    assert "area=HT0111" in page.url
    # Solino is in Port-au-Prince, the airport in Tabarre: the list keeps Solino's updates only.
    solino = sorted(
        str(u.pk)
        for u in Update.objects.filter(mentions__hotspot__slug="solino", published_at__gte=ago(days=7))
    )
    page.wait_for_function(
        "(ids) => JSON.stringify([...document.querySelectorAll('#update-list li')]"
        ".map((i) => i.dataset.id).sort()) === JSON.stringify(ids)",
        arg=solino,
    )
    assert "Kenyan officers arrived" not in page.inner_text("#update-list")
    in_view = page.eval_on_selector_all("#in-view-list button", "(items) => items.map((i) => i.dataset.slug)")
    inside = set(area_hotspots(django_user_model.objects.get(username="analyst"), "HT0111"))
    assert "solino" in in_view and set(in_view) <= inside and "tlia" not in in_view
    page.screenshot(path=str(artifacts / "field-area.png"))
    # The List link keeps the area.
    page.click(".site-nav a:has-text('List')")
    page.wait_for_url(re.compile(r"/updates/"))
    assert parse_qs(urlsplit(page.url).query)["area"] == ["HT0111"]
    assert "Solino" in page.inner_text("#update-list") and "Kenyan officers" not in page.inner_text(
        "#update-list"
    )
    assert page.errors == []


def test_choosing_a_town_flies_the_map_there(open_page, gazetteer_loaded):
    page = open_page(DESKTOP, "en")
    _map_ready(page)
    page.fill("#place", "Coeur Droit")
    page.locator("#place-results button[data-kind=place]", has_text="Coeur Droit").first.click()
    page.wait_for_function(
        "() => { const m = window.__maps.find((m) => m.getContainer().id === 'map');"
        " return m.getZoom() >= 14 && Math.abs(m.getCenter().lat - 18.5167) < 0.01; }"
    )


# -- 4. place names without tiles ---------------------------------------------------------------------


@pytest.mark.parametrize(("size", "viewport", "language"), [SIZES[0], SIZES[1]])
def test_place_names_are_drawn_without_tiles_and_no_tile_is_asked_for(
    open_page, live_server, gazetteer_loaded, artifacts, size, viewport, language
):
    page = open_page(viewport, language)
    _map_ready(page)
    page.wait_for_selector(".place-name-departments")
    departments = page.locator(".place-name-departments").all_text_contents()
    assert "Ouest" in departments or "Artibonite" in departments
    _no_overlapping_names(page)
    # Closer in (zoom 13 over Port-au-Prince): communes and towns, thinned to what fits.
    page.evaluate(
        "() => window.__maps.find((m) => m.getContainer().id === 'map')"
        ".setView([18.53, -72.33], 13, {animate: false})"
    )
    page.wait_for_selector(".place-name-places")
    assert "Port-au-Prince" in page.locator(".place-name-communes").all_text_contents()
    _no_overlapping_names(page)
    page.screenshot(path=str(artifacts / f"field-names-{size}.png"))
    # Every request went to the portal itself: no tile server, no tile.
    assert [url for url in page.requests if not url.startswith(live_server.url)] == []
    assert not [url for url in page.requests if re.search(r"/\d+/\d+/\d+\.(png|jpg|pbf)", url)]
    assert page.errors == []


def _no_overlapping_names(page):
    boxes = [b for b in (n.bounding_box() for n in page.locator(".place-name span").all()) if b]
    assert boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b), (a, b)


# -- 5. exports -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "viewport", "language"), [SIZES[0], SIZES[2]])
def test_the_map_downloads_exactly_the_updates_its_filters_show(open_page, size, viewport, language):
    page = open_page(viewport, language, "/?period=30d&kind=security_operation")
    _map_ready(page)
    page.wait_for_function("() => document.querySelectorAll('#update-list li').length === 3")
    shown = sorted(page.eval_on_selector_all("#update-list li", "(items) => items.map((i) => i.dataset.id)"))
    assert page.is_visible("#export-csv") and page.is_visible("#export-hxl")
    assert page.evaluate(OUTSIDE_VIEWPORT, "#exports a") == []
    rows = _csv(page, page.get_attribute("#export-csv", "href"))
    assert sorted(r["id"] for r in rows) == shown
    assert {r["kind"] for r in rows} == {"security_operation"}
    hxl = _csv(page, page.get_attribute("#export-hxl", "href"))
    assert hxl[0]["id"] == "#meta+id" and sorted(r["id"] for r in hxl[1:]) == shown
    geojson_href = page.get_attribute("#export-geojson", "href")
    assert "page_size" not in geojson_href  # streamed whole, however many updates match
    geojson = json.loads(page.request.get(urljoin(page.url, geojson_href)).text())
    assert sorted(str(f["id"]) for f in geojson["features"]) == shown
    # Another filter, other downloads.
    if viewport["width"] < 800:
        page.click("#sheet-toggle")
    page.check("input[name=kind][value='incident']")
    page.wait_for_function("() => document.querySelector('#export-csv').href.includes('kind=incident')")
    assert {r["kind"] for r in _csv(page, page.get_attribute("#export-csv", "href"))} <= {
        "security_operation",
        "incident",
    }
    assert page.errors == []


def test_the_list_downloads_exactly_its_filters(open_page):
    page = open_page(DESKTOP, "fr", "/updates/?period=7d&kind=incident")
    rows = _csv(page, page.get_attribute("#export-csv", "href"))
    shown = sorted(page.eval_on_selector_all("#update-list li", "(items) => items.map((i) => i.dataset.id)"))
    assert shown and sorted(r["id"] for r in rows) == shown
    assert "hxl" in page.get_attribute("#export-hxl", "href")
    page.goto(page.url.split("?")[0] + "?place=Atlantis")
    assert page.is_hidden("#exports")  # nothing kept: nothing to download, not everything


def _csv(page, url):
    response = page.request.get(urljoin(page.url, url))
    assert response.ok, response.status
    return list(csv.DictReader(io.StringIO(response.text())))


# -- 7. keyboard and screen readers ------------------------------------------------------------------


@pytest.mark.parametrize(("size", "viewport", "language"), [SIZES[0], SIZES[1]])
def test_the_map_controls_come_early_and_hotspots_in_view_are_reachable_by_keyboard(
    open_page, size, viewport, language
):
    page = open_page(viewport, language)
    _map_ready(page)
    page.locator("body").focus()
    presses = 0
    while presses < 20:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("() => !!document.activeElement.closest('.leaflet-control-zoom-in')"):
            break
    assert presses < 20, "the zoom control is not among the first 20 Tab stops"
    # The hotspots in view are buttons: Enter opens the details, with the focus on their title.
    first = page.locator("#in-view-list button").first
    name = first.inner_text().split(" · ")[0]
    if viewport["width"] < 800:
        page.click("#sheet-toggle")
    first.focus()
    page.keyboard.press("Enter")
    title = page.locator(".popup-title").first
    title.wait_for()
    assert name in title.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('popup-title')")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('#in-view-list')")
    assert page.errors == []


@pytest.mark.parametrize(("size", "viewport", "language"), [SIZES[0], SIZES[1]])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/updates/?period=30d",
        "/hotspots/tlia/",
        "/dashboard/",
        "/briefing/",
        "/notifications/",
        "/notifications/preferences/",
    ],
)
def test_axe_core_finds_no_serious_violation(open_page, size, viewport, language, path):
    page = open_page(viewport, language, path)
    if path == "/":
        _map_ready(page)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# -- 9. filters kept, summary and "none" above the filters, a legend that covers nothing ------------


def test_filters_are_kept_across_map_list_and_dashboard_links(open_page):
    page = open_page(DESKTOP, "en", "/?period=30d")
    _map_ready(page)
    page.check("input[name=kind][value='training']")
    page.wait_for_function(
        "() => document.querySelector('.site-nav a[href*=\"/updates/\"]').href.includes('kind=training')"
    )
    page.click(".site-nav a:has-text('List')")
    page.wait_for_url(re.compile(r"/updates/\?"))
    assert page.is_checked("input[name=kind][value='training']") and page.is_checked("input[value='30d']")
    page.click(".site-nav a:has-text('Dashboard')")
    page.wait_for_url(re.compile(r"/dashboard/\?"))
    page.click(".site-nav a:has-text('Map')")
    page.wait_for_url(re.compile(r"/\?"))
    _map_ready(page)
    assert page.is_checked("input[name=kind][value='training']") and page.is_checked("input[value='30d']")


@pytest.mark.parametrize(("size", "viewport", "language"), [SIZES[0], SIZES[1]])
def test_summary_and_none_state_sit_above_the_filters(open_page, size, viewport, language):
    page = open_page(viewport, language, "/?period=24h&kind=humanitarian")
    page.wait_for_selector("#map[data-state=ready]")
    page.wait_for_selector("#none-state:not([hidden])")
    if viewport["width"] < 800:
        page.click("#sheet-toggle")
    assert _box(page, "#summary")["y"] < _box(page, "#filters")["y"]
    assert _box(page, "#none-state")["y"] < _box(page, "#filters")["y"]
    none = _box(page, "#none-state")
    assert none["y"] + none["height"] <= viewport["height"]
    page.goto(page.url.replace("/?", "/updates/?"))
    assert _box(page, "#summary")["y"] < _box(page, "#filters")["y"]
    assert page.is_visible("#none-state")


@pytest.mark.parametrize(("size", "viewport", "language"), [SIZES[0], SIZES[1]])
def test_longer_periods_count_what_is_older_than_a_month(open_page, size, viewport, language):
    # The data's oldest update is 25 days old; one from two months ago counts only in 90 days.
    update_at([Hotspot.objects.get(slug="pont-sonde")], ago(days=60), text="Two months ago")
    page = open_page(viewport, language, "/?period=30d")
    _map_ready(page)
    page.wait_for_function("() => document.querySelector('#summary').dataset.updates !== undefined")
    in_30 = int(page.eval_on_selector("#summary", "(el) => el.dataset.updates"))
    page.goto(page.url.replace("period=30d", "period=90d"))
    _map_ready(page)
    if viewport["width"] < 800:
        page.click("#sheet-toggle")
    assert page.is_checked("input[value='90d']")
    page.wait_for_function(
        f"() => Number(document.querySelector('#summary').dataset.updates) === {in_30 + 1}"
    )
    page.goto(page.url.replace("period=90d", "period=1y").replace("/?", "/updates/?"))
    assert page.is_checked("input[value='1y']") and "Two months ago" in page.inner_text("#update-list")


def test_the_legend_covers_no_part_of_the_map(open_page):
    page = open_page(DESKTOP, "en")
    _map_ready(page)
    page.wait_for_selector("#legend-items li")
    assert not _overlap(_box(page, "#legend"), _box(page, "#map"))


# -- 6. the weekly briefing, printed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "incidents"), [("en", "Briefing", "Incident"), ("fr", "Synthèse", "Incident")]
)
def test_the_briefing_prints_to_a_clean_a4_pdf(open_page, artifacts, language, title, incidents):
    page = open_page(DESKTOP, language, "/briefing/?period=30d")
    # The map of the most active hotspots: one circle and one name each.
    page.wait_for_selector("#briefing-map[data-points]")
    points = int(page.get_attribute("#briefing-map", "data-points"))
    assert points == page.locator("#top-hotspots tbody tr").count() > 0
    assert page.locator("#briefing-map .leaflet-overlay-pane path").count() == points
    page.emulate_media(media="print")
    assert page.is_hidden(".site-header") and page.is_hidden(".briefing-filters")
    pdf = page.pdf(format="A4", print_background=False)
    (artifacts / f"briefing-{language}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width == pytest.approx(595.3, abs=2) and height == pytest.approx(841.9, abs=2)  # A4 in points
    # NFKC: the PDF's ligatures ("ﬁ") read as their letters.
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))
    assert title in text and incidents in text and "Solino" in text
    assert "Pont-Sondé" in text or "Pont-Sonde" in text
    assert "Sign out" not in text and "Se déconnecter" not in text  # no header, no controls
