"""The pages as the server renders them: filters from the URL, text escaped, three languages, few queries."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from analysis import pages
from hotspots.choices import AliasLanguage, Confidence, HotspotKind
from hotspots.models import Hotspot
from ingestion.choices import ReviewState, UpdateKind
from operations.choices import OperationKind, Releasability, ReportStatus, TrainingStatus, TrainingTopic
from tests.analysis.helpers import XSS_TEXT, ago, report_at, update_at
from tests.factories import ContingentFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def solino():
    return Hotspot.objects.get(slug="solino")


def test_the_map_page_is_a_frame_for_its_script(client, analyst):
    client.force_login(analyst)
    response = client.get("/?period=30d&kind=incident&contingent=KE")
    html = response.content.decode()
    assert 'id="map"' in html and 'id="map-config"' in html
    assert 'value="30d" checked' in html and 'value="incident" checked' in html
    assert "<script>" not in html.replace(
        '<script nonce="', ""
    )  # only the map's nonce-carrying script inline
    assert 'src="/jsi18n/"' in html


def test_every_module_of_the_map_is_announced_with_the_page(client, analyst):
    """On a slow link each import found only once its importer has arrived costs a round trip
    or more before the markers are drawn (bench/map.py): the page announces them all at once."""
    static = Path(__file__).resolve().parents[2] / "analysis" / "static"
    imported = set()
    for name in re.findall(r'^import .* from "(.+)";$', (static / "map/js/map.js").read_text(), re.M):
        imported.add((static / "map/js" / name).resolve().relative_to(static).as_posix())
    client.force_login(analyst)
    html = client.get("/").content.decode()
    announced = set(re.findall(r'<link rel="modulepreload" href="/static/([^"]+)">', html))
    assert imported - {"map/js/data.js"} <= announced  # data.js is a script of its own, loaded first
    assert "map/js/labels.js" in imported


def test_the_list_follows_the_period(client, analyst, solino):
    update_at([solino], ago(days=2), text="Two days ago at Solino")
    update_at([solino], ago(days=20), text="Twenty days ago at Solino")
    client.force_login(analyst)

    week = client.get("/updates/", {"period": "7d"}).content.decode()
    month = client.get("/updates/", {"period": "30d"}).content.decode()

    assert "Two days ago" in week and "Twenty days ago" not in week
    assert "Two days ago" in month and "Twenty days ago" in month
    assert 'data-updates="1"' in week and 'data-updates="2"' in month


def test_the_list_finds_places_by_alias(client, analyst, solino):
    update_at([solino], ago(days=1), text="At Solino")
    update_at([Hotspot.objects.get(slug="tlia")], ago(days=1), text="At the airport")
    client.force_login(analyst)
    html = client.get("/updates/", {"place": "Ayewopò"}).content.decode()  # a Kreyòl alias of TLIA
    assert "At the airport" in html and "At Solino" not in html


def test_a_place_search_that_finds_nothing_lists_nothing(client, analyst, solino):
    update_at([solino], ago(days=1), text="At Solino")
    client.force_login(analyst)
    response = client.get("/updates/", {"place": "Atlantis"})
    html = response.content.decode()
    assert "No place has that name or alias." in html and "At Solino" not in html
    assert not response.context.get("filter_errors")


def test_a_custom_range_is_whole_days(client, analyst, solino):
    inside = timezone.localtime(ago(days=10)).replace(hour=23, minute=30)
    update_at([solino], inside, text="Late in the evening")
    client.force_login(analyst)
    day = inside.date().isoformat()
    html = client.get("/updates/", {"period": "custom", "from": day, "to": day}).content.decode()
    assert "Late in the evening" in html


def test_post_text_is_escaped_on_the_list(client, analyst, solino):
    update_at([solino], ago(hours=1), text=XSS_TEXT)
    client.force_login(analyst)
    html = client.get("/updates/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html and "<script>alert(1)" not in html


def test_the_hotspot_page_shows_its_details_and_aliases(client, analyst):
    client.force_login(analyst)
    html = client.get("/hotspots/tlia/").content.decode()
    assert "Toussaint Louverture International Airport" in html
    assert "Ayewopò Entènasyonal Tousen Louvèti" in html
    assert 'id="hotspot-config"' in html


def test_a_low_confidence_point_says_so(client, analyst):
    low = Hotspot.objects.filter(confidence="low").first()
    client.force_login(analyst)
    html = client.get(f"/hotspots/{low.slug}/").content.decode()
    assert "Low-confidence location" in html


def test_the_dashboard_carries_its_numbers(client, analyst, reporter, solino):
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    update_at([solino], ago(days=3), kind="deployment", figures={"personnel": 400}, contingents=[kenya])
    update_at([solino], ago(days=9), kind="deployment", figures={"personnel": 200}, contingents=[kenya])
    update_at([solino], ago(days=9), kind="deployment", figures={"personnel": "many"}, contingents=[kenya])
    TrainingRecordFactory(status="completed", trainees_total=40, trainees_women=10, author=reporter)
    TrainingRecordFactory(status="planned", trainees_total=99, author=reporter)
    client.force_login(analyst)
    response = client.get("/dashboard/")
    data = response.context["dashboard_data"]
    # The latest figure, never the sum of every mention (400 + 200 would count one force twice).
    [kenya_row] = data["personnel"]
    assert (kenya_row["code"], kenya_row["personnel"], kenya_row["kind"]) == ("KE", 400, "update")
    assert kenya_row["source"] == "Mission official" and kenya_row["at"].endswith("Z")
    assert response.context["training"].trained_to_date == 40
    assert len(data["weekly"]["weeks"]) == 26
    assert sum(data["weekly"]["updates"]["deployment"]) == 3


def test_the_latest_strength_is_a_report_s_when_it_is_later_than_the_updates(
    client, analyst, approver, solino
):
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    jamaica = ContingentFactory(country_code="JM", name="Jamaica")
    update_at([solino], ago(days=3), kind="deployment", figures={"personnel": 400}, contingents=[kenya])
    later = report_at([solino], ago(days=1), author=approver, status="approved", approved_by=approver)
    later.personnel_deployed = 380
    later.save()
    later.contingents.set([kenya])
    draft = report_at([solino], ago(hours=1), author=approver, status="draft")
    draft.personnel_deployed = 5
    draft.save()
    draft.contingents.set([jamaica])
    client.force_login(analyst)
    rows = {row["code"]: row for row in client.get("/dashboard/").context["dashboard_data"]["personnel"]}
    assert (rows["KE"]["personnel"], rows["KE"]["kind"], rows["KE"]["source"]) == (
        380,
        "report",
        later.reference,
    )
    assert "JM" in rows  # analysts read drafts too: the mission's own records


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Kinds of update"), ("fr", "Types de mise à jour"), ("ht", "Kalite nouvèl")],
)
def test_the_pages_speak_three_languages(client, analyst, language, expected):
    client.force_login(analyst)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    assert expected in html


def test_the_script_strings_come_in_the_chosen_language(client, analyst):
    client.force_login(analyst)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    catalog = client.get("/jsi18n/").content.decode()
    assert "Derni\\u00e8res mises \\u00e0 jour" in catalog or "Dernières mises à jour" in catalog


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/", 12), ("/updates/", 20), ("/dashboard/", 16), ("/hotspots/solino/", 12)],
)
def test_pages_make_few_queries(
    client, analyst, reporter, solino, url, queries, django_assert_max_num_queries
):
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    tlia = Hotspot.objects.get(slug="tlia")
    for n in range(30):
        update_at([solino, tlia], ago(hours=n), contingents=[kenya], text=f"Update {n}")
        report_at([solino], ago(hours=n), author=reporter)
    client.force_login(analyst)
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


# -- sign-in ----------------------------------------------------------------------------------------


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_an_analyst_signs_in_on_the_portals_page(client, analyst):
    response = client.post("/accounts/login/", {"username": analyst.username, "password": "pw-123456789"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_sign_in_asks_for_the_code_of_a_user_who_turned_two_factor_on(client, analyst):
    device = TOTPDevice.objects.create(user=analyst, name="authenticator", confirmed=True)
    without = client.post("/accounts/login/", {"username": analyst.username, "password": "pw-123456789"})
    assert without.status_code == 200
    assert "Enter the current code" in without.content.decode()
    with_code = client.post(
        "/accounts/login/",
        {"username": analyst.username, "password": "pw-123456789", "otp_token": _code(device)},
    )
    assert with_code.status_code == 302
    assert client.get("/").status_code == 200


def test_a_session_that_skipped_the_second_factor_must_sign_in_again(client, analyst):
    TOTPDevice.objects.create(user=analyst, name="authenticator", confirmed=True)
    client.force_login(analyst)  # e.g. a session from before two-factor sign-in was turned on
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_session(client, analyst):
    client.force_login(analyst)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


# -- labels and filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "choices"),
    [
        ("hotspot_kind", HotspotKind),
        ("confidence", Confidence),
        ("alias_language", AliasLanguage),
        ("update_kind", UpdateKind),
        ("review_state", ReviewState),
        ("operation_kind", OperationKind),
        ("report_status", ReportStatus),
        ("releasability", Releasability),
        ("training_topic", TrainingTopic),
        ("training_status", TrainingStatus),
    ],
)
def test_every_choice_has_a_label_on_the_pages(group, choices):
    # The pages' labels are the apps' own choices, in the reader's language (as the admin shows them).
    assert set(pages.LABELS[group]) == set(choices.values)
    with translation.override("fr"):
        for value, text in choices.choices:
            assert pages.label(group, value) == str(text) == pages.labels_for_js()[group][value]
            assert pages.label(group, value) != value


def test_filters_in_the_url_are_read_leniently():
    from django.http import QueryDict

    filters = pages.PageFilters.from_query(
        QueryDict("period=forever&from=2025-13-01&kind=incident&contingent=ke")
    )
    assert filters.period == "7d" and filters.start is None
    assert filters.kinds == ["incident"] and filters.contingents == ["KE"]
    custom = pages.PageFilters.from_query(QueryDict("period=custom&from=2025-03-10&to=2025-03-01"))
    after, before = custom.bounds()
    assert (after.date().isoformat(), (before - after).days) == ("2025-03-01", 10)


def test_a_week_narrows_the_period():
    from django.http import QueryDict

    filters = pages.PageFilters.from_query(
        QueryDict("period=custom&from=2025-03-01&to=2025-03-31&week=2025-03-10")
    )
    after, before = filters.bounds()
    assert after.date().isoformat() == "2025-03-10" and (before - after).days == 7


def test_reporters_see_the_admin_link_and_analysts_do_not(client, analyst, reporter):
    client.force_login(reporter)
    assert "/admin/" in client.get("/").content.decode()
    client.force_login(analyst)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    assert Group.objects.filter(name="analyst").exists()


def test_the_list_shows_who_reposted_an_update_and_escapes_it(client, analyst, solino):
    from tests.factories import PostFactory, SourceFactory

    update = update_at([solino], ago(days=1), text="Patrols at Solino")
    PostFactory(source=SourceFactory(name="Press search"), author="haiti_reporter", repost_of=update.post)
    PostFactory(source=SourceFactory(name="Resident feed"), author=XSS_TEXT, repost_of=update.post)
    client.force_login(analyst)

    html = client.get("/updates/", {"period": "7d"}).content.decode()

    assert "Reposted by haiti_reporter, " in html
    assert XSS_TEXT not in html


def test_the_list_says_reposted_by_in_french_and_kreyol(client, analyst, solino):
    from tests.factories import PostFactory

    update = update_at([solino], ago(days=1), text="Patrols at Solino")
    PostFactory(author="haiti_reporter", repost_of=update.post)
    client.force_login(analyst)
    for language, words in (("fr", "Republié par"), ("ht", "Repataje pa")):
        client.cookies["django_language"] = language
        assert f"{words} haiti_reporter" in client.get("/updates/", {"period": "7d"}).content.decode()


@pytest.mark.parametrize(("period", "days"), [("90d", 90), ("1y", 365)])
def test_longer_periods_are_offered_and_read(client, analyst, solino, period, days):
    update_at([solino], ago(days=days - 2), text="Inside the longer period")
    update_at([solino], ago(days=days + 2), text="Before it")
    client.force_login(analyst)
    page = client.get("/updates/", {"period": period})
    html = page.content.decode()
    assert f'value="{period}" checked' in html
    assert "Inside the longer period" in html and "Before it" not in html
    config = client.get("/", {"period": period}).context["map_config"]
    assert config["periods"][period] == days * 86400


def test_the_list_shows_the_most_active_hotspots_and_all_of_them_when_asked(client, analyst, monkeypatch):
    monkeypatch.setattr("analysis.views.LIST_HOTSPOTS", 2)
    solino, tlia, delmas = (Hotspot.objects.get(slug=slug) for slug in ("solino", "tlia", "delmas"))
    for hotspot, n in ((solino, 3), (tlia, 1), (delmas, 2)):
        for day in range(n):
            update_at([hotspot], ago(days=day + 1))
    client.force_login(analyst)

    html = client.get("/updates/", {"period": "7d"}).content.decode()
    table = html.split('id="hotspot-table"')[1].split("</table>")[0]
    assert re.findall(r'data-slug="([^"]+)"', table) == ["solino", "delmas"]
    more = html.split('id="hotspot-table-more"')[1].split("</p>")[0]
    assert "The 2 most active of 3 hotspots" in more
    link = re.search(r'href="\?([^"]+)"', more).group(1).replace("&amp;", "&")
    assert "period=7d" in link and "hotspots=all" in link

    html = client.get(f"/updates/?{link}").content.decode()
    table = html.split('id="hotspot-table"')[1].split("</table>")[0]
    assert re.findall(r'data-slug="([^"]+)"', table) == ["solino", "delmas", "tlia"]
    assert 'id="hotspot-table-more"' not in html
