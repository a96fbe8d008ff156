"""The hotspot activity counts operations contributes: reports and training records per hotspot."""

from hotspots.api.activity import ActivityCounter, register

from ..models import OperationReport, TrainingRecord


def _reports(user):
    return OperationReport.objects.visible_to(user).counts_per_hotspot()


def _training(user):
    return TrainingRecord.objects.visible_to(user).counts_per_hotspot()


register(ActivityCounter("reports", "Operation reports at the hotspot that you may see.", _reports))
register(
    ActivityCounter("training_records", "Training records held at the hotspot that you may see.", _training)
)
