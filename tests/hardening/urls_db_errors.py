"""A URLconf for the database-outage tests: views that fail as a lost database makes them fail."""

from django.db import InterfaceError, OperationalError
from django.urls import include, path


def operational_error(request):
    raise OperationalError("server closed the connection unexpectedly")


def interface_error(request):
    raise InterfaceError("connection already closed")


def other_error(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("api/v1/things/", operational_error),
    path("api/v1/closed/", interface_error),
    path("api/v1/bug/", other_error),
    path("page/", operational_error),
    path("", include("mss_portal.urls")),
]
handler500 = "mss_portal.middleware.server_error"
