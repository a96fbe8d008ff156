"""Who may read which record: the releasability levels, the level each reader reads at, and the base of
every model's queryset of readable records.

Each model states its own rule once, in its queryset (`<app>/querysets.py`): `released_to(level)` is
what is released at a level, and `visible_to(user)` is what a user may read: every record for a
member of the mission, what is released to partners for a partner, what is public for someone not
signed in, nothing for anyone else. Every reader (the API, the pages, their counts, the exports,
the webhooks and tombstones) starts from `Model.objects.visible_to(user)`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import RELEASABLE_PERMISSION


class Releasability(models.TextChoices):
    """Who may see a record: the mission only, its partners too, or the public."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Releasable to partners")
    MISSION = "mission", _("Mission only")


# From the widest audience to the narrowest: a record released at a level is released at every level
# after it (a public report is also released to partners).
_ORDER = (Releasability.PUBLIC, Releasability.PARTNERS, Releasability.MISSION)


def levels_up_to(level: str) -> list[str]:
    """The levels a reader at ``level`` may read records of: ``level`` and the wider ones before it."""
    return list(_ORDER[: _ORDER.index(Releasability(level)) + 1])


def reader_level(user, member_permission: str) -> str | None:
    """The level ``user`` reads a collection at: MISSION for a member of the mission (who has
    ``member_permission``, the collection's view permission), PARTNERS for a partner, PUBLIC for
    someone not signed in, None for anyone else (no role, or an inactive account)."""
    if not user.is_authenticated:
        return Releasability.PUBLIC
    if user.has_perm(member_permission):
        return Releasability.MISSION
    if user.has_perm(RELEASABLE_PERMISSION):
        return Releasability.PARTNERS
    return None


class ReleasableQuerySet(models.QuerySet):
    """A collection whose records are released level by level; subclasses state `released_to`."""

    # The permission that makes a reader a member of the mission for this collection; by default
    # the model's own view permission.
    member_permission: str | None = None

    def released_to(self, level: str) -> models.QuerySet:
        """The records released at ``level`` (a Releasability): what a reader at that level may read."""
        raise NotImplementedError

    def reader_level(self, user) -> str | None:
        """The level ``user`` reads this collection at (see `reader_level`)."""
        meta = self.model._meta
        return reader_level(user, self.member_permission or f"{meta.app_label}.view_{meta.model_name}")

    def visible_to(self, user) -> models.QuerySet:
        """The records ``user`` may read: all for members, what is released at the reader's level
        for partners and anonymous readers, none for anyone else."""
        level = self.reader_level(user)
        if level is None:
            return self.none()
        if level == Releasability.MISSION:
            return self.all()
        return self.released_to(level)

    def all_visible_to(self, user) -> bool:
        """Whether ``user`` may read every record (`visible_to` narrows nothing): counts may then skip
        the narrowing and read an index of their own."""
        return self.reader_level(user) == Releasability.MISSION


class MembersOnlyQuerySet(ReleasableQuerySet):
    """The mission's working material (raw posts, place candidates): released outside it at no level."""

    def released_to(self, level: str) -> models.QuerySet:
        return self.all() if Releasability(level) == Releasability.MISSION else self.none()


class ReleasedWholeQuerySet(ReleasableQuerySet):
    """Public knowledge (hotspots, contingents): every record is released at every level."""

    def released_to(self, level: str) -> models.QuerySet:
        Releasability(level)
        return self.all()
