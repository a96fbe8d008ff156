from django.apps import AppConfig


class OgcConfig(AppConfig):
    """OGC API - Features (Part 1, Core) over the API's collections, for GIS tools (QGIS, ArcGIS, GDAL)."""

    name = "ogc"
    verbose_name = "OGC API - Features"
