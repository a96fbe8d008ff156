"""The hotspots' pages (the API's routes are in hotspots.api.urls)."""

from django.urls import path

from .views import HotspotDetailView

urlpatterns = [
    path("<slug:slug>/", HotspotDetailView.as_view(), name="hotspot-page"),
]
