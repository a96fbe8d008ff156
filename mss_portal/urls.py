"""Top-level URL configuration."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from mss_portal import health

_DOCS_STYLES = csp_update({"style-src": [SELF, UNSAFE_INLINE]})

urlpatterns = [
    # The analysts' pages and their data (analysis/urls.py); the map is the portal's home.
    path("", include("analysis.urls")),
    # The language switcher (set_language).
    path("i18n/", include("django.conf.urls.i18n")),
    # A member's notifications and what they watch.
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    # Passkeys' ceremonies (django-otp-webauthn's views, under accounts/webauthn.py's rules).
    path("accounts/passkeys/", include("accounts.webauthn")),
    path("api/v1/", include("mss_portal.api_urls")),
    # OGC API - Features over the same collections, for GIS tools (QGIS, ArcGIS, GDAL).
    path("ogc/", include("ogc.urls")),
    # The OpenAPI document and its two readers, from local static files (drf-spectacular-sidecar).
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Their scripts are files of this server (the CSP holds); their inline styles need leave.
    path("api/docs/", _DOCS_STYLES(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", _DOCS_STYLES(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    # Probes for an orchestrator; HealthCheckMiddleware answers them first (see mss_portal/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# A database error raised outside a view answers 503 too; API clients get JSON.
handler500 = "mss_portal.middleware.server_error"
