from django.apps import AppConfig


class HotspotsConfig(AppConfig):
    name = "hotspots"
    verbose_name = "Hotspots and places"
