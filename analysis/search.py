"""The map's place search and place names: one search over hotspots, their aliases and Haiti's
gazetteer (departments, communes, communal sections, populated places), an area's outline with the
hotspots inside it, and the names the map draws as labels when it has no tiles.

Names are compared in the one normalised form of core.text (case, accents, apostrophes and hyphens
folded), so "Petion-Ville", "pétion ville" and "PETION-VILLE" are the same search, and a Kreyòl or
French spelling finds its place (AdminArea and ReferencePlace keep both). The gazetteer is reference
data that changes only when `load_gazetteer` runs: it is read once per process into a list of
normalised names, and read again when its row counts change. Hotspots are read per request, as each
reader may see them (`visible_to`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.renderers import JSONRenderer
from core.api.viewsets import MissionViewMixin
from core.text import normalise
from hotspots.choices import AdminLevel
from hotspots.models import AdminArea, Hotspot, HotspotAlias, ReferencePlace

from .pages import MEMBER_PERMISSIONS

MAX_RESULTS = 20
MIN_QUERY = 2
# Populated places for labels: at most this many in one view (the map thins them further).
MAX_PLACE_LABELS = 400
# An area's outline is simplified to about 100 m before it is sent: enough to draw at any zoom the
# map shows whole areas at, and a tenth of the bytes.
OUTLINE_TOLERANCE = 0.001

# Order of kinds among results that match equally well: the mission's own places first.
KIND_ORDER = {"hotspot": 0, "alias": 1, "department": 2, "commune": 3, "section": 4, "place": 5}
_LEVEL_KIND = {
    AdminLevel.DEPARTMENT: "department",
    AdminLevel.COMMUNE: "commune",
    AdminLevel.SECTION: "section",
}


@dataclass(frozen=True)
class Entry:
    """One name of the gazetteer, normalised, with what a result shows of its place."""

    key: str  # normalised name
    kind: str
    name: str
    matched: str  # the spelling that matched, when it is not the name
    id: str
    department: str
    lat: float
    lon: float


class _Gazetteer:
    """The gazetteer's names in memory, per process; read again when its tables change size."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stamp = None
        self.entries: list[Entry] = []
        self.departments: dict[str, str] = {}

    def current(self) -> _Gazetteer:
        stamp = (AdminArea.objects.count(), ReferencePlace.objects.count())
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._load()
                    self._stamp = stamp
        return self

    def _load(self) -> None:
        areas = list(
            AdminArea.objects.only("pcode", "level", "name_fr", "name_en", "name_ht", "parent_id", "point")
        )
        by_id = {a.pk: a for a in areas}

        def department_of(area) -> AdminArea:
            while area.parent_id and area.parent_id in by_id:
                area = by_id[area.parent_id]
            return area

        departments = {a.pcode: a.name_fr for a in areas if a.level == AdminLevel.DEPARTMENT}
        entries: list[Entry] = []
        for area in areas:
            kind = _LEVEL_KIND.get(area.level)
            if not kind:
                continue
            department = department_of(area).name_fr if area.level != AdminLevel.DEPARTMENT else ""
            entries.extend(
                _entries(
                    (area.name_fr, area.name_en, area.name_ht),
                    kind=kind,
                    id=area.pcode,
                    department=department,
                    point=area.point,
                )
            )
        places = ReferencePlace.objects.only("wof_id", "name", "name_fr", "name_ht", "adm1_pcode", "location")
        for place in places.iterator(chunk_size=2000):
            entries.extend(
                _entries(
                    (place.name, place.name_fr, place.name_ht),
                    kind="place",
                    id=str(place.wof_id),
                    department=departments.get(place.adm1_pcode, ""),
                    point=place.location,
                )
            )
        self.entries = entries
        self.departments = departments


def _entries(names, *, kind, id, department, point) -> list[Entry]:
    name = next((n for n in names if n), "")
    seen, result = set(), []
    for spelling in names:
        key = normalise(spelling or "")
        if key and key not in seen:
            seen.add(key)
            matched = spelling if spelling != name else ""
            result.append(Entry(key, kind, name, matched, id, department, point.y, point.x))
    return result


GAZETTEER = _Gazetteer()


def _rank(key: str, query: str) -> int | None:
    """How well a normalised name matches a normalised query: lower is better, None is no match."""
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if (" " + key).find(" " + query) >= 0:
        return 2
    if query in key:
        return 3
    return None


def search_places(user, text: str, *, limit: int = MAX_RESULTS) -> list[dict]:
    """Hotspots, aliases and the gazetteer's places whose name contains ``text``, best first."""
    query = normalise(text)
    if len(query) < MIN_QUERY:
        return []
    found: list[tuple[tuple, dict]] = []
    hotspots = Hotspot.objects.visible_to(user).only("slug", "name", "department", "location")
    seen_slugs = set()
    for hotspot in hotspots:
        rank = _rank(normalise(hotspot.name), query)
        if rank is not None:
            seen_slugs.add(hotspot.slug)
            found.append(((rank, 0, hotspot.name), _hotspot_result(hotspot, "hotspot", "")))
    aliases = (
        HotspotAlias.objects.filter(normalised__contains=query, hotspot__in=Hotspot.objects.visible_to(user))
        .select_related("hotspot")
        .only("text", "normalised", *(f"hotspot__{f}" for f in ("slug", "name", "department", "location")))
    )
    for alias in aliases:
        if alias.hotspot.slug in seen_slugs:
            continue
        seen_slugs.add(alias.hotspot.slug)
        rank = _rank(alias.normalised, query)
        found.append(((rank, 1, alias.hotspot.name), _hotspot_result(alias.hotspot, "alias", alias.text)))
    seen_places = set()
    for entry in GAZETTEER.current().entries:
        rank = _rank(entry.key, query)
        if rank is None or (entry.kind, entry.id) in seen_places:
            continue
        seen_places.add((entry.kind, entry.id))
        found.append(
            (
                (rank, KIND_ORDER[entry.kind], entry.name),
                {
                    "kind": entry.kind,
                    "id": entry.id,
                    "name": entry.name,
                    "matched": entry.matched,
                    "department": entry.department,
                    "lat": round(entry.lat, 5),
                    "lon": round(entry.lon, 5),
                },
            )
        )
    found.sort(key=lambda pair: pair[0])
    return [result for _, result in found[:limit]]


def _hotspot_result(hotspot: Hotspot, kind: str, matched: str) -> dict:
    point = hotspot.location
    return {
        "kind": kind,
        "id": hotspot.slug,
        "name": hotspot.name,
        "matched": matched,
        "department": hotspot.department,
        "lat": round(point.y, 5) if point else None,
        "lon": round(point.x, 5) if point else None,
    }


def area_hotspots(user, pcode: str) -> list[str] | None:
    """Slugs of the hotspots inside an area that the reader sees; None when there is no such area."""
    area = AdminArea.objects.filter(pcode=pcode).only("geometry").first()
    if area is None:
        return None
    if area.geometry is None:
        return []
    inside = Hotspot.objects.visible_to(user).filter(location__within=area.geometry)
    return sorted(inside.values_list("slug", flat=True))


def area_outline(user, pcode: str) -> dict:
    """An area as a GeoJSON feature: its simplified outline, and the hotspots inside it the reader sees."""
    area = AdminArea.objects.filter(pcode=pcode).first()
    if area is None:
        raise Http404(f"No department, commune or section has the P-code {pcode!r}.")
    properties = {
        "pcode": area.pcode,
        "kind": _LEVEL_KIND.get(area.level, "area"),
        "name": area.name_fr,
        "hotspots": [],
    }
    if area.geometry is None:
        return {"type": "Feature", "geometry": None, "properties": properties}
    properties["hotspots"] = area_hotspots(user, pcode)
    outline = area.geometry.simplify(OUTLINE_TOLERANCE, preserve_topology=True)
    extent = area.geometry.extent
    properties["bbox"] = [round(v, 5) for v in extent]
    return {"type": "Feature", "geometry": _rounded(outline.json), "properties": properties}


def _rounded(geojson_text: str) -> dict:
    """GEOS writes 15 decimals; 5 (a metre) are plenty for an outline."""

    def walk(value):
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, float):
            return round(value, 5)
        return value

    data = json.loads(geojson_text)
    data["coordinates"] = walk(data["coordinates"])
    return data


def area_labels() -> dict:
    """Department and commune names with their representative points: rows, not features (small)."""
    areas = AdminArea.objects.filter(level__in=(AdminLevel.DEPARTMENT, AdminLevel.COMMUNE)).only(
        "level", "name_fr", "point"
    )
    rows = {"departments": [], "communes": []}
    for area in areas:
        group = "departments" if area.level == AdminLevel.DEPARTMENT else "communes"
        rows[group].append([area.name_fr, round(area.point.y, 4), round(area.point.x, 4)])
    return rows


def place_labels(bbox: tuple[float, float, float, float]) -> list[list]:
    """Populated places inside ``bbox`` (west, south, east, north): name, lat, lon."""
    places = (
        ReferencePlace.objects.filter(location__within=Polygon.from_bbox(bbox))
        .only("name", "location")
        .order_by("name")[:MAX_PLACE_LABELS]
    )
    return [[p.name, round(p.location.y, 4), round(p.location.x, 4)] for p in places]


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise ValidationError({"in_bbox": ["Give four numbers: west,south,east,north."]}) from None
    if not (west < east and south < north):
        raise ValidationError({"in_bbox": ["west must be below east and south below north."]})
    return west, south, east, north


class _MemberDataView(MissionViewMixin, APIView):
    """The pages' data: for members of the mission only, in JSON."""

    queryset = Hotspot.objects.none()
    read_permissions = list(MEMBER_PERMISSIONS)
    renderer_classes = [JSONRenderer]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.has_perms(MEMBER_PERMISSIONS):
            self.permission_denied(request, message="The map's data is for members of the mission.")


@extend_schema(exclude=True)
class PlaceSearchView(_MemberDataView):
    """`?q=`: hotspots, aliases, departments, communes, sections and populated places, best first."""

    def get(self, request):
        text = (request.query_params.get("q") or "").strip()[:100]
        return Response({"query": text, "results": search_places(request.user, text)})


@extend_schema(exclude=True)
class AreaView(_MemberDataView):
    """An area's outline and the hotspots inside it."""

    def get(self, request, pcode: str):
        return Response(area_outline(request.user, pcode))


@extend_schema(exclude=True)
class LabelsView(_MemberDataView):
    """Names to draw on the map: departments and communes; with `in_bbox=`, the populated places there."""

    def get(self, request):
        if "in_bbox" in request.query_params:
            return Response({"places": place_labels(_bbox(request.query_params["in_bbox"]))})
        return Response(area_labels())
