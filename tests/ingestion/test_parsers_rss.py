"""RSS 2.0, RSS 1.0 and Atom parser: ids, plain text, UTC dates in several languages, DOCTYPEs, bozo feeds
kept, non-feeds refused."""

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.parsers import parse_file, rss
from ingestion.parsers.dates import read_date
from ingestion.parsers.records import ParseError

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def rss_with(*items: str, channel: str = "") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>{channel}'
        f"{body}</channel></rss>"
    ).encode()


def test_rss_sample_gives_posts_and_reports_bad_entries():
    result = rss.parse(load("feed_rss20.xml"))

    assert [post.external_id for post in result.posts] == [
        "mss-news-101",
        "https://mss.example.org/news/graduation",
    ]
    assert [(error.position, error.message) for error in result.errors] == [
        ("entry 3", "entry has neither an id (guid) nor a link"),
        # The same guid with another text: a second version, refused rather than dropped silently.
        (
            "entry 4",
            "id mss-news-101 appears again at entry 4 with different text; "
            "the first version (entry 1) was kept",
        ),
    ]
    assert [error.code for error in result.errors] == ["invalid", "invalid"]
    assert result.meta["format"] == "rss20"
    assert result.meta["title"] == "MSS Haiti news"


def test_rss_text_is_title_plus_full_content_as_plain_text():
    post = rss.parse(load("feed_rss20.xml")).posts[0]

    assert post.text == (
        "Opération à Canaan\n\nLes unités MSS ont sécurisé la RN1 à Canaan.\n\n"
        "150 agents de la PNH & de la MSS ont été déployés."
    )
    assert "alert" not in post.text  # scripts are dropped, not turned into text


def test_rss_fields_url_author_language_and_utc_date():
    first, second = rss.parse(load("feed_rss20.xml")).posts

    assert first.url == "https://mss.example.org/news/canaan-operation"
    assert first.author == "MSS Press Office"
    assert first.language == "fr"  # from the channel's fr-FR, reduced to X's style of code
    assert first.published_at == datetime(2025, 4, 2, 14, 15, tzinfo=UTC)  # 10:15 -04:00
    assert second.text == (
        "Training graduation at the police academy\n\nNinety-five HNP officers graduated today\n"
        "after six weeks of training."
    )


def test_atom_sample_reads_ids_links_html_titles_and_languages():
    first, second = rss.parse(load("feed_atom.xml")).posts

    assert first.external_id == "tag:mss.example.org,2025:updates/cdb-checkpoint"
    assert first.url == "https://mss.example.org/updates/cdb-checkpoint"
    assert first.text == "Checkpoint reopened in Croix-des-Bouquets\n\nTraffic resumes after the operation."
    assert first.author == "MSS Operations"
    assert first.language == "en"
    assert first.published_at == datetime(2025, 4, 3, 6, 30, tzinfo=UTC)  # published, not updated
    assert second.language == "fr"
    assert second.published_at == datetime(2025, 4, 2, 15, 45, tzinfo=UTC)  # only updated given
    assert (
        second.text
        == "Distribution d'eau à Cité Soleil\n\nLes équipes ont distribué de l'eau à 300 familles."
    )


def test_raw_is_json_serialisable_with_dates_as_iso_strings():
    post = rss.parse(load("feed_atom.xml")).posts[0]

    json.dumps(post.raw, allow_nan=False)
    assert post.raw["published_parsed"] == "2025-04-03T06:30:00Z"


def test_not_well_formed_feed_keeps_its_entries_and_warns_in_meta():
    result = rss.parse(load("feed_broken.xml"))

    assert [post.external_id for post in result.posts] == ["broken-1"]
    assert result.meta["warning"].startswith("SAXParseException at line 6 column 19: not well-formed")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty input"),
        (b"   \n", "empty input"),
        (b"hello, this is text", "not an RSS or Atom feed: SAXParseException"),
        (b'{"data": []}', "not an RSS or Atom feed"),
        (b"<!DOCTYPE html><html><body><p>page</p></body></html>", "no rss, feed or RDF root element"),
        (b"<?xml version='1.0'?><root><a>1</a></root>", "no rss, feed or RDF root element"),
    ],
)
def test_input_that_is_not_a_feed_raises_parse_error(data, expected):
    with pytest.raises(ParseError, match=expected):
        rss.parse(data)


def test_empty_channel_is_a_feed_with_no_posts():
    result = rss.parse(rss_with())

    assert result.posts == []
    assert result.errors == []


def test_charset_comes_from_the_response_headers():
    feed = (
        "<rss version='2.0'><channel><item><guid>1</guid><title>Pétion-Ville</title></item></channel></rss>"
    )

    result = rss.parse(
        feed.encode("latin-1"), response_headers={"Content-Type": "text/xml; charset=ISO-8859-1"}
    )

    assert result.posts[0].text == "Pétion-Ville"


def test_title_repeated_at_the_start_of_the_body_is_not_written_twice():
    # Feeds of social posts repeat the (cut) post as the title; figures must not count twice.
    result = rss.parse(
        rss_with(
            "<guid>1</guid><title>200 officers deployed to Solino\u2026</title>"
            "<description>&lt;p&gt;200 officers deployed to Solino this morning.&lt;/p&gt;</description>"
        )
    )

    assert result.posts[0].text == "200 officers deployed to Solino this morning."


def test_guid_that_is_not_a_url_gives_no_url():
    post = rss.parse(rss_with("<guid>abc-1</guid><title>x</title>")).posts[0]

    assert post.external_id == "abc-1"
    assert post.url == ""


def test_entry_with_no_text_is_an_error():
    result = rss.parse(rss_with("<guid>1</guid>"))

    assert result.errors[0].message == "entry has no title, summary or content"
    assert result.errors[0].external_id == "1"


def test_entry_without_a_date_has_none():
    assert rss.parse(rss_with("<guid>1</guid><title>x</title>")).posts[0].published_at is None


def test_entity_expansion_bomb_neither_hangs_nor_expands():
    lol = '<!ENTITY lol "lolololololololololololololololololololololololol">'
    levels = "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 9)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{lol}{levels}]><rss version="2.0"><channel>'
        "<item><guid>1</guid><title>&lol8;</title></item></channel></rss>"
    ).encode()

    started = time.monotonic()
    result = rss.parse(bomb)

    assert time.monotonic() - started < 10
    assert all(len(post.text) < 10_000 for post in result.posts)


def test_external_entity_is_not_read_from_disk(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-of-this-test")
    feed = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "' + secret.as_uri().encode() + b'">]>'
        b'<rss version="2.0"><channel><item><guid>1</guid><title>a &x; b</title></item></channel></rss>'
    )

    result = rss.parse(feed)

    assert all("the-secret-of-this-test" not in post.text for post in result.posts)


def test_html_to_text_keeps_paragraphs_and_unescapes_entities():
    assert rss.html_to_text("<p>a &amp; b</p><p>c&#233;<br>d</p>") == "a & b\n\ncé\nd"
    assert rss.html_to_text("<style>p{}</style>plain") == "plain"


# --- Dates as publishers write them ------------------------------------------------------------


def dated(*pub_dates: str) -> bytes:
    items = [
        f"<guid>{n}</guid><title>item {n}</title><pubDate>{d}</pubDate>" for n, d in enumerate(pub_dates)
    ]
    return rss_with(*items)


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("jeu., 17 sept. 2020 10:00:00 +0200", datetime(2020, 9, 17, 8, 0, tzinfo=UTC)),
        ("lundi 7 décembre 2020 09:30 -0500", datetime(2020, 12, 7, 14, 30, tzinfo=UTC)),
        ("17 sept. 2020 10:00", datetime(2020, 9, 17, 10, 0, tzinfo=UTC)),  # no zone: UTC
        ("mar., 17 mars 2020 10:00:00 +0200", datetime(2020, 3, 17, 8, 0, tzinfo=UTC)),  # mar. = mardi
        ("Sam, 1er août 2020 08:15:00 GMT", datetime(2020, 8, 1, 8, 15, tzinfo=UTC)),
        ("VEN. 4 FÉVR. 2022 7:05 +01:00", datetime(2022, 2, 4, 6, 5, tzinfo=UTC)),
        ("ven 4 fevr 2022", datetime(2022, 2, 4, tzinfo=UTC)),  # without accents or dots
        ("le 3 juil. 2021 à 14h30 HAE", datetime(2021, 7, 3, 18, 30, tzinfo=UTC)),
        ("jedi 17 septanm 2020 10:00 -0400", datetime(2020, 9, 17, 14, 0, tzinfo=UTC)),
        ("3 me 2022", datetime(2022, 5, 3, tzinfo=UTC)),
        ("madi 12 jiyè 2022 08:00", datetime(2022, 7, 12, 8, 0, tzinfo=UTC)),
        ("5 out 2023 08:15 EDT", datetime(2023, 8, 5, 12, 15, tzinfo=UTC)),
        ("12 oktòb 2021", datetime(2021, 10, 12, tzinfo=UTC)),
        ("1 desanm 2024", datetime(2024, 12, 1, tzinfo=UTC)),
        ("jueves, 17 de septiembre de 2020 10:00 GMT+2", datetime(2020, 9, 17, 8, 0, tzinfo=UTC)),
        # English dates are still feedparser's reading ("Mar" is March there).
        ("Tue, 17 Mar 2020 10:00:00 +0200", datetime(2020, 3, 17, 8, 0, tzinfo=UTC)),
    ],
)
def test_pub_date_in_french_creole_or_spanish_is_read_as_utc(pub_date, expected):
    [post] = rss.parse(dated(pub_date)).posts

    assert post.published_at == expected
    assert post.warnings == ()


def test_unreadable_pub_date_keeps_the_post_undated_with_a_warning():
    result = rss.parse(dated("bientôt", "31 févr. 2020 10:00"))

    assert [post.published_at for post in result.posts] == [None, None]
    assert [post.warnings for post in result.posts] == [
        ("pubDate 'bientôt' could not be read; the post has no date",),
        ("pubDate '31 févr. 2020 10:00' could not be read; the post has no date",),
    ]
    assert result.errors == []
    assert result.posts[0].raw["published"] == "bientôt"  # the text is kept as it came


def test_unreadable_pub_date_with_a_readable_dc_date_takes_that_date_and_says_so():
    feed = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><guid>1</guid>'
        b"<title>x</title><pubDate>hier soir</pubDate><dc:date>2021-03-04T05:06:07Z</dc:date></item>"
        b"</channel></rss>"
    )

    [post] = rss.parse(feed).posts

    assert post.published_at == datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert post.warnings == ("pubDate 'hier soir' could not be read; the date is the dc:date",)


def test_date_before_2000_refuses_that_entry_with_a_clear_error():
    result = rss.parse(dated("ven., 31 déc. 1999 22:00:00 +0200", "jeu., 17 sept. 2020 10:00:00 +0200"))

    assert [post.external_id for post in result.posts] == ["1"]
    [error] = result.errors
    assert (error.position, error.external_id, error.code) == ("entry 1", "0", "invalid")
    assert (
        error.message
        == "pubDate 1999-12-31 20:00 UTC is before 2000-01-01: the portal accepts no earlier date"
    )


def test_year_one_read_by_feedparser_is_refused():
    [error] = rss.parse(dated("Mon, 01 Jan 0001 00:00:00 GMT")).errors

    assert (
        error.message
        == "pubDate 0001-01-01 00:00 UTC is before 2000-01-01: the portal accepts no earlier date"
    )


def test_date_more_than_a_day_ahead_refuses_that_entry():
    ahead = datetime.now(UTC) + timedelta(days=3)
    french = f"{ahead.day} {FRENCH_MONTHS[ahead.month - 1]} {ahead.year} 10:00 +0000"

    [error] = rss.parse(dated(french)).errors

    assert error.message.startswith(f"pubDate {ahead:%Y-%m-%d} 10:00 UTC is more than a day ahead of now (")


def test_atom_date_problems_name_the_atom_element():
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a</id><title>t</title>'
        b"<updated>1998-05-06T07:08:09Z</updated></entry></feed>"
    )

    [error] = rss.parse(feed).errors

    assert (
        error.message
        == "updated 1998-05-06 07:08 UTC is before 2000-01-01: the portal accepts no earlier date"
    )


FRENCH_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


# --- DOCTYPE, RSS 1.0 and authors -----------------------------------------------------------------

NETSCAPE_DOCTYPE = (
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
)
RSS_091 = (
    '<rss version="0.91"><channel><title>Le Nouvelliste</title><language>fr</language><item>'
    "<title>Patrouille à Solino</title><link>https://example.org/1</link>"
    "<pubDate>jeu., 17 sept. 2020 10:00:00 +0200</pubDate></item></channel></rss>"
)


@pytest.mark.parametrize(
    "before",
    [
        "",
        "\ufeff",
        '<?xml version="1.0" encoding="utf-8"?>\n',
        "\n\n   ",
        "<!-- generated by a CMS -->\n",
        '\ufeff<?xml version="1.0"?>\n<!-- a -->\n<?xml-stylesheet href="rss.xsl"?>\n<!-- b -->\n',
    ],
)
def test_feed_starting_with_a_doctype_is_detected_and_read(before):
    result = parse_file(f"{before}{NETSCAPE_DOCTYPE}\n{RSS_091}".encode(), name="nouvelliste.xml")

    assert result.meta["format"] == "rss091n"
    [post] = result.posts
    assert (post.external_id, post.text, post.language) == (
        "https://example.org/1",
        "Patrouille à Solino",
        "fr",
    )
    assert post.published_at == datetime(2020, 9, 17, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("doctype", ["<!DOCTYPE rss>", "<!DOCTYPE feed>", "<!doctype rdf:RDF [\n]>"])
def test_doctypes_naming_any_feed_root_are_detected(doctype):
    assert parse_file(f"{doctype}\n{RSS_091}".encode()).posts


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>Le Nouvelliste</title></head></html>",
        "<!-- cache -->\n<!doctype HTML>\n<html lang='fr'></html>",
        '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">\n<html/>',
    ],
)
def test_html_page_with_a_doctype_is_refused_as_an_html_page(page):
    with pytest.raises(
        ParseError, match=r"(?i)^news\.html: starts with '<!doctype html.*: an HTML page, not an RSS"
    ):
        parse_file(page.encode(), name="news.html")


def test_rss_10_item_is_identified_by_rdf_about_and_dated_and_signed_by_dublin_core():
    feed = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://example.org/"><title>Ayiti</title><dc:language>ht</dc:language>'
        "<dc:creator>Desk</dc:creator></channel>"
        '<item rdf:about="urn:ayiti:42"><title>Patwouy nan Solino</title>'
        "<description>200 polisye te deplwaye.</description>"
        "<dc:date>jedi 17 septanm 2020 10:00 -0400</dc:date>"
        "<dc:creator>Jan Pòl</dc:creator><dc:creator>Mari</dc:creator></item>"
        '<item rdf:about="urn:ayiti:43"><title>Lòt</title><dc:date>2021-01-02T03:04:05+01:00</dc:date></item>'
        "</rdf:RDF>"
    ).encode()

    result = parse_file(feed)

    assert result.meta["format"] == "rss10"
    first, second = result.posts
    assert (first.external_id, first.url) == ("urn:ayiti:42", "")
    assert first.text == "Patwouy nan Solino\n\n200 polisye te deplwaye."
    assert first.published_at == datetime(2020, 9, 17, 14, 0, tzinfo=UTC)
    assert first.author == "Jan Pòl, Mari"
    assert first.language == "ht"
    assert (second.external_id, second.author) == ("urn:ayiti:43", "Desk")  # the channel's creator
    assert second.published_at == datetime(2021, 1, 2, 2, 4, 5, tzinfo=UTC)


def test_item_whose_text_changed_between_fetches_keeps_its_guid_or_link_as_id():
    first_fetch = rss_with(
        "<guid isPermaLink='false'>mss-7</guid><title>Patrol in Solino</title>",
        "<link>https://example.org/8</link><title>Aid at Champ de Mars</title>",
    )
    second_fetch = rss_with(
        "<guid isPermaLink='false'>mss-7</guid><title>Patrol in Solino and Delmas 30</title>",
        "<link>https://example.org/8</link><title>Aid at Champ de Mars (corrected)</title>",
    )

    before, after = rss.parse(first_fetch).posts, rss.parse(second_fetch).posts

    assert [post.external_id for post in after] == [post.external_id for post in before]
    assert [post.external_id for post in after] == ["mss-7", "https://example.org/8"]
    assert [post.text for post in after] == [
        "Patrol in Solino and Delmas 30",
        "Aid at Champ de Mars (corrected)",
    ]


def test_updated_atom_entry_gives_the_new_text_under_the_same_id_and_first_published_time():
    old = load("feed_atom.xml")
    new = old.replace(
        b"<updated>2025-04-03T09:00:00Z</updated>", b"<updated>2025-04-04T10:00:00Z</updated>"
    ).replace(b"Traffic resumes after", b"Traffic resumed on Friday after")

    before, after = rss.parse(old).posts[0], rss.parse(new).posts[0]

    assert after.external_id == before.external_id
    assert (
        after.text
        == "Checkpoint reopened in Croix-des-Bouquets\n\nTraffic resumed on Friday after the operation."
    )
    assert after.published_at == before.published_at == datetime(2025, 4, 3, 6, 30, tzinfo=UTC)
    assert after.raw["updated_parsed"] == "2025-04-04T10:00:00Z"


@pytest.mark.parametrize(
    "text",
    [
        "17 mars sept. 2020",  # two months
        "17 sept. 20",  # no four-digit year
        "sept. 2020",  # no day
        "17 sept. 2020 10:00 EST +0200",  # two zones that disagree
        "17 sept. 2020 10:00 +1500",  # no such offset
        "17 sept. 2020 25:00",
        "17 septembre 2020 vers midi",  # words it does not know
        "17/09/2020",  # day and month order cannot be told
    ],
)
def test_a_date_it_cannot_account_for_is_not_guessed(text):
    assert read_date(text) is None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_reading_any_text_as_a_date_gives_utc_or_none(text):
    moment = read_date(text)

    assert moment is None or moment.tzinfo is UTC


def test_a_second_version_of_an_item_in_one_feed_is_refused_naming_both_places():
    result = rss.parse(
        rss_with(
            "<guid>g-1</guid><title>Patrols in Solino</title>",
            "<guid>g-1</guid><title>Patrols in Solino</title>",
            "<guid>g-1</guid><title>Gunfire in Solino</title>",
        )
    )
    assert [p.text for p in result.posts] == ["Patrols in Solino"]
    assert [(e.code, e.position) for e in result.errors] == [("duplicate", "entry 2"), ("invalid", "entry 3")]
    assert "appears again at entry 3 with different text; the first version (entry 1) was kept" in (
        result.errors[1].message
    )
