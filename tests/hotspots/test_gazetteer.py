import csv
import shutil

import pytest
from django.core.management import CommandError, call_command

from hotspots import gazetteer
from hotspots.models import AdminArea, Hotspot, HotspotAlias, ReferencePlace

pytestmark = pytest.mark.django_db

SEED_ROWS = 22


def test_gazetteer_loads_every_seed_hotspot():
    # The session fixture loaded the gazetteer once into the test database (tests/conftest.py).
    assert Hotspot.objects.count() == SEED_ROWS
    assert AdminArea.objects.filter(level=1).count() == 10
    assert AdminArea.objects.filter(level=2).count() == 140
    assert AdminArea.objects.filter(level=3).count() == 570
    assert ReferencePlace.objects.count() == 10856


def test_unplaced_seed_hotspot_loads_without_a_point():
    hotspot = Hotspot.objects.get(slug="carrefour-laeroport")
    assert hotspot.location is None
    assert hotspot.confidence == "none"
    assert list(Hotspot.objects.unplaced().values_list("slug", flat=True)) == ["carrefour-laeroport"]


def test_hotspots_get_pcodes_from_the_boundaries():
    tlia = Hotspot.objects.get(slug="tlia")
    assert (tlia.adm1_pcode, tlia.adm2_pcode, tlia.adm3_pcode) == ("HT01", "HT0118", "HT0118-03")
    pont_sonde = Hotspot.objects.get(slug="pont-sonde")
    assert pont_sonde.adm3_pcode == "HT0531-05"


def test_every_hotspot_has_a_kreyol_alias():
    lacking = Hotspot.objects.exclude(aliases__language="ht").values_list("slug", flat=True)
    assert list(lacking) == []


def test_alias_languages_come_from_the_aliases_file():
    assert HotspotAlias.objects.get(hotspot__slug="tlia", text="TLIA").language == "abbreviation"
    assert HotspotAlias.objects.get(hotspot__slug="champ-de-mars", text="Channmas").language == "ht"


def test_loading_twice_changes_nothing():
    history_before = (Hotspot.history.count(), HotspotAlias.history.count())
    aliases_before = HotspotAlias.objects.count()

    hotspot_stats = gazetteer.load_hotspots()
    area_stats = gazetteer.load_admin_areas()
    place_stats = gazetteer.load_reference_places()

    assert (hotspot_stats.created, hotspot_stats.updated) == (0, 0)
    assert (area_stats.created, area_stats.updated) == (0, 0)
    assert (place_stats.created, place_stats.updated) == (0, 0)
    assert HotspotAlias.objects.count() == aliases_before
    assert (Hotspot.history.count(), HotspotAlias.history.count()) == history_before


def test_an_edited_csv_row_updates_the_hotspot_in_place(tmp_path):
    seed = tmp_path / "seed.csv"
    rows = list(csv.DictReader(gazetteer.SEED_CSV.open(encoding="utf-8")))
    solino = next(r for r in rows if r["slug"] == "solino")
    solino["name"] = "Solino (quartier)"
    solino["aliases"] = "Solino neighbourhood"
    with seed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = Hotspot.objects.get(slug="solino")

    stats = gazetteer.load_hotspots(seed, gazetteer.ALIASES_CSV)

    after = Hotspot.objects.get(slug="solino")
    assert after.pk == before.pk
    assert after.name == "Solino (quartier)"
    assert stats.updated == 1
    assert after.aliases.filter(text="Solino neighbourhood").exists()
    assert after.history.first().name == "Solino (quartier)"


def test_a_bad_row_is_refused_with_its_line(tmp_path):
    seed = tmp_path / "seed.csv"
    shutil.copy(gazetteer.SEED_CSV, seed)
    text = seed.read_text(encoding="utf-8").replace(",airport,", ",spaceport,", 1)
    seed.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match=r"seed.csv line 2: unknown hotspot kind 'spaceport'"):
        call_command("load_gazetteer", "--skip-reference", "--seed", str(seed))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_gazetteer", "--skip-reference", "--seed", str(tmp_path / "missing.csv"))
