"""Settings shared by every environment, read from the environment (12-factor).

Each value has a safe local default; production.py tightens what must be set explicitly.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "simple_history",
    "django_celery_beat",
    "accounts",
    "hotspots",
    "operations",
    "ingestion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded default is a SpatiaLite file under var/ (ignored by git); PostGIS when
# DATABASE_URL says postgis://. Both run the same models and migrations.
DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or f"spatialite:///{VAR_DIR / 'portal.sqlite3'}"
    ),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# Debian's libsqlite3-mod-spatialite ships mod_spatialite.so.
SPATIALITE_LIBRARY_PATH = env("SPATIALITE_LIBRARY_PATH", default="mod_spatialite")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# gis.W001: Debian 12's GDAL 3.6 cannot block file and network access while reading spatial
# reference definitions. Every geometry field has the fixed SRID 4326 and no code builds a
# SpatialReference from user input. GeoJSON geometries from forms are parsed by GDAL's OGR,
# which reads a "crs" member if one is sent: only authenticated staff reach those forms.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

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
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
LOGIN_URL = "admin:login"

# The mission's data sits inside Haiti's outline (hotspots/data/haiti_outline.geojson); this box
# frames maps and restricts panning. (minx, miny, maxx, maxy), lon/lat order.
HAITI_EXTENT = (-74.55, 17.95, -71.55, 20.15)

LEAFLET_CONFIG = {
    # (lat, lon): Port-au-Prince with the Artibonite in reach.
    "DEFAULT_CENTER": (18.85, -72.45),
    "DEFAULT_ZOOM": 9,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 18,
    "SPATIAL_EXTENT": HAITI_EXTENT,
    "TILES": [
        (
            "Background",
            env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            {
                "attribution": env("MAP_TILES_ATTRIBUTION", default="&copy; OpenStreetMap contributors"),
                "maxZoom": 19,
            },
        )
    ],
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

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MSS Operations Portal API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One line per task is noise in commands that run tasks in-process; failures still show.
    "loggers": {"celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")}},
}
