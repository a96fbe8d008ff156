from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data at scale (`manage.py seed_demo`): no models of its own, only marked rows in the others."""

    name = "demo"
    verbose_name = "Demo data"
