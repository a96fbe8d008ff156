"""Operation reports, HNP training records and the contingents that take part."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.releasability import levels_up_to
from core.models import TimeStampedModel
from core.validators import validate_event_time, validate_planned_day
from hotspots.geo import is_in_haiti, outside_haiti_message

from .choices import OperationKind, Releasability, ReportStatus, TrainingStatus, TrainingTopic
from .querysets import ContingentQuerySet, OperationReportQuerySet, TrainingRecordQuerySet


class Contingent(TimeStampedModel):
    """A country's contingent in the mission (Kenya leads; Jamaica, Belize, Guatemala...)."""

    country_code = models.CharField(
        _("country code"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", _("Use the ISO 3166 two-letter code in capitals, e.g. KE."))
        ],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. KE for Kenya."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    name_ht = models.CharField(_("name (Kreyòl)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ContingentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contingent")
        verbose_name_plural = _("contingents")

    def __str__(self) -> str:
        return self.local_name()

    def local_name(self, language: str | None = None) -> str:
        """The country's name in the page's language (English, French or Kreyòl), English when the
        name in that language was not given."""
        language = language or get_language() or "en"
        if language.startswith("ht"):
            return self.name_ht or self.name
        if language.startswith("fr"):
            return self.name_fr or self.name
        return self.name


class OperationReport(TimeStampedModel):
    """What the mission did, where and with what outcome, entered and approved by staff."""

    reference = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        blank=True,
        help_text=_("e.g. OPS-2025-0042; given automatically when empty."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    operation_kind = models.CharField(_("operation kind"), max_length=32, choices=OperationKind.choices)
    started_at = models.DateTimeField(_("start"), validators=[validate_event_time])
    ended_at = models.DateTimeField(_("end"), null=True, blank=True, validators=[validate_event_time])
    hotspots = models.ManyToManyField(
        "hotspots.Hotspot", verbose_name=_("hotspots"), blank=True, related_name="operation_reports"
    )
    location = models.PointField(
        _("location"), srid=4326, null=True, blank=True, help_text=_("Where, if not a hotspot's point.")
    )
    contingents = models.ManyToManyField(
        Contingent, verbose_name=_("contingents"), blank=True, related_name="operation_reports"
    )
    hnp_units = models.CharField(_("HNP units involved"), max_length=300, blank=True)
    personnel_deployed = models.PositiveIntegerField(_("personnel deployed"), default=0)
    arrests = models.PositiveIntegerField(_("arrests"), default=0)
    weapons_seized = models.PositiveIntegerField(_("weapons seized"), default=0)
    personnel_injured = models.PositiveIntegerField(_("personnel injured"), default=0)
    personnel_killed = models.PositiveIntegerField(_("personnel killed"), default=0)
    civilians_injured = models.PositiveIntegerField(_("civilians injured"), default=0)
    civilians_killed = models.PositiveIntegerField(_("civilians killed"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    releasability = models.CharField(
        _("releasability"), max_length=16, choices=Releasability.choices, default=Releasability.MISSION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="operation_reports",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_operation_reports",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = HistoricalRecords(
        m2m_fields=[hotspots, contingents],
        # An approver's reason for sending a report back or rejecting it is kept with the change.
        history_change_reason_field=models.TextField(null=True),
        verbose_name=_("change to an operation report"),
        verbose_name_plural=_("changes to operation reports"),
    )
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
        verbose_name = _("operation report")
        verbose_name_plural = _("operation reports")
        permissions = [("approve_operationreport", "Can approve operation reports")]
        indexes = [
            models.Index(fields=["status", "releasability"], name="report_status_rel_idx"),
            models.Index(fields=["started_at"], name="report_started_idx"),
            # The reports a partner may read, by id: their hotspot counts merge these ids with the
            # hotspot links, both read from indexes (operations/api/activity.py).
            models.Index(
                fields=["id"],
                condition=models.Q(
                    status=ReportStatus.APPROVED, releasability__in=levels_up_to(Releasability.PARTNERS)
                ),
                name="report_released_partners_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="report_end_after_start",
                violation_error_message=_("The end of an operation cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_by__isnull=False),
                name="report_approved_has_approver",
                violation_error_message=_("An approved report must name its approver."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            errors["ended_at"] = _("The end of an operation cannot be before its start.")
        if self.location is not None and not is_in_haiti(self.location):
            errors["location"] = outside_haiti_message(self.location)
        if errors:
            raise ValidationError(errors)


class TrainingRecord(TimeStampedModel):
    """A course given to HNP officers: who provided it, where, when and how many were trained."""

    course = models.CharField(_("course"), max_length=200)
    topic = models.CharField(
        _("topic"), max_length=32, choices=TrainingTopic.choices, default=TrainingTopic.OTHER
    )
    hotspot = models.ForeignKey(
        "hotspots.Hotspot",
        verbose_name=_("hotspot"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_records",
        help_text=_("Where the course was held, when it is a hotspot (e.g. the National Police College)."),
    )
    place_name = models.CharField(_("place name"), max_length=200, blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    providing_contingents = models.ManyToManyField(
        Contingent, verbose_name=_("providing contingents"), blank=True, related_name="training_records"
    )
    starts_on = models.DateField(_("starts on"), validators=[validate_planned_day])
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=[validate_planned_day])
    trainees_total = models.PositiveIntegerField(_("trainees total"), default=0)
    trainees_women = models.PositiveIntegerField(_("women among the trainees"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED
    )
    releasability = models.CharField(
        _("releasability"), max_length=16, choices=Releasability.choices, default=Releasability.MISSION
    )
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="training_records",
    )

    history = HistoricalRecords(
        m2m_fields=[providing_contingents],
        verbose_name=_("change to a training record"),
        verbose_name_plural=_("changes to training records"),
    )
    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("HNP training record")
        verbose_name_plural = _("HNP training records")
        # The API's pages go down the default order from a cursor (core/api/pagination.py).
        indexes = [models.Index(fields=["starts_on", "id"], name="training_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="training_end_after_start",
                violation_error_message=_("A course cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(trainees_women__lte=models.F("trainees_total")),
                name="training_women_within_total",
                violation_error_message=_("There cannot be more women than trainees."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A course cannot end before it starts.")
        if (self.trainees_women or 0) > (self.trainees_total or 0):
            errors["trainees_women"] = _(
                "There cannot be more women (%(women)s) than trainees (%(total)s)."
            ) % {"women": self.trainees_women, "total": self.trainees_total}
        if self.location is not None and not is_in_haiti(self.location):
            errors["location"] = outside_haiti_message(self.location)
        if errors:
            raise ValidationError(errors)
