"""Which operation reports, training records and contingents are released, and to whom
(accounts/releasability.py: `visible_to(user)` from `released_to(level)`)."""

from django.db.models import Count, Max

from accounts.releasability import ReleasableQuerySet, ReleasedWholeQuerySet, levels_up_to

from .choices import ReportStatus


class OperationReportQuerySet(ReleasableQuerySet):
    def released_to(self, level: str):
        """Approved reports released at ``level`` or to a wider audience: a draft may still change."""
        return self.filter(status=ReportStatus.APPROVED, releasability__in=levels_up_to(level))

    def counts_per_hotspot(self):
        """(hotspot id, reports, latest start) for each hotspot of these reports. A report is linked
        to a hotspot at most once (the link table's unique pair), and every filter across a relation
        is a subquery (core/filters.py): each joined row is one report at one hotspot, so COUNT(*)."""
        return (
            self.filter(hotspots__isnull=False)
            .order_by()
            .values_list("hotspots")
            .annotate(n=Count("*"), last=Max("started_at"))
        )


class TrainingRecordQuerySet(ReleasableQuerySet):
    def released_to(self, level: str):
        """Training records released at ``level`` or to a wider audience."""
        return self.filter(releasability__in=levels_up_to(level))

    def counts_per_hotspot(self):
        """(hotspot id, training records, latest change) for each hotspot of these records."""
        return (
            self.filter(hotspot__isnull=False)
            .order_by()
            .values_list("hotspot")
            .annotate(n=Count("*"), last=Max("updated_at"))
        )


class ContingentQuerySet(ReleasedWholeQuerySet):
    """Contingents are public knowledge: every reader sees them all."""
