"""Reads to a read replica, writes to the primary: enabled when DATABASE_REPLICA_URL is set.

The API and the map read far more than anyone writes, so their reads can go to a streaming
replica of PostgreSQL (docs/deploy.md). Three rules keep that safe:

- every write goes to the primary, and so does every read inside a transaction (``atomic``),
  because a read there usually decides what to write (``select_for_update``, services);
- once a request (or any other unit of work in a thread) has written, its later reads go to the
  primary too, so a user sees what they have just saved despite the replica's lag. Records of
  the access itself (a token's use, a session, sign-in attempts) do not count: every API request
  writes one, and none reads it back;
- migrations run on the primary only; the replica receives them by replication.
"""

from __future__ import annotations

import threading

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

_state = threading.local()

# Writes that record the access rather than change the mission's data (see the module docstring).
ACCESS_RECORDS = frozenset(
    {
        "accounts.apitoken",
        "accounts.apitokenuse",
        "sessions.session",
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
    }
)


def _forget_writes(**kwargs) -> None:
    _state.wrote = False


# Each request starts on the replica, whatever the thread served before.
request_started.connect(_forget_writes, dispatch_uid="db-router-request-started")
request_finished.connect(_forget_writes, dispatch_uid="db-router-request-finished")


class PrimaryReplicaRouter:
    """Reads to ``replica`` unless in a transaction or after a write; everything else to ``default``."""

    primary = DEFAULT_DB_ALIAS
    replica = REPLICA_DB_ALIAS

    def db_for_read(self, model, **hints) -> str:
        if getattr(_state, "wrote", False) or connections[self.primary].in_atomic_block:
            return self.primary
        return self.replica

    def db_for_write(self, model, **hints) -> str:
        if model._meta.label_lower not in ACCESS_RECORDS:
            _state.wrote = True
        return self.primary

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same data: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == self.primary
