"""Signals ingestion sends where Django's own are not sent.

Processing creates and rewrites updates and their mentions in bulk, which sends no ``post_save``;
the apps that follow updates listen for these instead: webhooks for new updates, the analyst pages'
activity cache for any change. Sent inside the transaction that writes them: receivers that act
outside the database wait for the commit, as they do for ``post_save``.
"""

from django.dispatch import Signal

# sender: the Update model; pks: the ids of the updates just created.
updates_created = Signal()
# sender: the Update model; sent once processing has written updates in bulk (new or redone).
updates_changed = Signal()
