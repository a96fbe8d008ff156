"""Choices for hotspot fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HotspotKind(models.TextChoices):
    AIRPORT = "airport", _("Airport")
    PORT = "port", _("Port")
    POLICE_FACILITY = "police_facility", _("Police facility")
    FUEL_TERMINAL = "fuel_terminal", _("Fuel terminal")
    GOVERNMENT_BUILDING = "government_building", _("Government building")
    PUBLIC_SQUARE = "public_square", _("Public square")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    ROAD_JUNCTION = "road_junction", _("Road junction")
    ROAD = "road", _("Road or route")
    TOWN = "town", _("Town")
    OTHER = "other", _("Other")


class Confidence(models.TextChoices):
    """How far a hotspot's point can be trusted (the seed marks half its points as fallbacks)."""

    HIGH = "high", _("High: the site itself")
    MEDIUM = "medium", _("Medium: a nearby named point")
    LOW = "low", _("Low: a fallback (commune or section point)")
    NONE = "none", _("None: not placed")


class AliasLanguage(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    HT = "ht", _("Haitian Creole")
    ABBREVIATION = "abbreviation", _("Abbreviation")


class AdminLevel(models.IntegerChoices):
    DEPARTMENT = 1, _("Department (adm1)")
    COMMUNE = 2, _("Commune (adm2)")
    SECTION = 3, _("Communal section (adm3)")
