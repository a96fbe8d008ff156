"""`make backup` and `make restore`: a round trip on a scratch database gives every row back."""

import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from hotspots.models import Hotspot
from ingestion import services
from tests.factories import OperationReportFactory, PostFactory, TrainingRecordFactory

pytestmark = [pytest.mark.postgis_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgis://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin_connection():
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn


def _fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every table of the public schema."""
    db = connection.settings_dict
    with psycopg2.connect(
        dbname=name, user=db["USER"], password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    ) as conn, conn.cursor() as cursor:  # fmt: skip
        cursor.execute("select tablename from pg_tables where schemaname = 'public' order by 1")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"select count(*), coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') "  # noqa: S608
                f'from public."{table}" t'
            )
            result[table] = cursor.fetchone()
    conn.close()
    return result


def _make(*args, **env) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        ["make", "-s", *args], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def scratch_database():
    name = f"mss_restore_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'drop database if exists "{name}" with (force)')
    admin.close()


def test_backup_and_restore_give_every_row_back_history_included(tmp_path, scratch_database, admin_user):
    # Data with history: a report edited, a training record, a hotspot moved, a reviewed update.
    hotspot = Hotspot.objects.create(slug="bk-site", name="Backup site", kind="other")
    hotspot.name = "Backup site (renamed)"
    hotspot.save()
    report = OperationReportFactory()
    report.title = "Edited after the fact"
    report.save()
    TrainingRecordFactory()
    update = services.post_process(post=PostFactory(text="Patrols continued in Solino."))
    services.update_review(update=update, user=admin_user, state="confirmed")

    source = connection.settings_dict["NAME"]
    before = _fingerprint(source)
    assert before["hotspots_historicalhotspot"][0] >= 2
    assert before["ingestion_historicalupdate"][0] >= 2

    dump = tmp_path / "portal.dump"
    backup = _make("backup", f"FILE={dump}", DATABASE_URL=_url(source))
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0
    assert "tables with data" in backup.stdout

    restore = _make("restore", f"FILE={dump}", DATABASE_URL=_url(scratch_database))
    assert restore.returncode == 0, restore.stderr
    assert _fingerprint(scratch_database) == before

    # A second restore over a database that has tables is refused unless forced.
    again = _make("restore", f"FILE={dump}", DATABASE_URL=_url(scratch_database))
    assert again.returncode != 0 and "FORCE=1" in again.stderr
    forced = _make("restore", f"FILE={dump}", DATABASE_URL=_url(scratch_database), FORCE="1")
    assert forced.returncode == 0, forced.stderr
    assert _fingerprint(scratch_database) == before


def test_restore_refuses_a_file_that_is_no_backup(tmp_path, scratch_database):
    bogus = tmp_path / "not-a-dump"
    bogus.write_text("hello")
    result = _make("restore", f"FILE={bogus}", DATABASE_URL=_url(scratch_database))
    assert result.returncode != 0
    assert "not a pg_dump custom-format file" in result.stderr


def test_backup_without_a_postgis_url_says_so(tmp_path):
    result = _make("backup", f"FILE={tmp_path / 'x.dump'}", DATABASE_URL="spatialite:///tmp/x.sqlite3")
    assert result.returncode == 2
    assert "only PostGIS" in result.stderr
