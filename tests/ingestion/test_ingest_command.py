"""`manage.py ingest_posts`: files in every supported format, bad input, idempotence."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingestion.models import Post, RejectedRecord, Source, Update
from tests.ingestion.seed_entries import DEV_DATA

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"
# The project's dev posts and their expected updates (tests/data/ingestion/dev, see its README).
DEV_POSTS = DEV_DATA / "posts_dev.json"
DEV_GOLD = json.loads((DEV_DATA / "posts_dev_gold.json").read_text(encoding="utf-8"))


@pytest.fixture
def ingest(committed):
    def run(path, *args):
        out = StringIO()
        committed(call_command, "ingest_posts", str(path), *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    return run


def test_the_dev_posts_load_as_they_are(ingest):
    output = ingest(DEV_POSTS)
    # 25 records, one id twice with the same text: a harmless duplicate, not a failure.
    assert "new 24, duplicate 1, changed 0, failed 0" in output
    assert Post.objects.count() == Update.objects.count() == len(DEV_GOLD)
    assert not RejectedRecord.objects.exists()


def test_every_dev_post_gets_the_expected_update(ingest):
    ingest(DEV_POSTS)
    misses = []
    for gold in DEV_GOLD:
        update = Update.objects.get(post__external_id=gold["id"])
        got = {
            "hotspots": sorted({m.hotspot.slug for m in update.mentions.select_related("hotspot")}),
            "kind": update.kind,
            # The dev gold predates arrests and weapons seized as figures: compared on its keys.
            "figures": {
                key: value for key, value in update.figures.items() if key in ("personnel", "trained")
            },
        }
        want = {"hotspots": sorted(gold["hotspots"]), "kind": gold["kind"], "figures": gold["figures"]}
        if got != want:
            misses.append((gold["id"], want, got))
    assert misses == []


def test_ingesting_the_same_file_twice_adds_nothing(ingest):
    ingest(DEV_POSTS)
    before = (Post.objects.count(), Update.objects.count(), list(Update.objects.values_list("id", flat=True)))
    output = ingest(DEV_POSTS)
    assert "new 0, duplicate 25" in output
    after = (Post.objects.count(), Update.objects.count(), list(Update.objects.values_list("id", flat=True)))
    assert after == before


def test_the_long_post_is_stored_with_its_full_text(ingest):
    ingest(DEV_POSTS)
    post = Post.objects.get(external_id="1815000000000000000")
    assert post.text.endswith("and Varreux Fuel Terminal.")
    assert post.raw["note_tweet"]["text"] == post.text


def test_a_mention_records_the_matched_text_and_its_span(ingest):
    ingest(DEV_POSTS)
    update = Update.objects.get(post__external_id="1815000000000063352")
    mention = update.mentions.get()
    assert mention.matched_text == "TLIA"
    assert update.post.text[mention.start : mention.end] == "TLIA"


def test_contingents_named_in_a_post_are_linked(ingest):
    ingest(DEV_POSTS)
    guatemala = Update.objects.get(post__external_id="1815000000000063352")
    assert list(guatemala.contingents.values_list("country_code", flat=True)) == ["GT"]
    kenya = Update.objects.get(post__external_id="1815000000000007919")
    assert list(kenya.contingents.values_list("country_code", flat=True)) == ["KE"]


def test_place_names_that_are_not_hotspots_become_candidates(ingest):
    ingest(DEV_POSTS)
    from ingestion.models import PlaceCandidate

    names = set(PlaceCandidate.objects.values_list("normalised", flat=True))
    assert "cite soleil" in names
    assert "carrefour" in names  # the commune, which is not Carrefour Drouillard


def test_bad_records_are_named_kept_and_the_good_ones_stored(ingest, tmp_path):
    good = {"id": "1", "text": "Patrols continued in Solino."}
    lines = [
        json.dumps(good),
        '{"id": "2", "text": ',  # truncated JSON
        json.dumps({"text": "no id"}),
        json.dumps({"id": "4", "text": "x" * 1_100_000}),
        json.dumps({"id": "5", "text": "Checkpoint at Pont-Sondé."}),
    ]
    path = tmp_path / "posts.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n" + b'{"id": "6", "text": "\xff\xfe"}\n')

    with pytest.raises(CommandError, match=r"4 record\(s\) of .*posts.jsonl could not be read"):
        ingest(path)

    assert sorted(Post.objects.values_list("external_id", flat=True)) == ["1", "5"]
    rejected = RejectedRecord.objects.order_by("position")
    assert [r.position for r in rejected] == ["line 2", "line 3", "line 4", "line 6"]
    assert all(r.origin == str(path) for r in rejected)
    assert rejected.get(position="line 2").raw.startswith('{"id": "2"')


def test_an_unreadable_file_is_a_clear_error(ingest, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some words\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"notes\.txt"):
        ingest(path)
    assert not Post.objects.exists()


def test_a_missing_file_is_a_clear_error(ingest, tmp_path):
    with pytest.raises(CommandError, match=r"cannot be read"):
        ingest(tmp_path / "nope.json")


def test_a_feed_file_is_detected_and_ingested(ingest, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>MSS</title><link>https://mss.example.org/</link><description>d</description>
<item><guid>https://mss.example.org/n/1</guid><title>Patrol in Solino</title>
<link>https://mss.example.org/n/1</link><description>MSS and HNP patrolled Solino.</description>
<pubDate>Mon, 17 Mar 2025 14:15:00 GMT</pubDate></item>
</channel></rss>""",
        encoding="utf-8",
    )
    ingest(feed, "--source", "mission site")
    post = Post.objects.get()
    assert post.source.name == "mission site"
    assert set(post.update.hotspots.values_list("slug", flat=True)) == {"solino"}  # named in title and body


def test_a_file_source_is_third_party_unless_marked_official(ingest, tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": "1", "text": "Patrols continued in Solino."}\n', encoding="utf-8")

    output = ingest(path, "--source", "press capture", "--no-process")

    assert "marked official" not in output
    assert Source.objects.get(name="press capture").is_official is False


def test_official_marks_the_named_source_and_says_so(ingest, tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": "1", "text": "Patrols continued in Solino."}\n', encoding="utf-8")
    Source.objects.create(name="mission export", kind="file", is_official=False)

    output = ingest(path, "--source", "mission export", "--official", "--no-process")

    assert "source mission export marked official" in output
    assert Source.objects.get(name="mission export").is_official is True
    assert Post.objects.get().source.name == "mission export"


def test_without_official_an_existing_source_keeps_its_trust(ingest, tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": "1", "text": "Patrols continued in Solino."}\n', encoding="utf-8")
    Source.objects.create(name="mission export", kind="file", is_official=True)

    ingest(path, "--source", "mission export", "--no-process")

    assert Source.objects.get(name="mission export").is_official is True


def test_a_second_version_of_an_id_in_one_file_is_rejected_and_fails_the_run(ingest, tmp_path):
    lines = [
        {"id": "1", "text": "Checkpoint at Pont-Sondé."},
        {"id": "2", "text": "Patrols continued in Solino."},
        {"id": "1", "text": "Checkpoint at Pont-Sondé."},  # the same again: harmless
        {"id": "1", "text": "Checkpoint at Pont-Sondé lifted."},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    with pytest.raises(CommandError, match=r"1 record\(s\) of .*posts\.jsonl could not be read"):
        ingest(path, "--no-process")

    assert Post.objects.get(external_id="1").text == "Checkpoint at Pont-Sondé."
    rejected = RejectedRecord.objects.get()
    assert rejected.position == "line 4"
    assert rejected.message == (
        "id 1 appears again at line 4 with different text; the first version (line 1) was kept"
    )
    assert json.loads(rejected.raw)["text"] == "Checkpoint at Pont-Sondé lifted."


def test_the_summary_counts_warnings_and_api_errors(ingest, tmp_path):
    page = {
        "data": [
            {
                "id": "1",
                "text": "RT @MSS_Haiti: Patrols continued in So…",
                "referenced_tweets": [{"type": "retweeted", "id": "9"}],
            },
            {"id": "2", "text": "Checkpoint at Pont-Sondé."},
        ],
        "errors": [
            {
                "title": "Not Found Error",
                "detail": "Could not find tweet 9.",
                "resource_type": "tweet",
                "resource_id": "9",
            }
        ],
    }
    path = tmp_path / "capture.jsonl"
    path.write_text(json.dumps(page) + "\n" + json.dumps({**page, "data": [{"id": "3", "text": "x"}]}) + "\n")

    output = ingest(path, "--no-process")

    assert f"{path}: new 3, duplicate 0, changed 0, failed 0, warnings 1, api errors 2" in output
    assert Post.objects.get(external_id="1").warnings == [
        "the reposted post 9 is not in includes.tweets: text may be cut"
    ]
    assert sorted(RejectedRecord.objects.values_list("position", flat=True)) == [
        "line 1 errors[0]",
        "line 2 errors[0]",
    ]


def test_a_large_file_is_stored_in_batches_with_a_progress_bar_by_bytes(ingest, tmp_path, capsys):
    path = tmp_path / "large.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for n in range(700):
            file.write(json.dumps({"id": str(n), "text": f"Patrol {n} in Solino. " + "x" * 1600}) + "\n")

    output = ingest(path, "--no-process")

    assert "new 700, duplicate 0, changed 0, failed 0" in output
    assert Post.objects.count() == 700
    bar = capsys.readouterr().err
    assert "large.jsonl: 100%" in bar
    assert "1.15M/1.15M" in bar
