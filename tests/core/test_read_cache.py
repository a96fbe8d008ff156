"""The read cache: one answer per releasability level, computed again after any write."""

import pytest
from django.core.cache import cache

from core import read_cache

pytestmark = pytest.mark.django_db


class Computes:
    """A compute function that counts its calls and answers with the call's number."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"answer": self.calls}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_readers_at_the_same_levels_share_an_answer(make_user):
    compute = Computes()
    members = [make_user("analyst"), make_user("reporter"), make_user("approver")]
    answers = [read_cache.cached("test", user, ({"a": "1"},), compute) for user in members]
    assert compute.calls == 1 and answers == [{"answer": 1}] * 3
    # A partner reads at another level; other parameters are another question.
    assert read_cache.cached("test", make_user("partner"), ({"a": "1"},), compute) == {"answer": 2}
    assert read_cache.cached("test", members[0], ({"a": "2"},), compute) == {"answer": 3}


def test_a_write_makes_the_answer_computed_again(make_user):
    analyst, compute = make_user("analyst"), Computes()
    assert read_cache.cached("test", analyst, (), compute) == {"answer": 1}
    assert read_cache.cached("test", analyst, (), compute) == {"answer": 1}
    read_cache.bump()
    assert read_cache.cached("test", analyst, (), compute) == {"answer": 2}


def test_an_answer_read_while_another_reader_computes_one_is_current(make_user):
    # Readers never wait for one another, nor are given an answer from before the last write: a
    # reader who has just saved a record sees it counted on the next request, whatever else is being
    # computed at that moment (the map, reloaded after a write, while the hotspot list is computed).
    analyst, computes = make_user("analyst"), {"map": Computes(), "list": Computes()}
    for name, compute in computes.items():
        read_cache.cached(name, analyst, (), compute)
    read_cache.bump()

    def slowly():
        seen_meanwhile.append(read_cache.cached("map", analyst, (), computes["map"]))
        return computes["list"]()

    seen_meanwhile = []
    assert read_cache.cached("list", analyst, (), slowly) == {"answer": 2}
    assert seen_meanwhile == [{"answer": 2}]
    assert read_cache.cached("map", analyst, (), computes["map"]) == {"answer": 2}
    assert [c.calls for c in computes.values()] == [2, 2]


def test_a_failed_computation_leaves_the_next_reader_free_to_compute(make_user):
    analyst, compute = make_user("analyst"), Computes()
    read_cache.cached("test", analyst, (), compute)
    read_cache.bump()

    def fails():
        raise ValueError("a filter refused")

    with pytest.raises(ValueError):
        read_cache.cached("test", analyst, (), fails)
    assert read_cache.cached("test", analyst, (), compute) == {"answer": 2}


def test_without_the_cache_answers_are_computed(unreachable_cache, make_user):
    analyst, compute = make_user("analyst"), Computes()
    assert read_cache.cached("test", analyst, (), compute) == {"answer": 1}
    assert read_cache.cached("test", analyst, (), compute) == {"answer": 2}
