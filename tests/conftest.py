"""Suite-wide fixtures: users in each role, a cache that cannot be reached, and the PostGIS
reachability rule for CI."""

import os
import socket

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings

from accounts.roles import ADMIN_ROLES, ANALYST, APPROVER, PARTNER, REPORTER


def _postgis_reachable() -> tuple[bool, str]:
    import psycopg2

    db = settings.DATABASES["default"]
    try:
        psycopg2.connect(
            dbname="postgres",
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            connect_timeout=3,
        ).close()
    except psycopg2.OperationalError as exc:
        return False, str(exc).strip()
    return True, ""


def pytest_collection_modifyitems(config, items):
    """Without PostGIS, database tests skip on a developer's machine but fail the run in CI."""
    if "postgis" not in settings.DATABASES["default"]["ENGINE"]:
        return
    ok, why = _postgis_reachable()
    if ok:
        return
    message = f"PostGIS is not reachable ({why}); start it with scripts/start-services.sh"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.exit(f"CI=true and {message}", returncode=1)
    skip = pytest.mark.skip(reason=message)
    skipped = 0
    for item in items:
        if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)
            skipped += 1
    # Said loudly, at the start and at the end: a quiet skip would pass for a green run.
    banner = f"!!! {message}: {skipped} database tests are SKIPPED (under CI=true the run fails) !!!"
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(banner, red=True, bold=True)
    config._mss_skip_banner = banner


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    banner = getattr(config, "_mss_skip_banner", None)
    if banner:
        terminalreporter.write_line(banner, red=True, bold=True)


@pytest.fixture
def make_user(django_user_model):
    """Create a user in a role: make_user('reporter'), make_user('admin') for a superuser."""
    counter = {"n": 0}

    def make(role: str, username: str | None = None):
        counter["n"] += 1
        username = username or f"{role}{counter['n']}"
        if role == "admin":
            return django_user_model.objects.create_superuser(
                username, f"{username}@example.org", "pw-123456789"
            )
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pw-123456789", is_staff=role in ADMIN_ROLES
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def analyst(make_user):
    return make_user(ANALYST)


@pytest.fixture
def reporter(make_user):
    return make_user(REPORTER)


@pytest.fixture
def approver(make_user):
    return make_user(APPROVER)


@pytest.fixture
def partner(make_user):
    return make_user(PARTNER)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the gazetteer once into the test database: every test starts with the seed hotspots.

    Transactional tests flush the database; they load what they need themselves.
    """
    from hotspots import gazetteer

    with django_db_blocker.unblock():
        gazetteer.load_admin_areas()
        gazetteer.load_reference_places()
        gazetteer.load_hotspots()


@pytest.fixture
def unreachable_cache():
    """Django's cache on a Redis port nothing listens on: what the portal does when Redis is away."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    with override_settings(CACHES=config):
        yield


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Each test starts in English: a request through LocaleMiddleware (a page asked for in French)
    leaves its language active in the thread, and messages are translated now."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
