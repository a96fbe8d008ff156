"""The analysts' pages and their data: the map is the portal's home."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import briefing, map_api, search, views

urlpatterns = [
    path("", views.MapView.as_view(), name="home"),
    path("updates/", views.UpdateListView.as_view(), name="updates"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("briefing/", briefing.BriefingView.as_view(), name="briefing"),
    path("hotspots/<slug:slug>/", views.HotspotDetailView.as_view(), name="hotspot-page"),
    path("map/data/activity/", map_api.MapActivityView.as_view(), name="map-activity"),
    path("map/data/weekly/", map_api.MapWeeklyView.as_view(), name="map-weekly"),
    path("map/data/search/", search.PlaceSearchView.as_view(), name="map-search"),
    path("map/data/areas/<str:pcode>/", search.AreaView.as_view(), name="map-area"),
    path("map/data/labels/", search.LabelsView.as_view(), name="map-labels"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    # The pages' script strings in the chosen language (locale/, compiled by `make messages`).
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["analysis"]), name="javascript-catalog"),
]
