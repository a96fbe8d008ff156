"""Top-level URL configuration."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from mss_portal import health, map_api, views

_DOCS_STYLES = csp_update({"style-src": [SELF, UNSAFE_INLINE]})

admin.site.site_header = "MSS Operations Portal"
admin.site.site_title = "MSS Operations Portal"
admin.site.index_title = "Mission records"

urlpatterns = [
    # The analysts' pages: the map is the portal's home (mss_portal/views.py, hotspots/views.py).
    path("", views.MapView.as_view(), name="home"),
    path("updates/", views.UpdateListView.as_view(), name="updates"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("hotspots/", include("hotspots.urls")),
    path("map/data/activity/", map_api.MapActivityView.as_view(), name="map-activity"),
    path("map/data/weekly/", map_api.MapWeeklyView.as_view(), name="map-weekly"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    # The language switcher (set_language) and the pages' script strings in the chosen language.
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["mss_portal"]), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("mss_portal.api_urls")),
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
