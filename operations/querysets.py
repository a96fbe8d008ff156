"""Which operation reports, training records and contingents are released, and to whom
(accounts/releasability.py: `visible_to(user)` from `released_to(level)`)."""

from accounts.releasability import ReleasableQuerySet, ReleasedWholeQuerySet, levels_up_to

from .choices import ReportStatus


class OperationReportQuerySet(ReleasableQuerySet):
    def released_to(self, level: str):
        """Approved reports released at ``level`` or to a wider audience: a draft may still change."""
        return self.filter(status=ReportStatus.APPROVED, releasability__in=levels_up_to(level))


class TrainingRecordQuerySet(ReleasableQuerySet):
    def released_to(self, level: str):
        """Training records released at ``level`` or to a wider audience."""
        return self.filter(releasability__in=levels_up_to(level))


class ContingentQuerySet(ReleasedWholeQuerySet):
    """Contingents are public knowledge: every reader sees them all."""
