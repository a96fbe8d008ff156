"""Settings shared by every environment, read from the environment (12-factor).

Each value has a safe local default; production.py tightens what must be set explicitly.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # django.contrib.admin, with the portal's site (two-factor sign-in) as the default site.
    "accounts.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    # The default widget templates, for the form renderer below (TemplatesSetting needs them here).
    "django.forms",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "simple_history",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "mss_portal.apps.PortalConfig",
    "accounts",
    "hotspots",
    "operations",
    "ingestion",
    # The analysts' pages. Before webhooks: its receivers of the apps' changes (the activity cache)
    # run first, as they did when each app registered them itself.
    "analysis",
    "webhooks",
    "audit",
    "notifications",
    "demo",
    "ogc",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before host checks, HTTPS redirects and sessions.
    "mss_portal.health.HealthCheckMiddleware",
    # A database outage answers 503 (JSON for API clients), never a traceback.
    "mss_portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses responses (the API's JSON and CSV exports above all); streamed ones too.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag on every GET's answer, and 304 for a client that has it already (If-None-Match,
    # If-Modified-Since): inside GZip, so the ETag is the uncompressed body's.
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The pages speak English, French or Kreyòl: the choice made with the language switcher
    # (set_language, kept in a cookie), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mss_portal.urls"
WSGI_APPLICATION = "mss_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Forms render their widgets through TEMPLATES, so templates/ can override a widget's template (the
# admin's date-and-time widget, templates/admin/widgets/split_datetime.html, labels its two inputs).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The embedded default is a SpatiaLite file under var/ (ignored by git); PostGIS when
# DATABASE_URL says postgis://. Both run the same models and migrations.
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"spatialite:///{VAR_DIR / 'portal.sqlite3'}"
    ),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))


def sqlite_waits_for_its_lock(config: dict) -> dict:
    """SQLite (the embedded default) with concurrent writers: a writer waits for the lock instead of
    failing with "database is locked". WAL lets readers go on while one writes; the busy timeout (in
    seconds) is how long a writer waits; transactions take the write lock when they begin
    (IMMEDIATE), since a transaction that read first and then tries to write is refused at once,
    without waiting, when another writes. SpatiaLite is SQLite: the same options apply."""
    if config["ENGINE"].endswith(("sqlite3", "spatialite")):
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            }
        )
    return config


sqlite_waits_for_its_lock(DATABASES["default"])
# A read replica (docs/deploy.md): reads go to it; writes, transactions and a request's reads after
# it wrote go to the primary (mss_portal/db_router.py). Tests treat it as a mirror of the primary.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["mss_portal.db_router.PrimaryReplicaRouter"]
# Debian's libsqlite3-mod-spatialite ships mod_spatialite.so.
SPATIALITE_LIBRARY_PATH = env("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# gis.W001: Debian 12's GDAL 3.6 cannot block file and network access while it resolves a
# spatial reference, so no spatial reference from a user ever reaches it. Every geometry field
# has the fixed SRID 4326 and no code builds a SpatialReference from user input. GeoJSON from
# geometry forms loses every "crs" member before GDAL parses it (mss_portal/gdal_guard.py), and
# Django refuses a crs naming a file or URL wherever else GeoJSON is parsed (the API included).
# An EWKT SRID is resolved by ImportFromEPSG, a lookup in PROJ's local database without file or
# network access. tests/hardening/test_gdal_guard.py checks each of these.
#
# models.W040: SQLite (the embedded default) has no covering indexes, so the reports-per-day
# index `report_day_sums` is there an index on the day alone, which is all it needs to be.
SILENCED_SYSTEM_CHECKS = ["gis.W001", "models.W040"]

# Sign-in: django-axes counts failures first (and refuses a locked-out account), then Django's
# own backend checks the password. Two-factor sign-in is accounts/two_factor.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Users and their permissions are read from the database on every request: a role taken away
    # or a user deactivated is refused on the very next one, in every process.
    "accounts.backends.RoleBackend",
]
# Five failures lock the username for 15 minutes, wherever the attempts come from, and five from
# one address lock that address, whatever usernames it tries (the address is the client's as the
# trusted proxies report it: TRUSTED_PROXY_COUNT, accounts/lockout.py). An admin can lift a
# lockout early: `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
# A locked-out attacker must not be able to keep the owner locked out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
OTP_TOTP_ISSUER = "MSS Operations Portal"
# Passkeys (django-otp-webauthn) are a second factor only, after the password: never a sign-in of
# their own, which would skip the password and its lockout. A passkey belongs to the relying party's
# domain (the RP ID), and the browser offers one only on an origin listed here. Browsers refuse an
# IP address as an RP ID: `make run` serves on 127.0.0.1:8000, but passkeys work on
# http://localhost:8000 (a secure context, as https is elsewhere). Changing the RP ID later voids
# every passkey registered.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_RP_NAME = env("WEBAUTHN_RP_NAME", default="MSS Operations Portal")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ALLOWED_ORIGINS", default=["http://localhost:8000"])
# Sessions end when the browser closes, and after 8 hours in any case.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ht", "Kreyòl ayisyen")]
TIME_ZONE = "America/Port-au-Prince"
USE_I18N = True
# The pages' translations (locale/fr, locale/ht): .po files in git, .mo compiled by `make messages`.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Numbers are grouped by thousands in every language ("21,425", "21 425"); templates keep raw numbers
# (ids, counts read by scripts) with |unlocalize. Dates and numbers in Kreyòl follow
# mss_portal/formats/ht (Django ships formats for English and French only of our languages).
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["mss_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
# Analysts sign in on the portal's own page (the admin's refuses anyone who is not staff).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# The mission's data sits inside Haiti's outline (hotspots/data/haiti_outline.geojson); this box
# frames maps and restricts panning. (minx, miny, maxx, maxy), lon/lat order.
HAITI_EXTENT = (-74.55, 17.95, -71.55, 20.15)

MAP_TILES_URL = env("MAP_TILES_URL", default="")
LEAFLET_CONFIG = {
    # (lat, lon): Port-au-Prince with the Artibonite in reach.
    "DEFAULT_CENTER": (18.85, -72.45),
    "DEFAULT_ZOOM": 9,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 18,
    "SPATIAL_EXTENT": HAITI_EXTENT,
    # Tiles only where a deployment names a tile server (MAP_TILES_URL): none are requested otherwise,
    # as in the field, where the map draws the outlines and the gazetteer's place names itself.
    "TILES": (
        [
            (
                "Background",
                MAP_TILES_URL,
                {"attribution": env("MAP_TILES_ATTRIBUTION", default=""), "maxZoom": 19},
            )
        ]
        if MAP_TILES_URL
        else []
    ),
    "ATTRIBUTION_PREFIX": (
        "Boundaries: OCHA/CNIGS COD-AB 2018-11-29; places: Who's On First, GeoNames (CC BY)"
    ),
    "RESET_VIEW": True,
    # Haiti's departments under every map, so maps stay readable without tiles: auto-included in
    # pages' maps, and added to the "forms" plugin that the admin widgets load.
    "PLUGINS": {
        "haiti-outline": {"js": "hotspots/js/haiti-outline.js", "auto-include": True},
        "forms": {"js": ["hotspots/js/haiti-outline.js"], "auto-include": False},
    },
}

# Content-Security-Policy (django-csp): scripts only from our own origin or carrying the
# request's nonce (django-leaflet's inline map scripts get it), no inline styles, no plugins,
# no framing. Map tiles may come from the tile server's origin.
_tiles = urlsplit(MAP_TILES_URL.replace("{s}", "*"))
_TILE_ORIGINS = [f"{_tiles.scheme or 'https'}://{_tiles.netloc}"] if _tiles.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The REST API (/api/v1/): tokens first, so a request without credentials is told 401 with a
# Bearer challenge; one permission rule for every view (accounts/permissions.py); each
# queryset narrowed to what the reader may see in the view itself.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "accounts.authentication.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filtering.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.JSONRenderer",
        "core.api.renderers.HXLRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.FormatFirstContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.KeysetPagination",
    "PAGE_SIZE": 100,
    # DRF's throttles (accounts/throttles.py): per user, a token counting for its user; per address
    # without credentials.
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.throttles.AnonRateThrottle",
        "accounts.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_RATE", default="3600/hour"),
        "user": env("API_THROTTLE_RATE", default="3600/hour"),
    },
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Request bodies (core/api/parsers.py): the API answers 413 to a body larger than Django's form
# limit, and 400 to JSON nested deeper than this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
SPECTACULAR_SETTINGS = {
    "TITLE": "MSS Operations Portal API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (BASE_DIR / "mss_portal" / "api_description.md").read_text(encoding="utf-8"),
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "operations.choices.ReportStatus",
        "TrainingStatusEnum": "operations.choices.TrainingStatus",
        "ReleasabilityEnum": "operations.choices.Releasability",
        "ReviewStateEnum": "ingestion.choices.ReviewState",
        "PostStateEnum": "ingestion.choices.PostState",
        "CandidateStatusEnum": "ingestion.choices.CandidateStatus",
        "DeliveryStatusEnum": "webhooks.choices.DeliveryStatus",
        "WebhookEventEnum": "webhooks.choices.Event",
        "TombstoneReasonEnum": "webhooks.choices.TombstoneReason",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
        "core.api.schema.describe_formats",
        "core.api.schema.describe_parameters",
        "core.api.schema.json_writes",
    ],
}

# Django's cache: API throttling counts requests here. Redis in production (CACHE_URL, e.g.
# redis://redis:6379/2), so that every web process shares the counts; memory otherwise.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Sources (ingestion): a source's credential is read from an environment variable whose name starts
# with this prefix, never any other variable; polling refuses addresses inside the network (private,
# loopback, link-local) unless SOURCE_ALLOW_PRIVATE_TARGETS (a test's stand-in server, a closed network).
SOURCE_CREDENTIAL_PREFIX = "MSS_SOURCE_"
SOURCE_ALLOW_PRIVATE_TARGETS = env.bool("SOURCE_ALLOW_PRIVATE_TARGETS", default=False)

# Webhooks (webhooks/services/): partners' endpoints must be public https URLs unless these
# say otherwise (a test or a closed network); failures retry with growing delays, and a
# subscription whose endpoint keeps failing is paused.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_PAUSE_AFTER_FAILURES = env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=10)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_RETRY_MAX_SECONDS = env.int("WEBHOOK_RETRY_MAX_SECONDS", default=1800)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=5)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10)
# The certificates a partner's https endpoint is checked against (a PEM file); unset: certifi's.
WEBHOOK_CA_BUNDLE = env("WEBHOOK_CA_BUNDLE", default="")
# How many subscriptions one account may have.
WEBHOOK_MAX_SUBSCRIPTIONS_PER_OWNER = env.int("WEBHOOK_MAX_SUBSCRIPTIONS_PER_OWNER", default=10)
# With tasks run in-process (no broker: the embedded default), the webhooks' tasks (fan-out and
# deliveries) run after the commit on one background thread of the web process, never inside the
# request that saved the record (webhooks/services/queueing.py). False runs them in the request.
WEBHOOK_EAGER_IN_BACKGROUND = env.bool("WEBHOOK_EAGER_IN_BACKGROUND", default=True)

# Celery: a real broker when CELERY_BROKER_URL is set; otherwise tasks run eagerly in-process
# (the embedded default of `make run`).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# Retry countdowns stay far below this, so Redis never redelivers a waiting task in a loop.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Several deployments (or test runs) can share one Redis when each prefixes its keys.
if env("CELERY_BROKER_KEY_PREFIX", default=""):
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env("CELERY_BROKER_KEY_PREFIX")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ROUTES = {
    "ingestion.*": {"queue": "ingestion"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# A worker that survives a broker outage with a task in hand, ending that task (mss_portal/celery.py).
CELERY_WORKER_CONSUMER = "mss_portal.celery:Consumer"
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# Email (notifications/): EMAIL_URL in django-environ's form, e.g. smtp+tls://user:password@mail.example:587
# (production.py says so); unset, messages are printed on the console (the embedded default).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MSS Operations Portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# A refused or unreachable mail server: the email task retries after 30 s, 60 s, 120 s... (at most
# 30 minutes apart, eight times).
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=30)
# The portal's address as its users reach it: emails link to records under it.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000/")

# /readyz gives each of its checks (database, broker, worker ping) this long, in seconds.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One line per task is noise in commands that run tasks in-process; failures still show.
    "loggers": {"celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")}},
}
