"""/api/v1/: each app's API, mounted together."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotFound

from core.api.renderers import JSONRenderer

app_name = "api"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
@renderer_classes([JSONRenderer])
def not_found(request, path=""):
    """Any other path under /api/v1/ answers 404 in JSON, as the API's own 404s do."""
    raise NotFound("No such endpoint in this API.")


urlpatterns = [
    path("", include("hotspots.api.urls")),
    path("", include("operations.api.urls")),
    path("", include("ingestion.api.urls")),
    path("", include("webhooks.api.urls")),
    re_path(r"^(?P<path>.*)$", not_found, name="not-found"),
]
