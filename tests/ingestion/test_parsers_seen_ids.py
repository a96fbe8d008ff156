"""SeenIds: every id of a large input remembered in a few bytes, a repeat told from a second version."""

from ingestion.parsers.records import SeenIds


def test_the_first_sight_is_remembered_and_a_repeat_with_the_same_text_is_a_duplicate():
    seen = SeenIds()

    assert seen.repeat("7", "text", ordinal=3, position="line 3") is None
    assert seen.repeat("7", "text", ordinal=9, position="line 9") == (
        "duplicate",
        "duplicate id 7 also at line 3; the first copy was kept",
    )


def test_another_text_under_a_seen_id_is_a_second_version_naming_both_places():
    seen = SeenIds(position_of=lambda index: f"data[{index}]")
    seen.repeat("7", "first", ordinal=0, position="data[0]")

    assert seen.repeat("7", "second", ordinal=5, position="data[5]") == (
        "invalid",
        "id 7 appears again at data[5] with different text; the first version (data[0]) was kept",
    )


def test_a_hundred_thousand_ids_are_told_apart_in_under_48_bytes_each():
    seen = SeenIds()
    ids = [str(1_815_000_000_000_000_000 + n * 7919) for n in range(100_000)]

    firsts = [
        seen.repeat(post_id, f"text {post_id}", ordinal=n + 1, position="") for n, post_id in enumerate(ids)
    ]

    assert firsts == [None] * 100_000
    assert len(seen) == 100_000
    assert seen.nbytes <= 100_000 * 48
    # Every id is still found after the table grew, with its own text and line.
    assert seen.repeat(ids[0], f"text {ids[0]}", ordinal=0, position="")[1].endswith(
        "also at line 1; the first copy was kept"
    )
    assert seen.repeat(ids[-1], "changed", ordinal=0, position="line 0")[1].endswith("(line 100000) was kept")
    assert seen.repeat("another", "x", ordinal=0, position="") is None


def test_an_ordinal_beyond_32_bits_is_kept_at_the_largest_one():
    seen = SeenIds()
    seen.repeat("1", "a", ordinal=2**40, position="")

    assert (
        seen.repeat("1", "a", ordinal=1, position="")[1]
        == f"duplicate id 1 also at line {2**32 - 1}; the first copy was kept"
    )
