"""RSS 2.0 and Atom parser: ids, plain text, UTC dates, bozo feeds kept, non-feeds refused."""

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingestion.parsers import rss
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
        ("entry 4", "duplicate id mss-news-101 also at entry 1; the first copy was kept"),
    ]
    assert [error.code for error in result.errors] == ["invalid", "duplicate"]
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


def test_external_entity_is_not_read_from_disk():
    feed = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b'<rss version="2.0"><channel><item><guid>1</guid><title>a &x; b</title></item></channel></rss>'
    )
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"

    result = rss.parse(feed)

    assert all(hostname not in post.text for post in result.posts)


def test_html_to_text_keeps_paragraphs_and_unescapes_entities():
    assert rss.html_to_text("<p>a &amp; b</p><p>c&#233;<br>d</p>") == "a & b\n\ncé\nd"
    assert rss.html_to_text("<style>p{}</style>plain") == "plain"
