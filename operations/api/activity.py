"""The hotspot activity counts operations contributes: reports and training records per hotspot."""

from django.db.models import Count, IntegerField, OuterRef, Subquery

from hotspots.api.activity import ActivityCounter, register

from ..models import OperationReport, TrainingRecord


def _count(rows, group: str) -> Subquery:
    return Subquery(
        rows.order_by().values(group).annotate(n=Count("*")).values("n"), output_field=IntegerField()
    )


def _reports(user):
    if OperationReport.objects.all_visible_to(user):
        # Members see every report: the link table alone answers, from its hotspot index.
        links = OperationReport.hotspots.through.objects.filter(hotspot_id=OuterRef("pk"))
        return _count(links, "hotspot_id")
    return _count(OperationReport.objects.visible_to(user).filter(hotspots=OuterRef("pk")), "hotspots")


def _training(user):
    return _count(TrainingRecord.objects.visible_to(user).filter(hotspot=OuterRef("pk")), "hotspot")


register(ActivityCounter("reports", "Operation reports at the hotspot that you may see.", _reports))
register(
    ActivityCounter("training_records", "Training records held at the hotspot that you may see.", _training)
)
