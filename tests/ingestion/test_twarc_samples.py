"""Real twarc2 captures (DocNow/twarc-csv's test data, tests/data/ingestion/twarc/LICENSE-NOTE.md):
read as they are by the parsers, and ingested by ``manage.py ingest_posts``."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingestion.models import Post, RejectedRecord, Source
from ingestion.parsers import parse_file

TWARC = Path(__file__).resolve().parents[1] / "data" / "ingestion" / "twarc"


def read(name: str):
    return parse_file((TWARC / name).read_bytes(), name=name)


def raw_lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (TWARC / name).read_bytes().splitlines() if line.strip()]


# --- parsers -----------------------------------------------------------------------------------


def test_a_search_page_gives_every_post_with_its_author():
    result = read("media_policy_violation_off.jsonl")

    assert result.meta["format"] == "x_api_v2"
    assert len(result.posts) == 100
    assert result.errors == []
    assert all(post.author for post in result.posts)
    post = next(p for p in result.posts if p.external_id == "1392172798114684928")
    assert post.author == "MariamBarghouti"
    assert post.url == "https://x.com/MariamBarghouti/status/1392172798114684928"


def test_a_cut_retweet_becomes_the_whole_reposted_text():
    [page] = raw_lines("media_policy_violation_off.jsonl")
    cut = next(p for p in page["data"] if p["id"] == "1392172798114684928")
    assert cut["text"].endswith("fits into the pa…")  # as captured

    post = next(p for p in read("media_policy_violation_off.jsonl").posts if p.external_id == cut["id"])

    assert post.reposted_id == "1392166361103691776"
    assert post.text == (
        "Here's how efforts to remove Palestinian families in the Sheikh Jarrah neighborhood of occupied "
        "East Jerusalem fits into the pattern of ongoing colonialism. https://t.co/0OJYJmahLy"
    )
    assert post.warnings == ()


def test_no_retweet_of_the_page_stays_cut():
    [page] = raw_lines("media_policy_violation_off.jsonl")
    retweets = {
        p["id"] for p in page["data"] if any(r["type"] == "retweeted" for r in p.get("referenced_tweets", []))
    }
    cut = {p["id"] for p in page["data"] if p["id"] in retweets and p["text"].endswith("…")}
    assert (len(retweets), len(cut)) == (42, 37)

    posts = [p for p in read("media_policy_violation_off.jsonl").posts if p.external_id in retweets]

    assert len(posts) == 42
    assert all(p.reposted_id for p in posts)
    assert not [p.external_id for p in posts if p.text.endswith("…")]


def test_quotes_keep_their_own_text_and_link_the_quoted_post():
    posts = read("media_policy_violation_off.jsonl").posts
    quote = next(p for p in posts if p.external_id == "1392059378782642183")

    assert quote.quoted_id == "1392039762404511744"
    assert quote.text.startswith("🔥🙏🏽")
    assert sum(bool(p.quoted_id) for p in posts) == 14


def test_flattened_posts_take_their_authors_and_retweet_texts_from_inside():
    result = read("flat.head30.jsonl")

    assert result.meta["format"] == "jsonl"
    assert result.meta["line_kinds"] == {"flattened post": 30}
    assert len(result.posts) == 30
    assert result.errors == []
    assert [p.author for p in result.posts] == [
        line["author"]["username"] for line in raw_lines("flat.head30.jsonl")
    ]
    first = result.posts[0]
    assert first.author == "Alexandravm12"
    assert first.reposted_id == "1380175475545362437"
    assert first.text.endswith("La pandilla del Partido Demócrata hace sentir su regreso.")
    assert sum(bool(p.reposted_id) for p in result.posts) == 14
    assert not [p for p in result.posts if p.reposted_id and p.text.endswith("…")]
    quote = next(p for p in result.posts if p.quoted_id)
    assert (quote.external_id, quote.quoted_id) == ("1380242403009966082", "1380226330034372610")


def test_responses_per_line_are_read_each_with_its_includes_and_their_api_errors_kept():
    result = read("withheld.lines1and3.jsonl")

    assert result.meta["line_kinds"] == {"response": 2}
    assert [(p.external_id, p.author) for p in result.posts] == [
        ("1388424788171841537", "manavjivan"),
        ("506695756406095872", "put_in_vor"),
    ]
    [error] = result.errors
    assert (error.position, error.code, error.external_id) == (
        "line 2 errors[0]",
        "api_error",
        "506694458445152256",
    )
    assert error.message == (
        "X API error: Not Found Error: Could not find tweet with referenced_tweets.id: "
        "[506694458445152256]. [tweet 506694458445152256]"
    )
    assert json.loads(error.raw) == raw_lines("withheld.lines1and3.jsonl")[1]["errors"][0]


def test_stream_output_gives_its_posts_and_names_the_line_cut_short():
    result = read("streaming_output_with_error.jsonl")

    assert result.meta["line_kinds"] == {"stream": 7}
    assert len(result.posts) == 7
    assert result.posts[0].author == "blackheart_265"
    assert result.posts[0].quoted_id == "1377640162566496258"
    [error] = result.errors
    assert error.position == "line 8"
    assert error.message == "not valid JSON: Expecting ',' delimiter at column 45"
    assert error.raw == '{"data": {"author_id": "1021159080151404544"'


def test_an_edited_post_carries_its_history_and_a_quote_its_link():
    [edited] = read("edited.jsonl").posts
    [quote] = read("quoted_edit.jsonl").posts

    assert edited.edit_ids == ("1576994746135764992", "1576994789110992896")
    assert (edited.external_id, edited.author, edited.text) == (
        "1576994789110992896",
        "wongmjane",
        "hey :) https://t.co/rnwEIoNuqd",
    )
    assert quote.quoted_id == "1576994746135764992"
    assert quote.edit_ids == ("1576995594388000768",)


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def ingest(committed):
    def run(name: str, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        committed(
            call_command, "ingest_posts", str(TWARC / name), "--no-process", *args, stdout=out, stderr=err
        )
        return out.getvalue(), err.getvalue()

    return run


@pytest.mark.django_db
def test_a_real_search_page_is_stored_whole_with_reposts_and_quotes_linked(ingest):
    output, _ = ingest("media_policy_violation_off.jsonl")

    assert "new 100, duplicate 0, changed 0, failed 0, warnings 0, api errors 0" in output
    repost = Post.objects.get(external_id="1392172798114684928")
    assert repost.text.endswith("fits into the pattern of ongoing colonialism. https://t.co/0OJYJmahLy")
    assert repost.author == "MariamBarghouti"
    assert repost.reposted_id == "1392166361103691776"
    assert Post.objects.get(external_id="1392059378782642183").quoted_id == "1392039762404511744"
    assert Source.objects.get(name="file import").is_official is False


@pytest.mark.django_db
def test_a_capture_read_twice_is_all_duplicates(ingest):
    ingest("flat.head30.jsonl")

    output, _ = ingest("flat.head30.jsonl")

    assert "new 0, duplicate 30, changed 0, failed 0" in output
    assert Post.objects.count() == 30
    assert Post.objects.filter(author="").count() == 0


@pytest.mark.django_db
def test_a_capture_with_api_errors_is_stored_and_its_errors_kept_without_failing(ingest):
    output, errors = ingest("withheld.lines1and3.jsonl", "--source", "withheld capture")

    assert "new 2, duplicate 0, changed 0, failed 0, warnings 0, api errors 1" in output
    rejected = RejectedRecord.objects.get()
    assert (rejected.position, rejected.external_id) == ("line 2 errors[0]", "506694458445152256")
    assert rejected.source.name == "withheld capture"
    assert rejected.message.startswith("X API error: Not Found Error")
    assert json.loads(rejected.raw)["resource_id"] == "506694458445152256"
    assert "line 2 errors[0]: X API error: Not Found Error" in errors


@pytest.mark.django_db
def test_stream_output_cut_short_stores_its_posts_and_fails_on_the_last_line(ingest):
    with pytest.raises(
        CommandError, match=r"1 record\(s\) of .*streaming_output_with_error\.jsonl could not"
    ):
        ingest("streaming_output_with_error.jsonl")

    assert Post.objects.count() == 7
    assert RejectedRecord.objects.get().position == "line 8"
