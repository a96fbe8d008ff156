"""Queueing the app's Celery tasks: the one place in webhooks that does, always after the commit.

Fan-outs are queued once the write that calls for them commits (``queue_fan_out``,
``queue_fan_out_many``, ``queue_fan_out_deleted``), so the task reads what was written; deliveries
once the fan-out that created them commits (``queue_deliveries``), or now by the sweeper
(``queue_overdue``).
"""

from __future__ import annotations

from django.db import transaction

from ..choices import PUSHED_RESOURCES


def queue_fan_out(*, resource: str, pk: int) -> None:
    """After the commit, fan a saved record out to the subscriptions (pushed collections only)."""
    if resource not in PUSHED_RESOURCES:
        return
    # Imported here: tasks import services.
    from ..tasks import fan_out

    transaction.on_commit(lambda: fan_out.delay(resource, pk), robust=True)


def queue_fan_out_many(*, resource: str, pks: list[int]) -> None:
    """After the commit, fan records created in bulk out to the subscriptions, in one task."""
    if resource not in PUSHED_RESOURCES or not pks:
        return
    from ..tasks import fan_out_many

    ids = list(pks)
    transaction.on_commit(lambda: fan_out_many.delay(resource, ids), robust=True)


def queue_fan_out_deleted(*, resource: str, object_id: str, partners: bool) -> None:
    """After the commit, announce a deletion to the subscriptions (pushed collections only)."""
    if resource not in PUSHED_RESOURCES:
        return
    from ..tasks import fan_out_deleted

    transaction.on_commit(lambda: fan_out_deleted.delay(resource, object_id, partners), robust=True)


def queue_deliveries(delivery_ids: list[int]) -> None:
    """After the commit, send each delivery in its own task."""
    from ..tasks import deliver

    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: deliver.delay(pk), robust=True)


def queue_overdue(delivery_ids: list[int]) -> None:
    """Send again, now, deliveries whose task was lost (the sweeper, outside a transaction)."""
    from ..tasks import deliver

    for delivery_id in delivery_ids:
        deliver.delay(delivery_id)
