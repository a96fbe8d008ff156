"""/ogc/: OGC API - Features (see ogc/views.py)."""

from django.urls import path

from . import views

app_name = "ogc"

urlpatterns = [
    path("", views.LandingPage.as_view(), name="landing"),
    path("conformance", views.Conformance.as_view(), name="conformance"),
    path("api", views.OpenAPIDocument.as_view(), name="openapi"),
    path("collections", views.Collections.as_view(), name="collections"),
    path("collections/<str:collection_id>", views.CollectionView.as_view(), name="collection"),
    path("collections/<str:collection_id>/items", views.Items.as_view(), name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.Item.as_view(), name="item"),
]
