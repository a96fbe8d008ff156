"""Webhooks (push) and tombstones (pull): the rules.

Tasks, signals, the API and the admin call these functions; none of them holds a rule itself.
One module per sub-domain:

- ``subscriptions``: a partner's subscriptions registered (with a secret shown once), changed, and
  resumed after a pause (``subscription_create``, ``subscription_update``, ``subscription_resume``).
- ``targets``: vetting a URL when it is subscribed (``check_url``) and resolving it once, every
  address vetted, at each delivery (``resolve_target``).
- ``events``: which subscriptions hear of a saved, withdrawn or deleted record, and what they are
  told (``fan_out``, ``fan_out_many``, ``fan_out_deleted``, ``fan_out_hotspots``, ``source_changed``).
- ``delivery``: one signed POST of an event, its log, retries and pauses (``delivery_attempt``),
  and the sweeper of lost deliveries (``deliveries_requeue_overdue``).
- ``tombstones``: deleted and withdrawn records kept for clients that pull (``tombstone_record``).
- ``queueing``: the one place in the app that queues its Celery tasks, after the commit; without a
  broker, on a background thread rather than in the request.

Callers import the package (``from webhooks import services``); the names below are its API.
"""

from .delivery import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    AttemptOutcome,
    backoff,
    body_of,
    deliveries_requeue_overdue,
    delivery_attempt,
    sign,
)
from .events import (
    fan_out,
    fan_out_deleted,
    fan_out_hotspots,
    fan_out_many,
    record_as_read_by,
    source_changed,
)
from .queueing import (
    background_idle,
    queue_deliveries,
    queue_fan_out,
    queue_fan_out_deleted,
    queue_fan_out_many,
)
from .subscriptions import subscription_create, subscription_resume, subscription_update
from .targets import Target, UnsafeTarget, check_url, resolve_target
from .tombstones import tombstone_record

__all__ = [
    "DELIVERY_HEADER",
    "EVENT_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "AttemptOutcome",
    "Target",
    "UnsafeTarget",
    "background_idle",
    "backoff",
    "body_of",
    "check_url",
    "deliveries_requeue_overdue",
    "delivery_attempt",
    "fan_out",
    "fan_out_deleted",
    "fan_out_hotspots",
    "fan_out_many",
    "queue_deliveries",
    "queue_fan_out",
    "queue_fan_out_deleted",
    "queue_fan_out_many",
    "record_as_read_by",
    "resolve_target",
    "sign",
    "source_changed",
    "subscription_create",
    "subscription_resume",
    "subscription_update",
    "tombstone_record",
]
