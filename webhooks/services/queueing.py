"""Queueing the app's Celery tasks: the one place in webhooks that does, always after the commit.

Fan-outs are queued once the write that calls for them commits (``queue_fan_out``,
``queue_fan_out_many``, ``queue_fan_out_deleted``), so the task reads what was written; deliveries
once the fan-out that created them commits (``queue_deliveries``), or now by the sweeper
(``queue_overdue``).

With a broker, a worker runs them. Without one (the embedded default, tasks run in-process), a task
sent from a request would run inside it, and a staff member's save would wait for every partner's
endpoint. There the tasks go to one background thread of the web process instead, in the order
they were sent (WEBHOOK_EAGER_IN_BACKGROUND). One thread, not a pool: fan-outs of one record stay
in order, and SQLite sees one webhooks writer at a time. A task still waiting when the process
stops leaves its delivery pending in the database; the sweeper (redeliver_overdue) sends it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections, transaction

from ..choices import PUSHED_RESOURCES

log = logging.getLogger(__name__)

_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()


def _run_in_background(task, args: tuple) -> None:
    try:
        task.apply(args=args, throw=True)
    except Exception:
        log.exception("webhooks task %s%r failed in the background", task.name, args)
    finally:
        connections.close_all()  # this thread's own connections, not the request's


def _send(task, *args) -> None:
    """Queue ``task`` now: to the broker, or in-process to the background thread (see above)."""
    global _background
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.WEBHOOK_EAGER_IN_BACKGROUND:
        with _background_lock:
            if _background is None:
                _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="webhooks")
        _background.submit(_run_in_background, task, args)
    else:
        task.delay(*args)


def background_idle(timeout: float = 30.0) -> bool:
    """Whether the background thread ran everything sent to it before ``timeout`` (tests, shutdown)."""
    if _background is None:
        return True
    return _background.submit(lambda: None).exception(timeout=timeout) is None


def queue_fan_out(
    *, resource: str, pk: int, seen_before: list[str] | None = None, hotspots_before: list[int] | None = None
) -> None:
    """After the commit, fan a saved record out to the subscriptions (pushed collections only).

    ``seen_before``: the reader levels that could see the record before the write;
    ``hotspots_before``: the hotspots it was at (events.fan_out).
    """
    if resource not in PUSHED_RESOURCES:
        return
    # Imported here: tasks import services.
    from ..tasks import fan_out

    transaction.on_commit(lambda: _send(fan_out, resource, pk, seen_before, hotspots_before), robust=True)


def queue_fan_out_many(*, resource: str, pks: list[int], seen_before: list[str] | None = None) -> None:
    """After the commit, fan records created in bulk out to the subscriptions, in one task."""
    if resource not in PUSHED_RESOURCES or not pks:
        return
    from ..tasks import fan_out_many

    ids = list(pks)
    transaction.on_commit(lambda: _send(fan_out_many, resource, ids, seen_before), robust=True)


def queue_fan_out_deleted(
    *, resource: str, object_id: str, partners: bool, hotspots_before: list[int] | None = None
) -> None:
    """After the commit, announce a deletion to the subscriptions (pushed collections only)."""
    if resource not in PUSHED_RESOURCES:
        return
    from ..tasks import fan_out_deleted

    args = (resource, object_id, partners, hotspots_before)
    transaction.on_commit(lambda: _send(fan_out_deleted, *args), robust=True)


def queue_deliveries(delivery_ids: list[int]) -> None:
    """After the commit, send each delivery in its own task."""
    from ..tasks import deliver

    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: _send(deliver, pk), robust=True)


def queue_overdue(delivery_ids: list[int]) -> None:
    """Send again, now, deliveries whose task was lost (the sweeper, outside a transaction)."""
    from ..tasks import deliver

    for delivery_id in delivery_ids:
        _send(deliver, delivery_id)
