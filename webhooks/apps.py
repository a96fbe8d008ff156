from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Partner sync: webhooks and deletions"

    def ready(self) -> None:
        from . import signals

        signals.connect()
