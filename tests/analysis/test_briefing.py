"""The weekly briefing: one period and area, figures linked to their records, honest personnel figures."""

import re

import pytest

from hotspots.models import Hotspot
from tests.analysis.helpers import XSS_TEXT, ago, update_at
from tests.factories import ContingentFactory

pytestmark = pytest.mark.django_db


def deployment(hotspot, when, personnel, *contingents, text="Deployed"):
    """A deployment update at ``hotspot`` giving a personnel figure for ``contingents``."""
    return update_at(
        [hotspot],
        when,
        kind="deployment",
        text=text,
        figures={"personnel": personnel},
        contingents=list(contingents),
    )


@pytest.fixture
def week(analyst):
    solino, tlia = Hotspot.objects.get(slug="solino"), Hotspot.objects.get(slug="tlia")
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    update_at([solino], ago(days=1), kind="incident", text=XSS_TEXT)
    update_at([solino], ago(days=2), kind="incident", text="Shooting near Solino")
    update_at([tlia], ago(days=20), kind="incident", text="Old incident at the airport")
    deployment(tlia, ago(days=5), 400, kenya, text="400 arrived")
    deployment(tlia, ago(days=1), 400, kenya, text="The 400 again")
    return {"solino": solino, "tlia": tlia}


def test_the_briefing_shows_the_week_most_active_hotspots_first(client, analyst, week):
    client.force_login(analyst)
    html = client.get("/briefing/").content.decode()
    assert html.index('data-slug="solino"') < html.index('data-slug="tlia"')
    assert "Shooting near Solino" in html and "Old incident at the airport" not in html
    assert "<img src=x" not in html  # post text escaped
    assert "/updates/?kind=incident" in html or "kind=incident" in html  # the count links to its records


def test_personnel_is_the_latest_figure_never_a_sum(client, analyst, week):
    client.force_login(analyst)
    html = client.get("/briefing/").content.decode()
    table = html.split('id="briefing-personnel"')[1].split("</table>")[0]
    # one row, Kenya's latest figure: the 400 reported twice is never added up to 800
    assert re.findall(r'<th scope="row">(.*?)</th>', table) == ["Kenya"]
    assert re.findall(r'<td class="num">(.*?)</td>', table) == ["400"]


def test_personnel_is_each_contingents_latest_whole_figure(client, analyst, week):
    tlia = week["tlia"]
    jamaica, belize = (
        ContingentFactory(country_code="JM", name="Jamaica"),
        ContingentFactory(country_code="BZ", name="Belize"),
    )
    deployment(tlia, ago(days=4), 24, jamaica)
    deployment(tlia, ago(days=3), 30, jamaica, belize)
    # A figure that is no whole number of people is not reported; the one before it is.
    deployment(tlia, ago(hours=2), "many", belize)
    deployment(tlia, ago(hours=3), True, belize)
    deployment(tlia, ago(hours=4), 0, jamaica)
    client.force_login(analyst)
    html = client.get("/briefing/").content.decode()
    table = html.split('id="briefing-personnel"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(.*?)</th>', table) == ["Belize", "Jamaica", "Kenya"]
    assert re.findall(r'<td class="num">(.*?)</td>', table) == ["30", "30", "400"]


def test_the_briefing_of_an_area_keeps_its_hotspots(client, analyst, week):
    client.force_login(analyst)
    html = client.get("/briefing/", {"area": "HT0111", "period": "30d"}).content.decode()
    assert "Port-au-Prince" in html and 'data-slug="solino"' in html and 'data-slug="tlia"' not in html


@pytest.mark.parametrize(("language", "title"), [("fr", "Synthèse"), ("ht", "Rezime")])
def test_the_briefing_is_translated(client, analyst, week, language, title):
    client.force_login(analyst)
    client.cookies["django_language"] = language
    assert f"<h1>{title}" in client.get("/briefing/").content.decode()
