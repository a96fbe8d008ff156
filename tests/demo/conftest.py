import pytest
from django.contrib.gis.geos import Point

from hotspots import gazetteer
from hotspots.models import Hotspot, ReferencePlace


@pytest.fixture
def gazetteer_loaded(db):
    """The seed hotspots and Haiti's populated places (the demo hotspots are named after them).

    The suite's database has them already (tests/conftest.py); a few places are added if not.
    """
    if not Hotspot.objects.exists():
        gazetteer.load_hotspots()
    if not ReferencePlace.objects.exists():
        places = [
            ("Morne Lazarre", -72.30, 18.55),
            ("Fond Tribé", -72.40, 18.60),
            ("Savane Diane", -72.05, 19.10),
        ]
        ReferencePlace.objects.bulk_create(
            ReferencePlace(wof_id=900 + i, name=name, location=Point(lon, lat, srid=4326))
            for i, (name, lon, lat) in enumerate(places)
        )
