"""X API v2 response parser: posts_dev.json, empty and partial answers, bad records beside good ones,
reposts, quotes, edits and the API's own errors."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingestion.parsers import x_api_v2
from ingestion.parsers.records import MAX_ERROR_RAW_BYTES, MAX_TEXT_BYTES, ParseError
from tests.ingestion.seed_entries import DEV_DATA

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"
POSTS_DEV = DEV_DATA / "posts_dev.json"  # the project's dev posts (tests/data/ingestion/dev)


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def document(*posts: object, **extra: object) -> dict:
    return {"data": list(posts), "meta": {"result_count": len(posts)}, **extra}


@pytest.fixture(scope="module")
def posts_dev_bytes() -> bytes:
    return POSTS_DEV.read_bytes()


def test_posts_dev_parses_as_is_with_its_duplicate_reported(posts_dev_bytes):
    result = x_api_v2.parse(posts_dev_bytes)

    assert len(result.posts) == 24
    assert len({post.external_id for post in result.posts}) == 24
    [error] = result.errors
    assert error.position == "data[24]"
    assert error.external_id == "1815000000000142542"
    assert "duplicate id 1815000000000142542 also at data[5]" in error.message
    assert error.code == "duplicate"
    assert json.loads(error.raw)["id"] == "1815000000000142542"
    assert result.meta["newest_id"] == "1815000000000182137"
    assert result.meta["format"] == "x_api_v2"


def test_posts_dev_long_post_gets_the_note_tweet_text(posts_dev_bytes):
    raw = json.loads(posts_dev_bytes)
    long_post = next(item for item in raw["data"] if "note_tweet" in item)

    post = next(p for p in x_api_v2.parse(posts_dev_bytes).posts if p.external_id == long_post["id"])

    assert post.text == long_post["note_tweet"]["text"]
    assert len(post.text) > len(long_post["text"])


def test_posts_dev_records_carry_author_url_language_and_utc_time(posts_dev_bytes):
    post = x_api_v2.parse(posts_dev_bytes).posts[0]

    assert post.external_id == "1815000000000182137"
    assert post.author == "MSS_Haiti"
    assert post.url == "https://x.com/MSS_Haiti/status/1815000000000182137"
    assert post.language == "en"
    assert post.published_at == datetime(2025, 3, 24, 11, 15, tzinfo=UTC)
    assert post.raw == json.loads(posts_dev_bytes)["data"][0]


def test_bytes_text_and_decoded_input_give_the_same_records():
    body = load("x_timeline_page1.json")

    from_bytes = x_api_v2.parse(body)
    from_text = x_api_v2.parse(body.decode("utf-8"))
    from_dict = x_api_v2.parse(json.loads(body))

    assert from_bytes.posts == from_text.posts == from_dict.posts
    assert from_bytes.meta["next_token"] == "7140dibdnow9c7btw3w29n4v3j4s5n5ilsaaznx6gvrf6"


def test_timeline_page_uses_note_tweet_for_the_full_french_text():
    posts = x_api_v2.parse(load("x_timeline_page1.json")).posts

    assert posts[1].text.endswith("ont été déployés pendant toute la journée.")
    assert posts[1].language == "fr"


def test_empty_answer_has_no_data_key_and_is_not_an_error():
    result = x_api_v2.parse(load("x_search_empty.json"))

    assert result.posts == []
    assert result.errors == []
    assert result.meta["result_count"] == 0


def test_partial_errors_on_a_200_become_api_errors_and_the_posts_are_kept():
    result = x_api_v2.parse(load("x_partial_errors.json"))

    assert [post.external_id for post in result.posts] == ["1815000000000400001"]
    [error] = result.errors
    assert error.code == "api_error"
    assert error.position == "errors[0]"
    assert error.message == (
        "X API error: Not Found Error: Could not find user with id: [1790000000000000099]. "
        "[user 1790000000000000099]"
    )
    assert error.external_id is None  # a user, not a post
    assert json.loads(error.raw)["parameter"] == "author_id"
    assert "api_errors" not in result.meta


def test_author_missing_from_includes_gives_the_generic_status_url():
    post = x_api_v2.parse(load("x_partial_errors.json")).posts[0]

    assert post.author == ""
    assert post.url == "https://x.com/i/web/status/1815000000000400001"


def test_bad_records_become_errors_beside_the_good_ones():
    result = x_api_v2.parse(load("x_bad_records.json"))

    assert [post.external_id for post in result.posts] == [
        "1815000000000500001",
        "1815000000000500008",
        "1815000000000500010",
    ]
    messages = {error.position: error.message for error in result.errors}
    assert messages == {
        "data[1]": "missing id",
        "data[2]": "id must be a string or an integer, got array ['1815000000000500003']",
        "data[3]": "id must be a string or an integer, got boolean True",
        "data[4]": "missing text",
        "data[5]": "text must be a string, got number",
        "data[6]": "created_at 'yesterday' is not an ISO 8601 timestamp",
        "data[8]": "expected a post object, got string",
    }


def test_error_keeps_the_id_when_it_could_be_read():
    errors = {error.position: error for error in x_api_v2.parse(load("x_bad_records.json")).errors}

    assert errors["data[5]"].external_id == "1815000000000500006"
    assert errors["data[1]"].external_id is None
    assert {error.code for error in errors.values()} == {"invalid"}


def test_integer_id_is_read_as_a_string():
    post = x_api_v2.parse(document({"id": 1815000000000500008, "text": "hello"})).posts[0]

    assert post.external_id == "1815000000000500008"


def test_text_over_one_megabyte_is_an_error_and_its_neighbour_is_kept():
    huge = "x" * (MAX_TEXT_BYTES + 1)
    result = x_api_v2.parse(json.dumps(document({"id": "1", "text": huge}, {"id": "2", "text": "fine"})))

    assert [post.external_id for post in result.posts] == ["2"]
    [error] = result.errors
    assert error.position == "data[0]"
    assert "over the 1,000,000-byte limit" in error.message
    assert len(error.raw.encode("utf-8")) <= MAX_ERROR_RAW_BYTES


def test_text_limit_counts_utf8_bytes_not_characters():
    # 400,000 three-byte characters: well under a million characters, over a million bytes.
    result = x_api_v2.parse(document({"id": "1", "text": "é" * 100 + "€" * 400_000}))

    assert result.posts == []
    assert "over the 1,000,000-byte limit" in result.errors[0].message


def test_empty_text_is_an_error():
    result = x_api_v2.parse(document({"id": "1", "text": "   "}))

    assert result.errors[0].message == "text is empty"


def test_malformed_note_tweet_is_an_error_not_a_silent_fallback():
    result = x_api_v2.parse(document({"id": "1", "text": "short", "note_tweet": {"text": 5}}))

    assert result.errors[0].message == "note_tweet.text must be a string, got number"


def test_wrong_lang_type_is_an_error():
    result = x_api_v2.parse(document({"id": "1", "text": "hi", "lang": ["en"]}))

    assert result.errors[0].message == "lang must be a string, got array"


def test_created_at_with_offset_is_converted_to_utc_and_naive_is_taken_as_utc():
    posts = x_api_v2.parse(
        document(
            {"id": "1", "text": "a", "created_at": "2025-03-24T11:15:00-04:00"},
            {"id": "2", "text": "b", "created_at": "2025-03-24T11:15:00"},
        )
    ).posts

    assert posts[0].published_at == datetime(2025, 3, 24, 15, 15, tzinfo=UTC)
    assert posts[1].published_at == datetime(2025, 3, 24, 11, 15, tzinfo=UTC)
    assert all(post.published_at.utcoffset().total_seconds() == 0 for post in posts)


def test_duplicate_of_integer_and_string_id_is_detected():
    result = x_api_v2.parse(document({"id": 7, "text": "same"}, {"id": "7", "text": "same"}))

    assert [post.text for post in result.posts] == ["same"]
    assert result.errors[0].message.startswith("duplicate id 7 also at data[0]")
    assert result.errors[0].code == "duplicate"


def test_a_second_version_of_an_id_is_refused_naming_both_places():
    result = x_api_v2.parse(
        document({"id": "7", "text": "first"}, {"id": "8", "text": "x"}, {"id": "7", "text": "b"})
    )

    assert [post.text for post in result.posts] == ["first", "x"]
    [error] = result.errors
    assert (
        error.message
        == "id 7 appears again at data[2] with different text; the first version (data[0]) was kept"
    )
    assert error.code == "invalid"
    assert error.position == "data[2]"
    assert json.loads(error.raw)["text"] == "b"


def test_text_with_nul_cannot_be_stored_and_is_an_error():
    result = x_api_v2.parse('{"data": [{"id": "1", "text": "a\\u0000b"}]}')

    assert result.posts == []
    assert "cannot be stored" in result.errors[0].message
    assert "\x00" not in result.errors[0].raw


def test_lone_surrogate_anywhere_in_the_post_is_an_error():
    result = x_api_v2.parse('{"data": [{"id": "1", "text": "ok", "entities": {"x": "\\ud800"}}]}')

    assert result.posts == []
    assert "entities.x" in result.errors[0].message


def test_overlong_id_is_an_error():
    result = x_api_v2.parse(document({"id": "9" * 201, "text": "x"}))

    assert "over the 200-character limit" in result.errors[0].message


def test_username_that_is_not_a_handle_is_not_put_in_the_url():
    doc = document(
        {"id": "1", "text": "x", "author_id": "5"},
        includes={"users": [{"id": "5", "username": "../evil?x=1"}]},
    )

    post = x_api_v2.parse(doc).posts[0]

    assert post.url == "https://x.com/i/web/status/1"
    assert post.author == ""


def test_single_post_object_in_data_is_accepted():
    result = x_api_v2.parse({"data": {"id": "1", "text": "one post lookup"}})

    assert [post.external_id for post in result.posts] == ["1"]


def test_only_errors_is_a_valid_answer_with_no_posts():
    result = x_api_v2.parse({"errors": [{"title": "Not Found Error", "detail": "Could not find user"}]})

    assert result.posts == []
    assert [error.message for error in result.errors] == ["X API error: Not Found Error: Could not find user"]


def test_an_error_in_the_older_shape_names_its_code():
    result = x_api_v2.parse({"errors": [{"code": 88, "message": "Rate limit exceeded"}, "odd"]})

    assert [error.message for error in result.errors] == [
        "X API error: Rate limit exceeded (code 88)",
        "X API error: 'odd'",
    ]
    assert [error.position for error in result.errors] == ["errors[0]", "errors[1]"]


def test_an_error_about_a_post_keeps_its_id():
    error = {
        "title": "Not Found Error",
        "detail": "Could not find tweet with referenced_tweets.id: [506694458445152256].",
        "resource_type": "tweet",
        "resource_id": "506694458445152256",
    }

    [record] = x_api_v2.parse({"errors": [error]}).errors

    assert record.external_id == "506694458445152256"
    assert record.message.endswith("[tweet 506694458445152256]")


AUTHOR = {"users": [{"id": "10", "username": "press_ht"}, {"id": "20", "username": "MSS_Haiti"}]}
ORIGINAL_TEXT = "MSS and HNP units cleared the barricades on Route de Frères this morning. " * 5


def repost(**extra: object) -> dict:
    return {
        "id": "2",
        "text": "RT @MSS_Haiti: MSS and HNP units cleared the barricades on Route de Frères this morning. "
        "MSS and…",
        "author_id": "10",
        "referenced_tweets": [{"type": "retweeted", "id": "1"}],
        **extra,
    }


def test_a_repost_gets_the_whole_text_of_the_reposted_post_from_includes():
    original = {
        "id": "1",
        "text": ORIGINAL_TEXT[:140] + "…",
        "note_tweet": {"text": ORIGINAL_TEXT},
        "author_id": "20",
    }

    [post] = x_api_v2.parse(document(repost(), includes={**AUTHOR, "tweets": [original]})).posts

    assert post.text == ORIGINAL_TEXT  # the note_tweet's, not the cut text
    assert post.reposted_id == "1"
    assert post.author == "press_ht"  # who reposted it
    assert post.url == "https://x.com/press_ht/status/2"
    assert post.warnings == ()
    assert post.raw["text"].endswith("…")  # raw stays as received


def test_a_repost_of_a_short_post_takes_its_text():
    original = {"id": "1", "text": "Curfew lifted in Solino &amp; Nazon.", "author_id": "20"}

    [post] = x_api_v2.parse(document(repost(), includes={"tweets": [original]})).posts

    assert post.text == "Curfew lifted in Solino & Nazon."


def test_a_repost_whose_post_is_not_included_keeps_its_own_text_with_a_warning():
    [post] = x_api_v2.parse(document(repost())).posts

    assert post.text.startswith("RT @MSS_Haiti: MSS and HNP")
    assert post.reposted_id == "1"
    assert post.warnings == ("the reposted post 1 is not in includes.tweets: text may be cut",)


def test_a_repost_whose_included_post_has_no_text_keeps_its_own_with_a_warning():
    [post] = x_api_v2.parse(document(repost(), includes={"tweets": [{"id": "1", "text": 5}]})).posts

    assert post.text.startswith("RT @MSS_Haiti")
    assert post.warnings == (
        "the reposted post 1 cannot be read (text must be a string, got number): text may be cut",
    )


def test_a_quote_keeps_its_own_text_and_links_the_quoted_post():
    quote = {
        "id": "3",
        "text": "Confirmed by our teams on the ground.",
        "referenced_tweets": [{"type": "replied_to", "id": "9"}, {"type": "quoted", "id": "1"}],
    }

    [post] = x_api_v2.parse(document(quote, includes={"tweets": [{"id": "1", "text": "other"}]})).posts

    assert post.text == "Confirmed by our teams on the ground."
    assert (post.quoted_id, post.reposted_id) == ("1", "")


def test_edit_history_is_kept_oldest_first():
    post = {"id": "5", "text": "edited", "edit_history_tweet_ids": ["4", 5]}

    [record] = x_api_v2.parse(document(post)).posts

    assert record.edit_ids == ("4", "5")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("referenced_tweets", {"type": "quoted"}, "referenced_tweets must be an array, got object"),
        ("referenced_tweets", ["1"], "referenced_tweets[0] must be an object, got string"),
        ("referenced_tweets", [{"type": "quoted"}], "referenced_tweets[0] needs a type and a post id"),
        ("edit_history_tweet_ids", "4", "edit_history_tweet_ids must be an array, got string"),
        ("edit_history_tweet_ids", [None], "edit_history_tweet_ids must be post ids"),
    ],
)
def test_malformed_references_and_edit_history_are_errors(field, value, message):
    [error] = x_api_v2.parse(document({"id": "1", "text": "a", field: value})).errors

    assert error.message.startswith(message)
    assert error.external_id == "1"


def test_the_author_comes_from_the_post_itself_in_twarc2_flattened_form():
    post = {"id": "1", "text": "a", "author_id": "10", "author": {"id": "10", "username": "press_ht"}}

    assert x_api_v2.parse(document(post)).posts[0].author == "press_ht"


@pytest.mark.parametrize(
    ("created_at", "message"),
    [
        ("1999-12-31T23:59:59.000Z", "created_at 1999-12-31 23:59 UTC is before 2000"),
        ("0001-01-01T00:00:00.000Z", "created_at 0001-01-01 00:00 UTC is before 2000"),
        ((datetime.now(UTC) + timedelta(days=2)).isoformat(), "is more than a day ahead of now"),
    ],
    ids=["1999", "year-1", "two-days-ahead"],  # the same in every process (pytest-xdist)
)
def test_a_post_dated_before_2000_or_ahead_is_refused(created_at, message):
    result = x_api_v2.parse(
        document({"id": "1", "text": "a", "created_at": created_at}, {"id": "2", "text": "b"})
    )

    assert [post.external_id for post in result.posts] == ["2"]
    assert message in result.errors[0].message
    assert result.errors[0].external_id == "1"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty input"),
        (b"not json", "not valid JSON: Expecting value at line 1 column 1"),
        (b'{"data": [1, 2', "not valid JSON"),
        (b"[1, 2]", "the JSON is array, expected an object"),
        (b'{"foo": 1}', "none of the keys data, meta, errors (its keys: foo)"),
        (b'{"data": "x"}', "'data' is string, expected an array of posts"),
        (b'{"meta": []}', "'meta' is array, expected an object"),
        (b'{"data": [], "meta": {"n": NaN}}', "NaN is not a valid JSON value"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_whole_input_failures_raise_parse_error_naming_the_problem(data, expected):
    with pytest.raises(ParseError, match=re.escape(expected)):
        x_api_v2.parse(data)


def test_invalid_utf8_in_the_document_names_the_byte_position():
    with pytest.raises(ParseError, match=r"invalid UTF-8 at byte 52 \(line 1\)"):
        x_api_v2.parse(load("x_invalid_utf8.json"))


def test_utf8_byte_order_mark_is_accepted():
    result = x_api_v2.parse(b"\xef\xbb\xbf" + load("x_search_empty.json"))

    assert result.meta["result_count"] == 0


def test_html_escaping_x_applies_to_text_is_undone_but_raw_is_kept():
    result = x_api_v2.parse(document({"id": "1", "text": "PNH &amp; MSS: 3 &lt; 5 &gt; 2, literal &amp;lt;"}))

    post = result.posts[0]
    assert post.text == "PNH & MSS: 3 < 5 > 2, literal &lt;"
    assert post.raw["text"] == "PNH &amp; MSS: 3 &lt; 5 &gt; 2, literal &amp;lt;"


def test_other_entities_are_left_alone_so_urls_survive():
    text = "see https://example.org/?a=1&para=2&copy=3 &eacute;"

    assert x_api_v2.parse(document({"id": "1", "text": text})).posts[0].text == text


def test_unstorable_value_in_meta_is_a_parse_error():
    with pytest.raises(ParseError, match="'meta' holds a value that cannot be stored at next_token"):
        x_api_v2.parse('{"meta": {"next_token": "a\\u0000b"}}')
