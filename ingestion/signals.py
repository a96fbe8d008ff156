"""Signals ingestion sends where Django's own are not sent.

Processing creates updates in bulk, which sends no ``post_save``; the apps that follow updates
(webhooks) listen for this instead. Sent inside the transaction that creates them: receivers that
act outside the database wait for the commit, as they do for ``post_save``.
"""

from django.dispatch import Signal

# sender: the Update model; pks: the ids of the updates just created.
updates_created = Signal()
