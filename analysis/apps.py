from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """The analysts' pages: the map, the list, hotspot pages, the dashboard and their data."""

    name = "analysis"
    verbose_name = "Analyst pages"
