"""The Content-Security-Policy in a real browser: the admin's map widget works and nothing is blocked.

The policy has no 'unsafe-inline': django-leaflet's inline map scripts run because the admin
widget gives them the request's nonce. Every `securitypolicyviolation` the page raises is
collected; there must be none, and the widget must show the hotspot's marker.

The browser runs in a thread of its own: Playwright's sync API allows one running instance per
thread, and the e2e suite keeps its own open for the whole session.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hotspots import gazetteer
from hotspots.models import Hotspot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a-long-test-password"
# Runs before any page script (Playwright injects it outside the page's CSP).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _in_browser(scenario):
    """Run ``scenario(page, csp_console)`` in headless Chromium, in a thread of its own."""

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                context = browser.new_context()
                context.add_init_script(COLLECT_VIOLATIONS)
                page = context.new_page()
                console: list[str] = []
                errors: list[str] = []
                page.on(
                    "console",
                    lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
                )
                page.on("pageerror", lambda error: errors.append(str(error)))
                return scenario(page, console, errors)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=180)


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing")
    return _in_browser


def test_the_admin_hotspot_map_works_under_the_policy(live_server, chromium, django_user_model):
    gazetteer.load_hotspots()
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    change_page = f"{live_server.url}/admin/hotspots/hotspot/{Hotspot.objects.get(slug='tlia').pk}/change/"

    def scenario(page, console, errors):
        def violations() -> list[str]:
            return page.evaluate("window.__cspViolations") + console

        response = page.goto(f"{live_server.url}/admin/login/")
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.fill("#id_username", "boss")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        assert violations() == []

        response = page.goto(change_page)
        policy = response.headers["content-security-policy"]
        assert "'nonce-" in policy and "unsafe-inline" not in policy
        # The marker appears only if django-leaflet's inline (nonced) scripts ran.
        page.wait_for_selector("#id_location-map .leaflet-marker-icon", timeout=15_000)
        page.wait_for_load_state("load")
        assert violations() == []
        assert errors == []

        # The collector does see a violation: an inline script without the nonce is refused.
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
            " document.body.appendChild(s); }"
        )
        page.wait_for_function("window.__cspViolations.length > 0", timeout=5_000)
        assert page.evaluate("window.__ran === undefined")
        assert any(v.startswith("script-src") for v in violations())

    chromium(scenario)
