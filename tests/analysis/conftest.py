"""The pages' tests: translations compiled once, and fresh throttle counts for the map's data."""

import pytest
from django.core.cache import cache

from tests.analysis.helpers import ensure_translations


@pytest.fixture(scope="session", autouse=True)
def _translations():
    ensure_translations()


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()
