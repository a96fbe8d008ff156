"""The read replica router: two database aliases on the same PostGIS server, queries counted on each."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.signals import request_started
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hotspots.models import Hotspot
from mss_portal import db_router
from tests.factories import HotspotFactory

ROOT = Path(__file__).resolve().parents[2]


# A second alias on the same server, declared before the test database is set up: Django makes it a
# mirror of the test database (committed rows are what it sees, as on a real replica). Without the
# router (DATABASE_ROUTERS is empty unless DATABASE_REPLICA_URL is set) nothing ever uses it.
if "replica" not in connections.settings:
    _replica = copy.deepcopy(connections["default"].settings_dict)
    _replica["TEST"] = {**_replica["TEST"], "MIRROR": "default"}
    connections.settings["replica"] = _replica

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    """The router on, and a request starting."""
    settings.DATABASE_ROUTERS = ["mss_portal.db_router.PrimaryReplicaRouter"]
    request_started.send(sender=None)
    yield connections["replica"]
    request_started.send(sender=None)


def _on(alias):
    return CaptureQueriesContext(connections[alias])


def test_reads_go_to_the_replica(replica):
    HotspotFactory(slug="read-me")
    request_started.send(sender=None)  # a new request
    with _on("replica") as on_replica, _on("default") as on_primary:
        assert Hotspot.objects.filter(slug="read-me").exists()
    assert len(on_replica) == 1
    assert len(on_primary) == 0


def test_writes_go_to_the_primary(replica):
    with _on("replica") as on_replica, _on("default") as on_primary:
        HotspotFactory(slug="written")
    assert len(on_primary) >= 1
    assert len(on_replica) == 0


def test_reads_inside_a_transaction_go_to_the_primary(replica):
    with transaction.atomic(), _on("replica") as on_replica, _on("default") as on_primary:
        list(Hotspot.objects.all()[:5])
    assert len(on_replica) == 0
    assert len(on_primary) == 1


def test_after_a_write_the_request_reads_what_it_wrote_from_the_primary(replica):
    HotspotFactory(slug="just-saved")
    with _on("replica") as on_replica:
        assert Hotspot.objects.filter(slug="just-saved").exists()
    assert len(on_replica) == 0
    request_started.send(sender=None)  # the next request reads from the replica again
    with _on("replica") as on_replica:
        assert Hotspot.objects.filter(slug="just-saved").exists()
    assert len(on_replica) == 1


def test_recording_an_access_does_not_move_the_request_to_the_primary(replica):
    SessionStore().create()  # every signed-in request may write its session; no read depends on it
    with _on("replica") as on_replica:
        list(Hotspot.objects.all()[:1])
    assert len(on_replica) == 1


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate("default", "hotspots", model_name="hotspot")
    assert not router.allow_migrate("replica", "hotspots", model_name="hotspot")
    assert db_router.PrimaryReplicaRouter().allow_relation(object(), object())


def test_an_api_request_reads_from_the_replica(replica, admin_user):
    client = APIClient()
    client.force_login(admin_user)  # a superuser: transactional tests flush the roles' groups
    with _on("replica") as on_replica, _on("default") as on_primary:
        assert client.get("/api/v1/hotspots/").status_code == 200
    assert any("hotspots_hotspot" in q["sql"] for q in on_replica.captured_queries)
    assert not any("hotspots_hotspot" in q["sql"] for q in on_primary.captured_queries)


def test_the_settings_add_the_replica_and_the_router_when_database_replica_url_is_set():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.DATABASES['replica']['NAME'], settings.DATABASES['replica']['TEST'], "
        "settings.DATABASE_ROUTERS]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mss_portal.settings.local",
        "DATABASE_URL": "postgis://postgres@127.0.0.1:5432/portal",
        "DATABASE_REPLICA_URL": "postgis://reader@127.0.0.1:5433/portal",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    name, test, routers = json.loads(out.strip().splitlines()[-1])
    assert name == "portal"
    assert test["MIRROR"] == "default"
    assert routers == ["mss_portal.db_router.PrimaryReplicaRouter"]


def test_without_database_replica_url_there_is_one_database_and_no_router():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([sorted(settings.DATABASES), settings.DATABASE_ROUTERS]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "mss_portal.settings.local"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [["default"], []]
