"""Hotspot sites, their aliases, and Haiti's reference places (boundaries and populated places)."""

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.text import normalise

from .choices import AdminLevel, AliasLanguage, Confidence, HotspotKind
from .geo import is_in_haiti, outside_haiti_message
from .querysets import HotspotQuerySet


class Hotspot(TimeStampedModel):
    """A site the mission reports on: an airport, a port, a neighbourhood, a town."""

    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Canonical identifier, used by partners.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=HotspotKind.choices, default=HotspotKind.OTHER)
    location = models.PointField(
        _("location"),
        srid=4326,
        null=True,
        blank=True,
        help_text=_("Leave empty while no source has placed the site."),
    )
    area = models.MultiPolygonField(_("area"), srid=4326, null=True, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    adm1_pcode = models.CharField(_("department P-code"), max_length=12, blank=True)
    adm2_pcode = models.CharField(_("commune P-code"), max_length=12, blank=True)
    adm3_pcode = models.CharField(_("section P-code"), max_length=16, blank=True)
    confidence = models.CharField(
        _("coordinate confidence"), max_length=8, choices=Confidence.choices, default=Confidence.NONE
    )
    coordinate_source = models.TextField(_("coordinate source"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(
        verbose_name=_("change to a hotspot"), verbose_name_plural=_("changes to hotspots")
    )
    objects = HotspotQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        indexes = [models.Index(fields=["kind"], name="hotspot_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(location__isnull=True) | models.Q(confidence="none"),
                name="hotspot_unplaced_has_no_confidence",
                violation_error_message=_("A hotspot without a location must have confidence 'none'."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:hotspots_hotspot_change", args=[self.pk])

    @property
    def is_placed(self) -> bool:
        return self.location is not None

    def clean(self) -> None:
        super().clean()
        if self.location is not None:
            if not is_in_haiti(self.location):
                raise ValidationError({"location": outside_haiti_message(self.location)})
            if self.confidence == Confidence.NONE:
                raise ValidationError(
                    {"confidence": _("A placed hotspot needs a coordinate confidence (high, medium or low).")}
                )
        elif self.confidence != Confidence.NONE:
            self.confidence = Confidence.NONE


class HotspotAlias(TimeStampedModel):
    """Another name of a hotspot, in English, French, Kreyòl or as an abbreviation."""

    hotspot = models.ForeignKey(
        Hotspot, verbose_name=_("hotspot"), on_delete=models.CASCADE, related_name="aliases"
    )
    text = models.CharField(_("text"), max_length=200)
    language = models.CharField(_("language"), max_length=16, choices=AliasLanguage.choices)
    normalised = models.CharField(
        _("normalised"),
        max_length=200,
        db_index=True,
        editable=False,
        help_text=_("Folded form used for matching."),
    )

    history = HistoricalRecords(
        verbose_name=_("change to a hotspot alias"), verbose_name_plural=_("changes to hotspot aliases")
    )

    class Meta:
        ordering = ["hotspot__name", "text"]
        verbose_name = _("hotspot alias")
        verbose_name_plural = _("hotspot aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["hotspot", "normalised"],
                name="alias_unique_per_hotspot",
                violation_error_message=_("This hotspot already has that alias."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ({self.get_language_display()})"

    def clean(self) -> None:
        super().clean()
        self.normalised = normalise(self.text)
        if not self.normalised:
            raise ValidationError({"text": _("An alias needs at least one letter or digit.")})

    def save(self, *args, **kwargs) -> None:
        # Kept in step with the text on every save, including bulk paths that skip clean().
        self.normalised = normalise(self.text)
        super().save(*args, **kwargs)


class AdminArea(models.Model):
    """A department, commune or communal section of Haiti (OCHA/CNIGS COD-AB, 2018-11-29)."""

    pcode = models.CharField(_("P-code"), max_length=16, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=AdminLevel.choices)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_ht = models.CharField(_("name (Kreyòl)"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    point = models.PointField(
        _("point"), srid=4326, help_text=_("A representative point, always inside the area.")
    )
    geometry = models.MultiPolygonField(_("geometry"), srid=4326, null=True, blank=True)

    class Meta:
        ordering = ["level", "pcode"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        indexes = [models.Index(fields=["level"], name="adminarea_level_idx")]

    def __str__(self) -> str:
        return f"{self.name_fr} ({self.pcode})"


class ReferencePlace(models.Model):
    """A populated place of Haiti (Who's On First / GeoNames): a source of place candidates."""

    wof_id = models.BigIntegerField(_("Who's On First id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_ht = models.CharField(_("name (Kreyòl)"), max_length=200, blank=True)
    placetype = models.CharField(_("place type"), max_length=32)
    geonames_id = models.BigIntegerField(_("GeoNames id"), null=True, blank=True)
    location = models.PointField(_("location"), srid=4326)
    adm1_pcode = models.CharField(_("department P-code"), max_length=12, blank=True)
    adm2_pcode = models.CharField(_("commune P-code"), max_length=12, blank=True)
    adm3_pcode = models.CharField(_("section P-code"), max_length=16, blank=True)
    adm2_name = models.CharField(_("commune"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reference place")
        verbose_name_plural = _("reference places")

    def __str__(self) -> str:
        return self.name
