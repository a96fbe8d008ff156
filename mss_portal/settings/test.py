"""Test settings: PostGIS by default (DATABASE_URL overrides), fast hashing, eager Celery."""

from .base import *  # noqa: F403
from .base import DATABASES, env, sqlite_waits_for_its_lock

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 - tests only
DEBUG = False
DATABASES["default"] = sqlite_waits_for_its_lock(
    env.db_url_config(env("DATABASE_URL", default="") or "postgis://postgres@127.0.0.1:5432/mss_portal")
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
# Tests see the webhooks' work at once, in the test's own transaction; the background thread of the
# embedded default is tested by itself (tests/webhooks/test_delivery_safety.py).
WEBHOOK_EAGER_IN_BACKGROUND = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
