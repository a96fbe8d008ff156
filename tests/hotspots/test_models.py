import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from hotspots.models import Hotspot, HotspotAlias
from tests.factories import HotspotAliasFactory, HotspotFactory

pytestmark = pytest.mark.django_db


def test_alias_keeps_a_normalised_form_for_matching():
    alias = HotspotAliasFactory(text="L’Estère", language="fr")
    assert alias.normalised == "estere"


def test_the_same_alias_twice_on_a_hotspot_is_refused():
    alias = HotspotAliasFactory(text="Pont Sondé")
    duplicate = HotspotAlias(hotspot=alias.hotspot, text="PONT-SONDE", language="fr")
    with pytest.raises(ValidationError, match="already has that alias"):
        duplicate.full_clean()


def test_a_location_outside_haiti_is_refused():
    # Swapped latitude and longitude put the point far outside Haiti.
    hotspot = HotspotFactory.build(location=Point(18.54, -72.33, srid=4326))
    with pytest.raises(ValidationError) as info:
        hotspot.full_clean()
    assert "outside Haiti" in info.value.message_dict["location"][0]


def test_a_location_in_the_dominican_republic_is_refused():
    santo_domingo = Point(-69.93, 18.48, srid=4326)
    with pytest.raises(ValidationError, match="outside Haiti"):
        HotspotFactory.build(location=santo_domingo).full_clean()


def test_a_coastal_site_just_offshore_is_accepted():
    # The seed's Carrefour Drouillard point lies about 0.4 km offshore.
    HotspotFactory.build(location=Point(-72.35, 18.60, srid=4326)).full_clean()


def test_an_unplaced_hotspot_has_no_confidence():
    hotspot = HotspotFactory(location=None, confidence="none")
    assert not hotspot.is_placed
    assert hotspot in Hotspot.objects.unplaced()


def test_the_database_refuses_a_confidence_without_a_point():
    with pytest.raises(IntegrityError):
        HotspotFactory(location=None, confidence="high")


def test_a_placed_hotspot_needs_a_confidence():
    hotspot = HotspotFactory.build(confidence="none")
    with pytest.raises(ValidationError, match="needs a coordinate confidence"):
        hotspot.full_clean()


def test_changes_to_a_hotspot_are_kept_in_its_history():
    hotspot = HotspotFactory(name="Old name")
    hotspot.name = "New name"
    hotspot.save()
    assert [h.name for h in hotspot.history.all()] == ["New name", "Old name"]


def test_an_empty_point_is_refused_with_a_message():
    hotspot = HotspotFactory.build(location=Point(srid=4326))
    with pytest.raises(ValidationError, match="location is empty"):
        hotspot.full_clean()
