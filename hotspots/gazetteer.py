"""Loading the gazetteer: the seed hotspots with their aliases, and Haiti's reference places.

Every loader is idempotent: a second run changes nothing (and writes no history), an edited
CSV row updates its record in place. Slugs, P-codes and Who's On First ids are the keys.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import transaction

from core.text import normalise

from .choices import AdminLevel, AliasLanguage, Confidence, HotspotKind
from .models import AdminArea, Hotspot, HotspotAlias, ReferencePlace

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SEED_CSV = DATA_DIR / "hotspots_seed.csv"
ALIASES_CSV = DATA_DIR / "hotspot_aliases.csv"

_BOUNDARY_FILES = {
    AdminLevel.DEPARTMENT: ("hti_admbnda_adm1_cnigs_20181129_dv.json", "ADM1"),
    AdminLevel.COMMUNE: ("hti_admbnda_adm2_cnigs_20181129_dv.json", "ADM2"),
    AdminLevel.SECTION: ("hti_adm3_sections_simplified.geojson", "ADM3"),
}
_POINT_FILES = {
    AdminLevel.DEPARTMENT: "hti_adm1_departments.csv",
    AdminLevel.COMMUNE: "hti_adm2_communes.csv",
    AdminLevel.SECTION: "hti_adm3_sections_communales.csv",
}
_FRENCH_HINT = re.compile(r"\b(de|du|des|la|le|les|l'|d')\b|[éèêàâçôû]", re.IGNORECASE)


class GazetteerError(ValueError):
    """A gazetteer file that cannot be loaded; the message names the file and the row."""


@dataclass
class LoadStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def guess_alias_language(text: str) -> str:
    """A fallback when the aliases file does not say: staff correct it in the admin."""
    stripped = text.replace(".", "")
    if stripped.isupper() and len(stripped) <= 6 and " " not in stripped:
        return AliasLanguage.ABBREVIATION
    if _FRENCH_HINT.search(text):
        return AliasLanguage.FR
    return AliasLanguage.EN


def _kind(value: str, *, where: str) -> str:
    kind = value.strip().lower().replace(" ", "_").replace("-", "_")
    if kind not in HotspotKind.values:
        raise GazetteerError(f"{where}: unknown hotspot kind {value!r}; expected one of {HotspotKind.values}")
    return kind


def _point(lat: str, lon: str, *, where: str) -> Point | None:
    if not lat.strip() and not lon.strip():
        return None
    try:
        return Point(float(lon), float(lat), srid=4326)
    except ValueError as exc:
        raise GazetteerError(f"{where}: latitude/longitude {lat!r}, {lon!r} are not numbers") from exc


def _set_if_changed(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(value, GEOSGeometry) or isinstance(current, GEOSGeometry):
            same = (current is None and value is None) or (
                current is not None and value is not None and current.equals_exact(value, 1e-9)
            )
        else:
            same = current == value
        if not same:
            setattr(obj, name, value)
            changed = True
    return changed


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GazetteerError(f"{path}: cannot be read: {exc}") from exc


def _area_codes(point: Point | None) -> dict[str, str]:
    """The section, commune and department P-codes of the area containing the point."""
    if point is None:
        return {"adm1_pcode": "", "adm2_pcode": "", "adm3_pcode": ""}
    section = (
        AdminArea.objects.filter(level=AdminLevel.SECTION, geometry__contains=point)
        .select_related("parent__parent")
        .first()
    )
    if section is None:
        # Coastal and coarse points can fall just outside every polygon: take the nearest section.
        section = (
            AdminArea.objects.filter(level=AdminLevel.SECTION, geometry__dwithin=(point, 0.05))
            .select_related("parent__parent")
            .order_by("pcode")
            .first()
        )
    if section is None:
        return {"adm1_pcode": "", "adm2_pcode": "", "adm3_pcode": ""}
    commune = section.parent
    return {
        "adm3_pcode": section.pcode,
        "adm2_pcode": commune.pcode if commune else "",
        "adm1_pcode": commune.parent.pcode if commune and commune.parent else "",
    }


@transaction.atomic
def load_hotspots(seed_path: Path = SEED_CSV, aliases_path: Path | None = ALIASES_CSV) -> LoadStats:
    """Create or update hotspots and their aliases from the seed CSV (and the alias-language file)."""
    stats = LoadStats()
    languages: dict[tuple[str, str], str] = {}
    extra: dict[str, list[tuple[str, str]]] = {}
    if aliases_path is not None:
        for number, row in enumerate(_read_csv(aliases_path), start=2):
            where = f"{aliases_path.name} line {number}"
            try:
                slug, text, language = row["slug"].strip(), row["alias"].strip(), row["language"].strip()
            except (KeyError, AttributeError) as exc:
                raise GazetteerError(f"{where}: expected columns slug, alias, language") from exc
            if language not in AliasLanguage.values:
                raise GazetteerError(f"{where}: unknown alias language {language!r}")
            languages[(slug, normalise(text))] = language
            extra.setdefault(slug, []).append((text, language))

    existing = {h.slug: h for h in Hotspot.objects.all()}
    for number, row in enumerate(_read_csv(seed_path), start=2):
        where = f"{seed_path.name} line {number}"
        slug = (row.get("slug") or "").strip()
        if not slug or not (row.get("name") or "").strip():
            raise GazetteerError(f"{where}: a hotspot needs a slug and a name")
        location = _point(row.get("latitude", ""), row.get("longitude", ""), where=where)
        confidence = (row.get("confidence") or "").strip().lower() if location else Confidence.NONE
        if confidence not in Confidence.values:
            raise GazetteerError(f"{where}: unknown confidence {row.get('confidence')!r}")
        values = {
            "name": row["name"].strip(),
            "kind": _kind(row.get("kind", ""), where=where),
            "location": location,
            "commune": (row.get("commune") or "").strip(),
            "department": (row.get("department") or "").strip(),
            "confidence": confidence,
            "coordinate_source": (row.get("source") or "").strip(),
            **_area_codes(location),
        }
        hotspot = existing.get(slug)
        if hotspot is None:
            hotspot = Hotspot(slug=slug, **values)
            hotspot.full_clean()
            hotspot.save()
            stats.created += 1
        elif _set_if_changed(hotspot, values):
            hotspot.full_clean()
            hotspot.save()
            stats.updated += 1
        else:
            stats.unchanged += 1

        wanted = [(a.strip(), None) for a in (row.get("aliases") or "").split("|") if a.strip()]
        wanted += extra.get(slug, [])
        _sync_aliases(hotspot, wanted, languages, stats)
    return stats


def _sync_aliases(hotspot: Hotspot, wanted, languages, stats: LoadStats) -> None:
    """Add missing aliases and correct languages; aliases staff added by hand are left alone."""
    current = {a.normalised: a for a in hotspot.aliases.all()}
    for text, language in wanted:
        key = normalise(text)
        # A seed alias equal to the name adds nothing; the aliases file may still tag the name's language.
        if not key or (language is None and key == normalise(hotspot.name)):
            continue
        language = language or languages.get((hotspot.slug, key)) or guess_alias_language(text)
        alias = current.get(key)
        if alias is None:
            alias = HotspotAlias(hotspot=hotspot, text=text, language=language)
            alias.save()
            current[key] = alias
            stats.created += 1
        elif alias.language != language and (hotspot.slug, key) in languages:
            alias.language = language
            alias.save()
            stats.updated += 1


def _feature_geometry(feature: dict, *, where: str) -> MultiPolygon:
    try:
        geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
    except (KeyError, ValueError, TypeError) as exc:
        raise GazetteerError(f"{where}: invalid geometry") from exc
    if geometry.geom_type == "Polygon":
        geometry = MultiPolygon(geometry, srid=4326)
    return geometry


@transaction.atomic
def load_admin_areas(directory: Path = REFERENCE_DIR) -> LoadStats:
    """Departments, communes and communal sections, with their boundaries and representative points."""
    stats = LoadStats()
    existing = {a.pcode: a for a in AdminArea.objects.all()}
    for level in (AdminLevel.DEPARTMENT, AdminLevel.COMMUNE, AdminLevel.SECTION):
        prefix = f"adm{int(level)}"
        points = {row[f"{prefix}_pcode"]: row for row in _read_csv(directory / _POINT_FILES[level])}
        filename, field_prefix = _BOUNDARY_FILES[level]
        path = directory / filename
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError) as exc:
            raise GazetteerError(f"{path}: not a GeoJSON FeatureCollection: {exc}") from exc
        for index, feature in enumerate(features):
            props = feature.get("properties") or {}
            where = f"{filename} feature {index}"
            pcode = props.get(f"{field_prefix}_PCODE")
            row = points.get(pcode)
            if not pcode or row is None:
                raise GazetteerError(f"{where}: P-code {pcode!r} missing or not in {_POINT_FILES[level]}")
            parent_code = {
                AdminLevel.DEPARTMENT: None,
                AdminLevel.COMMUNE: props.get("ADM1_PCODE"),
                AdminLevel.SECTION: props.get("ADM2_PCODE"),
            }[level]
            values = {
                "level": int(level),
                "name_fr": props.get(f"{field_prefix}_FR") or row.get(f"{prefix}_fr", ""),
                "name_en": props.get(f"{field_prefix}_EN") or row.get(f"{prefix}_en", "") or "",
                "name_ht": props.get(f"{field_prefix}_HT") or row.get(f"{prefix}_ht", "") or "",
                "parent": existing.get(parent_code) if parent_code else None,
                "point": Point(float(row["reppoint_lon"]), float(row["reppoint_lat"]), srid=4326),
                "geometry": _feature_geometry(feature, where=where),
            }
            area = existing.get(pcode)
            if area is None:
                area = AdminArea.objects.create(pcode=pcode, **values)
                existing[pcode] = area
                stats.created += 1
            elif _set_if_changed(area, values):
                area.save()
                stats.updated += 1
            else:
                stats.unchanged += 1
    return stats


def _float(value: str, *, where: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise GazetteerError(f"{where}: {value!r} is not a number") from exc


@transaction.atomic
def load_reference_places(path: Path = REFERENCE_DIR / "hti_populated_places_wof_geonames.csv") -> LoadStats:
    """Populated places (Who's On First / GeoNames), in bulk: about 10,800 rows."""
    stats = LoadStats()
    existing = {p.wof_id: p for p in ReferencePlace.objects.all()}
    to_create, to_update = [], []
    fields = [
        "name",
        "name_fr",
        "name_ht",
        "placetype",
        "geonames_id",
        "location",
        "adm1_pcode",
        "adm2_pcode",
        "adm3_pcode",
        "adm2_name",
    ]
    for number, row in enumerate(_read_csv(path), start=2):
        where = f"{path.name} line {number}"
        try:
            wof_id = int(row["wof_id"])
        except (KeyError, ValueError) as exc:
            raise GazetteerError(f"{where}: wof_id missing or not an integer") from exc
        values = {
            "name": row.get("name", "").strip(),
            "name_fr": (row.get("name_fra") or "").strip(),
            "name_ht": (row.get("name_hat") or "").strip(),
            "placetype": (row.get("placetype") or "").strip(),
            "geonames_id": int(row["geonames_id"]) if (row.get("geonames_id") or "").strip() else None,
            "location": Point(
                _float(row.get("longitude", ""), where=where),
                _float(row.get("latitude", ""), where=where),
                srid=4326,
            ),
            "adm1_pcode": row.get("adm1_pcode", ""),
            "adm2_pcode": row.get("adm2_pcode", ""),
            "adm3_pcode": row.get("adm3_pcode", ""),
            "adm2_name": row.get("adm2_fr", ""),
        }
        place = existing.get(wof_id)
        if place is None:
            to_create.append(ReferencePlace(wof_id=wof_id, **values))
        elif _set_if_changed(place, values):
            to_update.append(place)
        else:
            stats.unchanged += 1
    ReferencePlace.objects.bulk_create(to_create, batch_size=1000)
    ReferencePlace.objects.bulk_update(to_update, fields, batch_size=1000)
    stats.created, stats.updated = len(to_create), len(to_update)
    return stats
