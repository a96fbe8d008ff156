"""The portal's Celery application: configuration comes from Django settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.worker.consumer import Consumer as CeleryConsumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mss_portal.settings.local")

log = logging.getLogger(__name__)

app = Celery("mss_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Consumer(CeleryConsumer):
    """Celery's consumer, riding out a broker outage that finds a task in the worker's hands.

    On a lost connection celery 5.7.0 collects the connection, which empties its transport, then
    closes it: the Redis channel, left open when the collection failed to read from the dead
    broker, then tries to give the task's unacknowledged message back through the emptied
    transport, raises AttributeError, and the worker exits. The message cannot be given back while
    the broker is away anyway; Redis keeps it and gives it back after the visibility timeout, and
    the sweeper queues its posts again before that. The task itself is ended at once
    (CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS): let finish, its acknowledgement
    would be sent through the same emptied transport once the broker is back, with the same end.
    Installed by CELERY_WORKER_CONSUMER; tests/integration/test_faults_redis_outage.py is the case.
    """

    def on_connection_error_after_connected(self, exc):
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_what_collect_left():
                try:
                    close()
                except AttributeError as error:
                    log.warning("unacknowledged messages left to the broker's visibility timeout: %r", error)

            connection.close = close_what_collect_left
        super().on_connection_error_after_connected(exc)
