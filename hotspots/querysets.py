"""Query helpers for hotspots, and who may see them (accounts/releasability.py)."""

from accounts.releasability import ReleasedWholeQuerySet


class HotspotQuerySet(ReleasedWholeQuerySet):
    """Hotspots are the mission's public geography: released whole at every level, inactive ones
    included (released reports and updates name them, and the API shows `is_active`)."""

    def active(self):
        return self.filter(is_active=True)

    def placed(self):
        return self.filter(location__isnull=False)

    def unplaced(self):
        return self.filter(location__isnull=True)
