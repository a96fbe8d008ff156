"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "MSS Operations Portal"
admin.site.site_title = "MSS Operations Portal"
admin.site.index_title = "Mission records"

urlpatterns = [
    # The analyst map will live here; until then the portal opens on the staff admin.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
    path("admin/", admin.site.urls),
]
