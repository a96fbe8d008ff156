"""The hotspot activity counts operations contributes: reports and training records per hotspot."""

from django.db.models import Count

from hotspots.api.activity import ActivityCounter, register

from ..models import OperationReport, TrainingRecord


def _reports(user):
    if OperationReport.objects.all_visible_to(user):
        # Every report: the links alone say how many each hotspot has (an index-only scan, where
        # joining the reports reads the whole report table; figures in docs/benchmarks.md).
        links = OperationReport.hotspots.through.objects.order_by()
        return links.values_list("hotspot").annotate(n=Count("*"))
    return OperationReport.objects.visible_to(user).counts_per_hotspot()


def _training(user):
    return TrainingRecord.objects.visible_to(user).counts_per_hotspot()


register(ActivityCounter("reports", "Operation reports at the hotspot that you may see.", _reports))
register(
    ActivityCounter("training_records", "Training records held at the hotspot that you may see.", _training)
)
