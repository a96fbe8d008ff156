"""Production: everything secret or host-specific must come from the environment.

`DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=... manage.py check --deploy` passes with no warning
(tests/hardening/test_production_settings.py runs it). TLS ends at the reverse proxy, which must
set X-Forwarded-Proto; Content-Security-Policy, lockout and two-factor come from base.py.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Passkeys belong to the site's domain: unless set, the first allowed host, used over https.
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default=ALLOWED_HOSTS[0].lstrip(".") if ALLOWED_HOSTS else "")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ALLOWED_ORIGINS", default=[f"https://{OTP_WEBAUTHN_RP_ID}"])

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite, never pass
# on, a value sent by the client). Probes (/healthz, /readyz) are answered before the redirect.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The sign-in lockout counts failures per client address too: behind the proxy that address is the
# right-most X-Forwarded-For entry, or every user would share the proxy's address (one lockout for all).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A dead database must fail a request (503) or a probe within seconds, not hang it.
if "postg" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

# Notifications go out by SMTP: EMAIL_URL names the server (smtp+tls://user:password@host:587, or
# smtp+ssl:// on 465); unset, the host's own relay on port 25.
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Structured logs: one JSON object per line on stdout (mss_portal/logging.py). The worker keeps
# this configuration instead of installing Celery's own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mss_portal.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
        # Every request to a host not in ALLOWED_HOSTS would otherwise log an error with a traceback.
        "django.security.DisallowedHost": {"level": "WARNING", "propagate": True},
    },
}

# Persistent database connections unless DATABASE_CONN_MAX_AGE (or the URL's conn_max_age) says
# otherwise: 0 behind PgBouncer (docs/deploy.md). Opening a connection forks a PostgreSQL backend,
# which took ~20 ms per request on the bench machine: more than a whole 100-item API page.
if env("DATABASE_CONN_MAX_AGE", default="") == "":
    for _alias, _url in (("default", "DATABASE_URL"), ("replica", "DATABASE_REPLICA_URL")):
        if _alias in DATABASES and "conn_max_age" not in env(_url, default=""):
            DATABASES[_alias]["CONN_MAX_AGE"] = 60
