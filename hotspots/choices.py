"""Choices for hotspot fields."""

from django.db import models


class HotspotKind(models.TextChoices):
    AIRPORT = "airport", "Airport"
    PORT = "port", "Port"
    POLICE_FACILITY = "police_facility", "Police facility"
    FUEL_TERMINAL = "fuel_terminal", "Fuel terminal"
    GOVERNMENT_BUILDING = "government_building", "Government building"
    PUBLIC_SQUARE = "public_square", "Public square"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    ROAD_JUNCTION = "road_junction", "Road junction"
    ROAD = "road", "Road or route"
    TOWN = "town", "Town"
    OTHER = "other", "Other"


class Confidence(models.TextChoices):
    """How far a hotspot's point can be trusted (the seed marks half its points as fallbacks)."""

    HIGH = "high", "High: the site itself"
    MEDIUM = "medium", "Medium: a nearby named point"
    LOW = "low", "Low: a fallback (commune or section point)"
    NONE = "none", "None: not placed"


class AliasLanguage(models.TextChoices):
    EN = "en", "English"
    FR = "fr", "French"
    HT = "ht", "Haitian Creole"
    ABBREVIATION = "abbreviation", "Abbreviation"


class AdminLevel(models.IntegerChoices):
    DEPARTMENT = 1, "Department (adm1)"
    COMMUNE = 2, "Commune (adm2)"
    SECTION = 3, "Communal section (adm3)"
