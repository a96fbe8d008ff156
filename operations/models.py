"""Operation reports, HNP training records and the contingents that take part."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from hotspots.geo import is_in_haiti, outside_haiti_message

from .choices import OperationKind, Releasability, ReportStatus, TrainingStatus, TrainingTopic
from .querysets import ContingentQuerySet, OperationReportQuerySet, TrainingRecordQuerySet


class Contingent(TimeStampedModel):
    """A country's contingent in the mission (Kenya leads; Jamaica, Belize, Guatemala...)."""

    country_code = models.CharField(
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the ISO 3166 two-letter code in capitals, e.g. KE.")],
        help_text="ISO 3166-1 alpha-2 code, e.g. KE for Kenya.",
    )
    name = models.CharField(max_length=100, unique=True)
    name_fr = models.CharField("name (French)", max_length=100, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = ContingentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "contingent"

    def __str__(self) -> str:
        return self.name


class OperationReport(TimeStampedModel):
    """What the mission did, where and with what outcome, entered and approved by staff."""

    reference = models.CharField(
        max_length=40,
        unique=True,
        blank=True,
        help_text="e.g. OPS-2025-0042; given automatically when empty.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    operation_kind = models.CharField(max_length=32, choices=OperationKind.choices)
    started_at = models.DateTimeField("start")
    ended_at = models.DateTimeField("end", null=True, blank=True)
    hotspots = models.ManyToManyField("hotspots.Hotspot", blank=True, related_name="operation_reports")
    location = models.PointField(
        srid=4326, null=True, blank=True, help_text="Where, if not a hotspot's point."
    )
    contingents = models.ManyToManyField(Contingent, blank=True, related_name="operation_reports")
    hnp_units = models.CharField("HNP units involved", max_length=300, blank=True)
    personnel_deployed = models.PositiveIntegerField(default=0)
    arrests = models.PositiveIntegerField(default=0)
    weapons_seized = models.PositiveIntegerField(default=0)
    personnel_injured = models.PositiveIntegerField(default=0)
    personnel_killed = models.PositiveIntegerField(default=0)
    civilians_injured = models.PositiveIntegerField(default=0)
    civilians_killed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    releasability = models.CharField(
        max_length=16, choices=Releasability.choices, default=Releasability.MISSION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="operation_reports"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_operation_reports",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[hotspots, contingents])
    objects = OperationReportQuerySet.as_manager()

    FIGURE_FIELDS = (
        "personnel_deployed",
        "arrests",
        "weapons_seized",
        "personnel_injured",
        "personnel_killed",
        "civilians_injured",
        "civilians_killed",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "operation report"
        permissions = [("approve_operationreport", "Can approve operation reports")]
        indexes = [
            models.Index(fields=["status", "releasability"], name="report_status_rel_idx"),
            models.Index(fields=["started_at"], name="report_started_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="report_end_after_start",
                violation_error_message="The end of an operation cannot be before its start.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_by__isnull=False),
                name="report_approved_has_approver",
                violation_error_message="An approved report must name its approver.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            errors["ended_at"] = "The end of an operation cannot be before its start."
        if self.location is not None and not is_in_haiti(self.location):
            errors["location"] = outside_haiti_message(self.location)
        if errors:
            raise ValidationError(errors)


class TrainingRecord(TimeStampedModel):
    """A course given to HNP officers: who provided it, where, when and how many were trained."""

    course = models.CharField(max_length=200)
    topic = models.CharField(max_length=32, choices=TrainingTopic.choices, default=TrainingTopic.OTHER)
    hotspot = models.ForeignKey(
        "hotspots.Hotspot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_records",
        help_text="Where the course was held, when it is a hotspot (e.g. the National Police College).",
    )
    place_name = models.CharField(max_length=200, blank=True)
    location = models.PointField(srid=4326, null=True, blank=True)
    providing_contingents = models.ManyToManyField(Contingent, blank=True, related_name="training_records")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    trainees_total = models.PositiveIntegerField(default=0)
    trainees_women = models.PositiveIntegerField("women among the trainees", default=0)
    status = models.CharField(max_length=16, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED)
    releasability = models.CharField(
        max_length=16, choices=Releasability.choices, default=Releasability.MISSION
    )
    notes = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )

    history = HistoricalRecords(m2m_fields=[providing_contingents])
    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "HNP training record"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="training_end_after_start",
                violation_error_message="A course cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(trainees_women__lte=models.F("trainees_total")),
                name="training_women_within_total",
                violation_error_message="There cannot be more women than trainees.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "A course cannot end before it starts."
        if (self.trainees_women or 0) > (self.trainees_total or 0):
            errors["trainees_women"] = (
                f"There cannot be more women ({self.trainees_women}) than trainees ({self.trainees_total})."
            )
        if self.location is not None and not is_in_haiti(self.location):
            errors["location"] = outside_haiti_message(self.location)
        if errors:
            raise ValidationError(errors)
