"""Real feeds from feedparser's test suite (tests/data/ingestion/feeds/LICENSE-NOTE.md), read as an
uploaded file is: DOCTYPEs, RSS 0.91, RSS 1.0 (RDF), RSS 2.0, Atom 1.0, a Greek date, a 15-entry blog;
and a French publisher's DOCTYPE feed polled from a real HTTP server on loopback."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingestion import services
from ingestion.models import Post, Source
from ingestion.parsers.detect import parse_file
from tests.support.fake_servers import FakeFeedServer

FEEDS = Path(__file__).resolve().parents[1] / "data" / "ingestion" / "feeds"
SAMPLES = sorted(path.name for path in FEEDS.glob("*.xml"))
# An item or entry element, with or without a namespace prefix (<rss:item ...>), but not <items>.
ENTRY = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s>]")


def read(name: str):
    return parse_file((FEEDS / name).read_bytes(), name=name)


def test_the_samples_are_all_here():
    assert len(SAMPLES) == 10


@pytest.mark.parametrize("name", SAMPLES)
def test_every_entry_of_a_real_feed_is_a_post_or_a_reported_error(name):
    result = read(name)

    entries = len(ENTRY.findall((FEEDS / name).read_bytes()))
    assert len(result.posts) + len(result.errors) == entries
    assert "warning" not in result.meta  # each is a feed feedparser reads as well-formed
    for post in result.posts:
        assert post.text.strip()
        assert post.published_at is not None
        assert post.warnings == ()


def test_netscape_rss_091_with_its_doctype_is_read_as_a_feed():
    result = read("rss_version_091_netscape.xml")

    assert result.meta["format"] == "rss091n"
    assert result.posts == result.errors == []


def test_rss_behind_an_xhtml_doctype_is_read_as_a_feed_not_refused_as_html():
    result = read("always_strip_doctype.xml")

    assert result.meta["format"] == "rss"
    assert result.meta["title"] == "found"


def test_rdf_feed_whose_doctype_declares_entities_is_read():
    result = read("doctype_contains_entity_decl.xml")

    assert result.meta["format"] == "rss10"
    assert result.posts == result.errors == []


def test_an_entity_declared_in_the_doctype_is_expanded_in_the_id_and_an_empty_item_is_reported():
    result = read("entity_in_doctype.xml")

    assert result.meta["format"] == "rss20"
    [error] = result.errors
    assert (error.position, error.external_id, error.message) == (
        "entry 1",
        "tag:example.com,2006-05-04:/blog/",
        "entry has no title, summary or content",
    )


def test_rss_10_item_id_is_its_rdf_about_with_text_date_author_and_language():
    result = read("rss1.0withModules.xml")

    assert result.meta["format"] == "rss10"
    assert result.meta["title"] == "RSS Tests - RSS 1.0"
    [post] = result.posts
    assert post.external_id == "http://www.pocketsoap.com/weblog/rssTests/rss1.0withModules.xml#1"
    assert post.url == post.external_id
    assert post.text == (
        "Test Item - RSS 1.0\n\nThis is a fairly standard RSS 1.0 feed with a few modules, with no "
        "localname clashes, any aggregator that supports RSS 1.0 should handle this fine (RSS 1.0)"
    )
    assert post.published_at == datetime(2002, 9, 28, 20, 1, 19, tzinfo=UTC)  # dcterms:modified
    # The item names no creator: the channel's dc:creator is the author.
    assert post.author == "sf@zaks.demon.co.uk"
    assert post.language == "en"  # the channel's dc:language en-gb


def test_rss_10_text_is_the_rss_description_not_a_foreign_one_with_the_same_local_name():
    [post] = read("rss1.0withModulesNoDefNSLocalNameClash.xml").posts

    assert post.text == "Test Item - RSS 1.0 no Default NS, localName clashes\n\ncorrect description"
    assert post.external_id.endswith("rss1.0withModulesNoDefNSLocalNameClash.xml#1")


def test_rss_20_item_without_a_guid_is_identified_by_its_link():
    result = read("rss2.0noNSwithModules.xml")

    assert result.meta["format"] == "rss20"
    [post] = result.posts
    assert post.external_id == "http://www.pocketsoap.com/weblog/rssTests/rss2.0noNSwithModules.xml"
    assert post.text.startswith("Test Item - RSS 2.0 no NS\n\nThis is a fairly standard RSS 2.0 feed")
    assert post.text.endswith("(RSS 2.0 no NS)")
    assert post.published_at == datetime(2002, 9, 28, 20, 1, 19, tzinfo=UTC)
    assert post.author == "sf@zaks.demon.co.uk"


BLOGGER_ID = "tag:blogger.com,1999:blog-893591374313312737.post-4788628857625737701"


def test_blogger_atom_entry_gives_id_text_url_author_and_utc_date():
    result = read("atomthreadingwithentry.xml")

    assert result.meta["format"] == "atom10"
    [post] = result.posts
    assert post.external_id == BLOGGER_ID
    assert post.text == "bloffo bliff by te..."  # the title is the start of the content: once
    assert post.url == (
        "http://salmon-test.blogspot.com/2009/10/test-post.html?showComment=1260320342544#c4788628857625737701"
    )
    assert post.author == "John"  # the name, not "John (noreply@blogger.com)"
    assert post.published_at == datetime(2009, 12, 9, 0, 59, 2, tzinfo=UTC)  # 16:59:02.544-08:00


def test_an_updated_atom_entry_keeps_its_id_and_its_published_time_and_gives_the_new_text():
    original = (FEEDS / "atomthreadingwithentry.xml").read_bytes()
    entry_updated = b"<updated>2009-12-08T16:59:02.544-08:00</updated><title"
    assert original.count(entry_updated) == 1
    updated = original.replace(
        entry_updated, b"<updated>2009-12-10T09:00:00.000-08:00</updated><title"
    ).replace(b"bloffo bliff by &lt;a", b"Corrected: bloffo bliff by &lt;a")

    before = parse_file(original).posts[0]
    after = parse_file(updated).posts[0]

    assert after.external_id == before.external_id == BLOGGER_ID
    assert before.text == "bloffo bliff by te..."
    assert after.text == "bloffo bliff by te...\n\nCorrected: bloffo bliff by te..."
    assert after.published_at == before.published_at  # the event time stays the first report's
    assert after.raw["updated_parsed"] == "2009-12-10T17:00:00Z"


def test_a_movable_type_blog_gives_all_fifteen_entries_with_ids_dates_authors_and_plain_text():
    data = (FEEDS / "large_atom_feed_that_needs_css_sanitisation.xml").read_bytes()

    result = parse_file(data, name="touchnokia.xml")

    ids = [
        match.decode()
        for match in re.findall(rb"<entry>\s*<title>[^<]*</title>\s*<link[^>]*/>\s*<id>([^<]+)", data)
    ]
    assert len(ids) == 15
    assert [post.external_id for post in result.posts] == ids
    assert result.errors == []
    first = result.posts[0]
    assert first.text.startswith(
        "Невидимая броня для Вашего Nokia 5800\n\nНевидимая броня для Вашего девайса."
    )
    assert first.url == "http://touchnokia.ru/2009/09/nevidimaja-bronja-dlja-vashego-nokia-5800.html"
    # <published> 2009-09-09 wins over the entry's earlier <updated> 2009-04-08.
    assert first.published_at == datetime(2009, 9, 9, 14, 19, 45, tzinfo=UTC)
    assert {post.author for post in result.posts} == {"iPod"}
    assert {post.language for post in result.posts} == {"ru"}  # xml:lang is only on <content>
    for post in result.posts:
        assert datetime(2009, 5, 1, tzinfo=UTC) < post.published_at < datetime(2009, 10, 1, tzinfo=UTC)
        assert "<" not in post.text and "text-align" not in post.text  # markup and CSS dropped


def test_a_greek_date_in_iso_8859_7_is_read():
    result = read("http_high_bit_date.xml")

    assert result.meta["format"] == "rss20"
    # <pubDate>Τρι, 29 Ιούν 2004 12:53:00 GMT</pubDate>, in the encoding the declaration names
    assert result.meta["updated"] == "2004-06-29T12:53:00Z"
    assert result.posts == result.errors == []


# --- A French publisher's feed polled over HTTP ---------------------------------------------------

NOUVELLISTE = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- page générée le 17/09/2020 -->
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91">
<channel>
<title>Actualités</title>
<link>https://journal.example.ht/</link>
<description>Les dernières nouvelles</description>
<language>fr</language>
<item>
<title>Patrouille conjointe à Solino</title>
<link>https://journal.example.ht/articles/1</link>
<description>Des agents de la PNH et de la MSS ont patrouillé à Solino.</description>
<pubDate>jeu., 17 sept. 2020 10:00:00 +0200</pubDate>
</item>
<item>
<title>Distribution de kits à Champ de Mars</title>
<link>https://journal.example.ht/articles/2</link>
<pubDate>mardi 15 décembre 2020 09:30 -0500</pubDate>
</item>
<item>
<title>Nouvelles de la semaine</title>
<link>https://journal.example.ht/articles/3</link>
<pubDate>la semaine dernière</pubDate>
</item>
<item>
<title>Archive</title>
<link>https://journal.example.ht/articles/4</link>
<pubDate>ven., 31 déc. 1999 18:00:00 +0000</pubDate>
</item>
</channel>
</rss>
"""
LATIN_1 = "text/xml; charset=ISO-8859-1"


@pytest.mark.django_db
def test_a_french_doctype_feed_is_polled_over_http_and_stored_with_its_dates():
    with FakeFeedServer(NOUVELLISTE.encode("iso-8859-1"), content_type=LATIN_1) as server:
        source = Source.objects.create(name="journal", kind="rss", target=server.feed_url())
        stats = services.source_poll(source=source)

    assert (stats.new, stats.failed) == (3, 1)
    posts = {post.url.rsplit("/", 1)[1]: post for post in Post.objects.filter(source=source)}
    assert (
        posts["1"].text
        == "Patrouille conjointe à Solino\n\nDes agents de la PNH et de la MSS ont patrouillé à Solino."
    )
    assert posts["1"].published_at == datetime(2020, 9, 17, 8, 0, tzinfo=UTC)
    assert posts["2"].published_at == datetime(2020, 12, 15, 14, 30, tzinfo=UTC)
    assert posts["3"].published_at is None
    assert posts["3"].warnings == ["pubDate 'la semaine dernière' could not be read; the post has no date"]
    assert [error.message for error in stats.errors] == [
        "pubDate 1999-12-31 18:00 UTC is before 2000-01-01: the portal accepts no earlier date"
    ]
    assert {post.language for post in posts.values()} == {"fr"}


@pytest.mark.django_db
def test_a_polled_item_whose_text_changed_stays_one_post_with_the_new_text():
    corrected = NOUVELLISTE.replace("ont patrouillé à Solino.", "ont patrouillé à Solino et Delmas 30.")
    with FakeFeedServer(NOUVELLISTE.encode("iso-8859-1"), content_type=LATIN_1) as server:
        source = Source.objects.create(name="journal", kind="rss", target=server.feed_url())
        services.source_poll(source=source)
        server.set_feed(corrected.encode("iso-8859-1"), content_type=LATIN_1)
        stats = services.source_poll(source=source)

    assert stats.changed == 1
    post = Post.objects.get(source=source, external_id="https://journal.example.ht/articles/1")
    assert post.text.endswith("ont patrouillé à Solino et Delmas 30.")
    assert post.published_at == datetime(2020, 9, 17, 8, 0, tzinfo=UTC)
    assert Post.objects.filter(source=source).count() == 3
