"""API test fixtures: a client per role (session or token), and records of every releasability."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from hotspots.models import Hotspot
from tests.accounts.redis_cache import redis_cache  # noqa: F401 - a fixture of these tests
from tests.factories import (
    ContingentFactory,
    OperationReportFactory,
    PostFactory,
    SourceFactory,
    TrainingRecordFactory,
    UpdateFactory,
)

# The roles of the permission matrix, and how each signs in: staff through the browser session or a
# token alike, partners with a token only.
ROLES = ["anonymous", "analyst", "reporter", "approver", "partner", "admin"]
TOKEN_ROLES = {"partner", "reporter", "admin"}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counts live in the cache; a test must not inherit another's.
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    _, raw = api_token_issue(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.user = user
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def client_for(make_user):
    """client_for('partner') -> an APIClient signed in as a new user in that role (None: anonymous)."""

    def make(role: str, *, token: bool | None = None) -> APIClient:
        if role == "anonymous":
            client = APIClient()
            client.user = None
            return client
        user = make_user(role)
        use_token = role in TOKEN_ROLES if token is None else token
        return token_client(user) if use_token else session_client(user)

    return make


@dataclass
class Records:
    """One record of each kind a partner may or may not see, by name."""

    reports: dict
    training: dict
    updates: dict


@pytest.fixture
def records(make_user):
    author = make_user("reporter")
    approver = make_user("approver")
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    solino = Hotspot.objects.get(slug="solino")
    airport = Hotspot.objects.get(slug="tlia")

    def report(name, status, releasability, **extra):
        r = OperationReportFactory(
            title=f"Report {name}",
            status=status,
            releasability=releasability,
            author=author,
            approved_by=approver if status == "approved" else None,
            **extra,
        )
        r.hotspots.set([solino])
        r.contingents.set([kenya])
        return r

    reports = {
        "approved_public": report("approved_public", "approved", "public"),
        "approved_partners": report("approved_partners", "approved", "partners"),
        "approved_mission": report("approved_mission", "approved", "mission"),
        "draft_partners": report("draft_partners", "draft", "partners"),
        "submitted_public": report("submitted_public", "submitted", "public"),
    }
    training = {
        name: TrainingRecordFactory(
            course=f"Course {name}", releasability=name, author=author, hotspot=airport
        )
        for name in ("public", "partners", "mission")
    }
    official = SourceFactory(name="Mission official", is_official=True)
    other = SourceFactory(name="Press", is_official=False)

    def update(name, source, review_state):
        return UpdateFactory(
            post=PostFactory(source=source, text=f"Post {name} about Solino"),
            review_state=review_state,
            hotspots=[solino],
        )

    updates = {
        "official_auto": update("official_auto", official, "auto"),
        "official_rejected": update("official_rejected", official, "rejected"),
        "other_auto": update("other_auto", other, "auto"),
        "other_confirmed": update("other_confirmed", other, "confirmed"),
        "other_corrected": update("other_corrected", other, "corrected"),
    }
    return Records(reports=reports, training=training, updates=updates)


PARTNER_VISIBLE = {
    "reports": {"approved_public", "approved_partners"},
    "training": {"public", "partners"},
    "updates": {"official_auto", "other_confirmed", "other_corrected"},
}


def when(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)
