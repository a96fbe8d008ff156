"""The rules of ingestion: store every post first, then turn it into one structured update.

Tasks, management commands and the admin call these functions; none of them holds a rule itself.
One module per sub-domain:

- ``storing``: posts stored as read, one or a batch (``post_store``, ``posts_ingest``), a changed
  text replacing the stored one, records that cannot be stored kept as rejected records, and the
  admin's paste form (``post_prepare_manual``, ``post_add_manual``).
- ``processing``: stored posts turned into updates, a batch (the tasks) or one post now (the admin);
  reposts and quotes linked, mentions and contingents written, failures recorded, and posts
  reprocessed, retried or requeued by the sweeper.
- ``candidates``: place candidates recorded while processing, and promoted by staff to a hotspot or
  to an alias of one.
- ``polling``: ``source_poll`` and its X API and feed helpers.
- ``review``: ``update_review``, a reviewer's decision on an update.
- ``learning``: the kind classifier trained on reviewers' corrections (``kind_model_train``).
- ``queueing``: the one place in the app that queues its Celery tasks, on commit
  (``transaction.on_commit``) or now.

Callers import the package (``from ingestion import services``); the names below are its API.
"""

from .candidates import candidate_promote_to_alias, candidate_promote_to_hotspot
from .learning import KindTraining, kind_model_train
from .polling import SourceConfigurationError, source_poll
from .processing import (
    MAX_PROCESS_ATTEMPTS,
    ProcessOutcome,
    post_mark_failed,
    post_process,
    posts_mark_started,
    posts_process_batch,
    posts_reprocess,
    posts_requeue_stuck,
    posts_retry,
)
from .queueing import PROCESS_BATCH_SIZE, posts_queue, posts_queue_on_commit, source_queue_poll
from .review import update_review
from .storing import (
    MAX_KEPT_ERRORS,
    STORE_BATCH_SIZE,
    IngestStats,
    content_hash,
    post_add_manual,
    post_prepare_manual,
    post_replace_text,
    post_store,
    posts_ingest,
    posts_store_batch,
    source_for_file,
)

__all__ = [
    "MAX_KEPT_ERRORS",
    "MAX_PROCESS_ATTEMPTS",
    "PROCESS_BATCH_SIZE",
    "STORE_BATCH_SIZE",
    "IngestStats",
    "KindTraining",
    "ProcessOutcome",
    "SourceConfigurationError",
    "candidate_promote_to_alias",
    "candidate_promote_to_hotspot",
    "content_hash",
    "kind_model_train",
    "post_add_manual",
    "post_mark_failed",
    "post_prepare_manual",
    "post_process",
    "post_replace_text",
    "post_store",
    "posts_ingest",
    "posts_mark_started",
    "posts_process_batch",
    "posts_queue",
    "posts_queue_on_commit",
    "posts_reprocess",
    "posts_requeue_stuck",
    "posts_retry",
    "posts_store_batch",
    "source_for_file",
    "source_poll",
    "source_queue_poll",
    "update_review",
]
