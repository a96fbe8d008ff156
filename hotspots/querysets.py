"""Query helpers for hotspots."""

from django.contrib.gis.db import models


class HotspotQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def placed(self):
        return self.filter(location__isnull=False)

    def unplaced(self):
        return self.filter(location__isnull=True)
