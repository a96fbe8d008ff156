"""Demo data at scale: hotspots, operation reports, training records and updates made from posts.

`manage.py seed_demo` calls :func:`seed`. Everything written is marked as demo data, so it can be
told from real data and the command can refuse a database that holds any:

- hotspots: slugs ``demo-...`` (named after Haiti's populated places, near their points);
- operation reports: references ``DEMO-...``; training records: the author ``demo-author``;
- posts: the source ``demo``; their updates and mentions belong to those posts.

Counts are targets: a second run with larger numbers tops the demo data up, one with the same
numbers adds nothing. Rows are written in bulk: PostgreSQL's COPY with ids reserved from each
table's sequence (a million reports in minutes), SpatiaLite's bulk_create in batches. Updates
come from generated post texts run through the portal's real extraction, so what the map and the
API show of them is what the ingestion would have made of such posts.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from core import read_cache
from core.text import normalise
from hotspots.choices import AdminLevel, Confidence, HotspotKind
from hotspots.geo import is_in_haiti
from hotspots.models import AdminArea, Hotspot, HotspotAlias, ReferencePlace
from ingestion import selectors as ingestion_selectors
from ingestion.choices import PostState, ReviewState, SourceKind
from ingestion.extraction import extract
from ingestion.extraction.reference import REFERENCE_STOP
from ingestion.models import Mention, Post, Source, Update
from operations.choices import OperationKind, Releasability, ReportStatus, TrainingStatus, TrainingTopic
from operations.models import Contingent, OperationReport, TrainingRecord

from . import texts

DEMO_REFERENCE_PREFIX = "DEMO-"
DEMO_SLUG_PREFIX = "demo-"
DEMO_SOURCE = "demo"
DEMO_USERNAME = "demo-author"
SPAN_DAYS = 730  # demo activity is spread over the last two years
CHUNK = 10_000  # rows per COPY or bulk_create round, and per transaction


class SeedError(RuntimeError):
    """The database cannot be seeded as asked; the message says why."""


class Progress:
    """What :func:`seed` reports to: a no-op by default; the command gives tqdm bars."""

    @contextlib.contextmanager
    def bar(self, total: int, description: str) -> Iterator[Callable[[int], None]]:
        yield lambda n: None


@dataclass
class SeedStats:
    hotspots: int = 0
    reports: int = 0
    training: int = 0
    updates: int = 0
    mentions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.hotspots:,} hotspots, {self.reports:,} operation reports, {self.training:,} training "
            f"records, {self.updates:,} updates with {self.mentions:,} mentions"
        )


# --- What is demo data ----------------------------------------------------------------------------


def real_data() -> dict[str, int]:
    """Rows that are not demo data, by kind: a database with any is not seeded unless allowed."""
    counts = {
        "operation reports": OperationReport.objects.exclude(
            reference__startswith=DEMO_REFERENCE_PREFIX
        ).count(),
        "training records": TrainingRecord.objects.exclude(author__username=DEMO_USERNAME).count(),
        "posts": Post.objects.exclude(source__name=DEMO_SOURCE).count(),
    }
    return {kind: n for kind, n in counts.items() if n}


def demo_counts() -> dict[str, int]:
    return {
        "hotspots": Hotspot.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).count(),
        "reports": OperationReport.objects.filter(reference__startswith=DEMO_REFERENCE_PREFIX).count(),
        "training": TrainingRecord.objects.filter(author__username=DEMO_USERNAME).count(),
        "updates": Update.objects.filter(post__source__name=DEMO_SOURCE).count(),
    }


def demo_author():
    """The inactive user that authors demo reports and training records (it cannot sign in)."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_active": False, "first_name": "Demo", "last_name": "Author"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def demo_source() -> Source:
    source, _ = Source.objects.get_or_create(
        name=DEMO_SOURCE,
        defaults={"kind": SourceKind.FILE, "is_official": True, "enabled": False, "target": "seed_demo"},
    )
    return source


# --- Bulk writers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LonLat:
    """A point as plain numbers: cheap to make by the million, written as EWKT or a GEOS Point."""

    lon: float
    lat: float


def _copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, LonLat):
        return f"SRID=4326;POINT({value.lon:.6f} {value.lat:.6f})"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Writer:
    """Writes rows (tuples in the order of ``fields``) into a model's table, ids chosen by the caller."""

    def reserve_ids(self, model: type[Model], count: int) -> int:
        """The first of ``count`` consecutive ids no one else will be given."""
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return last + 1

    def insert(self, model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
        meta = model._meta
        attnames = [meta.get_field(name).attname for name in fields]
        objects = [
            model(
                **{
                    a: (Point(v.lon, v.lat, srid=4326) if isinstance(v, LonLat) else v)
                    for a, v in zip(attnames, row, strict=True)
                }
            )
            for row in rows
        ]
        model.objects.bulk_create(objects, batch_size=500)

    def analyse(self, models: Sequence[type[Model]]) -> None:
        """Refresh the planner's statistics after a bulk load."""


class CopyWriter(Writer):
    """PostgreSQL: COPY FROM STDIN in the text format, geometry as EWKT, ids reserved from the sequence."""

    def reserve_ids(self, model: type[Model], count: int) -> int:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}) + 1, "  # noqa: S608 - a model's own table name
                "nextval(%s))",
                [sequence],
            )
            (first,) = cursor.fetchone()
            # Sequences ignore transactions: the range stays reserved whatever happens next.
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
        return first

    def insert(self, model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        if connection.in_atomic_block:
            # Demo rows: a crash may lose the last chunk, never corrupt anything; commits stop waiting
            # for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(_copy_value, row)) + "\n" for row in rows)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", buffer)

    def analyse(self, models: Sequence[type[Model]]) -> None:
        # VACUUM also marks the new pages all-visible, so index-only scans need not visit the table;
        # it cannot run inside a transaction (a test's), where ANALYZE alone will do.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def writer_for_connection() -> Writer:
    return CopyWriter() if connection.vendor == "postgresql" else Writer()


def _chunks(total: int, size: int = CHUNK) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


# --- Shared draws ---------------------------------------------------------------------------------


class _Draw:
    """Random choices that make demo data look like the mission's: a few busy sites, recent activity."""

    def __init__(self, rng: random.Random, now: datetime, hotspots: list[tuple[int, LonLat | None]]):
        self.rng = rng
        self.now = now
        self.hotspot_ids = [pk for pk, _ in hotspots]
        self.points = dict(hotspots)
        # Zipf-like: the n-th site is about 1/n^0.9 as busy as the first (real hotspots come first).
        self.cum_weights = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(hotspots))))

    def require_hotspots(self, purpose: str) -> None:
        if not self.hotspot_ids:
            raise SeedError(f"No active hotspot {purpose}: run `manage.py load_gazetteer` first.")

    def hotspots(self, k: int) -> list[int]:
        picked = self.rng.choices(self.hotspot_ids, cum_weights=self.cum_weights, k=k)
        return list(dict.fromkeys(picked))

    def how_many(self, *weights: int) -> int:
        """1 with the first weight, 2 with the second..."""
        return self.rng.choices(range(1, len(weights) + 1), weights=weights)[0]

    def timeline(self, total: int) -> None:
        """The next ``total`` rows share the two years between them, in time order."""
        self.total, self.done = max(total, 1), 0

    def moments(self, count: int) -> Iterator[datetime]:
        """The times of the next ``count`` rows, in order: rows are written as they happened, so
        their order on disk follows time, as it does for records entered day by day."""
        low, high = self.done / self.total, (self.done + count) / self.total
        self.done += count
        # Activity grows over the two years: the density of an age falls linearly to zero at SPAN_DAYS.
        for u in sorted(self.rng.uniform(low, high) for _ in range(count)):
            yield self.now - timedelta(seconds=SPAN_DAYS * 86400 * (1 - u**0.5))

    def near(self, pk: int) -> LonLat | None:
        point = self.points.get(pk)
        if point is None:
            return None
        return LonLat(
            point.lon + self.rng.uniform(-0.002, 0.002), point.lat + self.rng.uniform(-0.002, 0.002)
        )


def _hotspot_rows() -> list[tuple[int, LonLat | None]]:
    """Active hotspots, real ones first (they are the mission's busiest sites)."""
    rows = Hotspot.objects.filter(is_active=True).order_by("pk").values_list("pk", "slug", "location")
    ordered = sorted(rows, key=lambda r: (r[1].startswith(DEMO_SLUG_PREFIX), r[0]))
    return [(pk, LonLat(loc.x, loc.y) if loc is not None else None) for pk, _, loc in ordered]


# --- Hotspots -------------------------------------------------------------------------------------

_HOTSPOT_KINDS = {
    HotspotKind.NEIGHBOURHOOD: 45,
    HotspotKind.TOWN: 15,
    HotspotKind.ROAD_JUNCTION: 15,
    HotspotKind.ROAD: 8,
    HotspotKind.POLICE_FACILITY: 6,
    HotspotKind.PUBLIC_SQUARE: 4,
    HotspotKind.GOVERNMENT_BUILDING: 3,
    HotspotKind.PORT: 2,
    HotspotKind.FUEL_TERMINAL: 2,
}


def _candidate_places() -> list[tuple[str, LonLat, str, str]]:
    """(name, point, department P-code, commune P-code) of Haiti's populated places, else its communes."""
    places = [
        (name, LonLat(loc.x, loc.y), adm1, adm2)
        for name, loc, adm1, adm2 in ReferencePlace.objects.order_by("wof_id").values_list(
            "name", "location", "adm1_pcode", "adm2_pcode"
        )
    ]
    if not places:
        places = [
            (name, LonLat(point.x, point.y), parent or "", pcode)
            for name, point, parent, pcode in AdminArea.objects.filter(level=AdminLevel.COMMUNE)
            .order_by("pcode")
            .values_list("name_fr", "point", "parent__pcode", "pcode")
        ]
    return places


_DEMO_COORDINATES = "Demo data (seed_demo): near a populated place of the reference gazetteer."


def seed_hotspots(target: int, *, rng: random.Random, progress: Progress) -> int:
    """Top the demo hotspots up to ``target``: named after populated places, a few hundred metres away."""
    existing = Hotspot.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).count()
    missing = target - existing
    if missing <= 0:
        return 0
    places = _candidate_places()
    if not places:
        raise SeedError("Haiti's reference places are not loaded: run `manage.py load_gazetteer` first.")
    rng.shuffle(places)
    names = {
        area.pcode: area.name_fr
        for area in AdminArea.objects.filter(level__in=[1, 2]).only("pcode", "name_fr")
    }
    taken = {normalise(n) for n in Hotspot.objects.values_list("name", flat=True)}
    taken |= set(HotspotAlias.objects.values_list("normalised", flat=True))
    # A demo site called like a word of the post templates would be "found" in every post.
    banned = texts.template_words() | REFERENCE_STOP
    kinds, kind_weights = list(_HOTSPOT_KINDS), list(_HOTSPOT_KINDS.values())
    created: list[Hotspot] = []
    serial = existing
    with progress.bar(missing, "hotspots") as advance:
        for round_ in range(1, 10_000):
            for name, point, adm1, adm2 in places:
                if len(created) == missing:
                    break
                if round_ > 1:
                    name = f"{name} {round_}"
                folded = normalise(name)
                if len(folded) < 4 or folded in taken or folded in banned:
                    continue
                taken.add(folded)
                serial += 1
                location = Point(
                    point.lon + rng.uniform(-0.003, 0.003), point.lat + rng.uniform(-0.003, 0.003)
                )
                location.srid = 4326
                if not is_in_haiti(location):
                    location = Point(point.lon, point.lat, srid=4326)
                created.append(
                    Hotspot(
                        slug=f"{DEMO_SLUG_PREFIX}{slugify(name)[:60]}-{serial}",
                        name=name,
                        kind=rng.choices(kinds, weights=kind_weights)[0],
                        location=location,
                        commune=names.get(adm2, ""),
                        department=names.get(adm1, ""),
                        adm1_pcode=adm1,
                        adm2_pcode=adm2,
                        confidence=rng.choices(
                            [Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW], [2, 5, 3]
                        )[0],
                        coordinate_source=_DEMO_COORDINATES,
                    )
                )
                advance(1)
            if len(created) == missing:
                break
        Hotspot.objects.bulk_create(created, batch_size=500)
    return len(created)


# --- Operation reports ----------------------------------------------------------------------------

_REPORT_FIELDS = (
    "id", "created_at", "updated_at", "reference", "title", "summary", "operation_kind", "started_at",
    "ended_at", "location", "hnp_units", "personnel_deployed", "arrests", "weapons_seized",
    "personnel_injured", "personnel_killed", "civilians_injured", "civilians_killed", "status",
    "releasability", "author", "submitted_at", "approved_by", "approved_at",
)  # fmt: skip
_OPERATION_KINDS = {
    OperationKind.PATROL: 40,
    OperationKind.CHECKPOINT: 15,
    OperationKind.ESCORT: 12,
    OperationKind.SITE_SECURITY: 10,
    OperationKind.CLEARANCE: 8,
    OperationKind.RAID: 5,
    OperationKind.QUICK_REACTION: 5,
    OperationKind.HUMANITARIAN_SUPPORT: 3,
    OperationKind.OTHER: 2,
}
_REPORT_STATUSES = ((ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.DRAFT), (75, 15, 10))
_LEVELS = (Releasability.PUBLIC, Releasability.PARTNERS, Releasability.MISSION)
_REPORT_RELEASE = (_LEVELS, (20, 40, 40))
_TRAINING_RELEASE = (_LEVELS, (40, 40, 20))
_HNP_UNITS = ("", "", "BOID", "SWAT", "CIMO", "UDMO", "BLTS", "CAT Team")


def _small(rng: random.Random, mean: float) -> int:
    """A small count (arrests, injuries): usually 0, now and then a few."""
    return int(rng.expovariate(1 / mean)) if rng.random() < 0.3 else 0


def seed_reports(target: int, *, draw: _Draw, writer: Writer, author_id: int, progress: Progress) -> int:
    """Top the demo operation reports up to ``target``, with their hotspots and contingents."""
    missing = target - OperationReport.objects.filter(reference__startswith=DEMO_REFERENCE_PREFIX).count()
    if missing <= 0:
        return 0
    draw.require_hotspots("to report on")
    rng = draw.rng
    names = dict(Hotspot.objects.values_list("pk", "name"))
    contingents = _contingent_draw()
    kinds, kind_weights = list(_OPERATION_KINDS), list(_OPERATION_KINDS.values())
    labels = dict(OperationKind.choices)
    hotspots_through = OperationReport.hotspots.through
    contingents_through = OperationReport.contingents.through
    with progress.bar(missing, "operation reports") as advance:
        draw.timeline(missing)
        for size in _chunks(missing):
            first = writer.reserve_ids(OperationReport, size)
            rows, hotspot_links, contingent_links = [], [], []
            for pk, started in zip(range(first, first + size), draw.moments(size), strict=True):
                sites = draw.hotspots(draw.how_many(70, 22, 8))
                kind = rng.choices(kinds, weights=kind_weights)[0]
                status = rng.choices(*_REPORT_STATUSES)[0]
                created = started + timedelta(hours=rng.uniform(2, 30))
                submitted = created if status != ReportStatus.DRAFT else None
                approved = None
                if status == ReportStatus.APPROVED:
                    approved = created + timedelta(hours=rng.uniform(1, 48))
                where = " and ".join(names[s] for s in sites)
                rows.append(
                    (
                        pk, created, approved or created, f"{DEMO_REFERENCE_PREFIX}{pk:09d}",
                        f"{labels[kind]} in {where}"[:200],
                        f"Demo report: {labels[kind].lower()} with HNP units in {where}.",
                        kind, started, started + timedelta(hours=rng.uniform(0.5, 12)),
                        draw.near(sites[0]) if rng.random() < 0.2 else None,
                        rng.choice(_HNP_UNITS), rng.choice((8, 12, 16, 24, 32, 48, 60, 80, 120, 200)),
                        _small(rng, 3), _small(rng, 2), _small(rng, 0.5), _small(rng, 0.2), _small(rng, 0.8),
                        _small(rng, 0.3), status,
                        rng.choices(*_REPORT_RELEASE)[0], author_id, submitted,
                        author_id if approved else None, approved,
                    )
                )  # fmt: skip
                hotspot_links += [(pk, s) for s in sites]
                contingent_links += [(pk, c) for c in contingents(rng)]
            with transaction.atomic():
                writer.insert(OperationReport, _REPORT_FIELDS, rows)
                writer.insert(hotspots_through, ("operationreport", "hotspot"), hotspot_links)
                writer.insert(contingents_through, ("operationreport", "contingent"), contingent_links)
            advance(size)
    writer.analyse([OperationReport, hotspots_through, contingents_through])
    return missing


def _contingent_draw() -> Callable[[random.Random], list[int]]:
    """One or two contributing contingents, Kenya's most often (it leads the mission)."""
    ids = dict(Contingent.objects.values_list("country_code", "pk"))
    codes = [c for c in texts.COUNTRY_WEIGHTS if c in ids]
    weights = [texts.COUNTRY_WEIGHTS[c] for c in codes]

    def draw(rng: random.Random) -> list[int]:
        if not codes:
            return []
        picked = rng.choices(codes, weights=weights, k=rng.choices((1, 2), (75, 25))[0])
        return [ids[c] for c in dict.fromkeys(picked)]

    return draw


# --- Training records -----------------------------------------------------------------------------

_TRAINING_FIELDS = (
    "id", "created_at", "updated_at", "course", "topic", "hotspot", "place_name", "location", "starts_on",
    "ends_on", "trainees_total", "trainees_women", "status", "releasability", "notes", "author",
)  # fmt: skip
_COURSES = {
    TrainingTopic.TACTICS: "Tactical operations in urban areas",
    TrainingTopic.DRIVING: "Tactical driving",
    TrainingTopic.FIREARMS: "Firearms handling and safety",
    TrainingTopic.FIRST_AID: "Tactical first aid",
    TrainingTopic.HUMAN_RIGHTS: "Human rights and use of force",
    TrainingTopic.INVESTIGATION: "Crime scene investigation",
    TrainingTopic.LEADERSHIP: "Leadership for HNP inspectors",
    TrainingTopic.COMMUNITY: "Community policing",
}


def seed_training(target: int, *, draw: _Draw, writer: Writer, author_id: int, progress: Progress) -> int:
    """Top the demo HNP training records up to ``target``, with the contingents that gave them."""
    missing = target - TrainingRecord.objects.filter(author_id=author_id).count()
    if missing <= 0:
        return 0
    draw.require_hotspots("to hold courses at")
    rng = draw.rng
    today = draw.now.date()
    names = dict(Hotspot.objects.values_list("pk", "name"))
    contingents = _contingent_draw()
    topics = list(_COURSES)
    through = TrainingRecord.providing_contingents.through
    with progress.bar(missing, "training records") as advance:
        draw.timeline(missing)
        for size in _chunks(missing):
            first = writer.reserve_ids(TrainingRecord, size)
            rows, links = [], []
            for pk, moment in zip(range(first, first + size), draw.moments(size), strict=True):
                starts = moment.date()
                ends = starts + timedelta(days=rng.choice((3, 5, 10, 14, 21, 30, 60)))
                status = (
                    TrainingStatus.COMPLETED if ends < today
                    else TrainingStatus.ONGOING if starts <= today else TrainingStatus.PLANNED
                )  # fmt: skip
                total = rng.choice((12, 20, 24, 30, 40, 60, 80, 120, 150))
                (site,) = draw.hotspots(1) if rng.random() < 0.7 else (None,)
                topic = rng.choice(topics)
                created = timezone.make_aware(
                    datetime.combine(starts - timedelta(days=7), datetime.min.time())
                )
                rows.append(
                    (
                        pk, created, created, _COURSES[topic], topic, site, names.get(site, "") if site else
                        "HNP Academy", draw.near(site) if site else None, starts, ends, total,
                        int(total * rng.uniform(0.05, 0.35)), status,
                        rng.choices(*_TRAINING_RELEASE)[0],
                        "Demo record (seed_demo).", author_id,
                    )
                )  # fmt: skip
                links += [(pk, c) for c in contingents(rng)]
            with transaction.atomic():
                writer.insert(TrainingRecord, _TRAINING_FIELDS, rows)
                writer.insert(through, ("trainingrecord", "contingent"), links)
            advance(size)
    writer.analyse([TrainingRecord, through])
    return missing


# --- Updates from posts ---------------------------------------------------------------------------

# COPY leaves a column it is not given NULL (Django's defaults are not the database's): every
# NOT NULL column is here.
_POST_FIELDS = (
    "id", "created_at", "updated_at", "source", "external_id", "url", "author", "text", "language",
    "published_at", "raw", "content_hash", "state", "attempts", "last_error", "processed_at", "fetched_at",
    "warnings", "original_id", "reposted_id", "quoted_id",
)  # fmt: skip
_UPDATE_FIELDS = (
    "id", "created_at", "updated_at", "post", "kind", "figures", "published_at", "review_state", "reviewer",
    "reviewed_at", "needs_review",
)  # fmt: skip
_MENTION_FIELDS = ("update", "hotspot", "matched_text", "start", "end")
_REVIEW_STATES = {
    ReviewState.AUTO: 85,
    ReviewState.CONFIRMED: 10,
    ReviewState.CORRECTED: 3,
    ReviewState.REJECTED: 2,
}


def seed_updates(
    target: int, *, draw: _Draw, writer: Writer, author_id: int, progress: Progress, stats: SeedStats
) -> int:
    """Top the demo updates up to ``target``: generated posts, read by the real extraction, stored in bulk."""
    source = demo_source()
    missing = target - Update.objects.filter(post__source=source).count()
    if missing <= 0:
        return 0
    draw.require_hotspots("to name in posts")
    rng = draw.rng
    hotspot_names: dict[int, list[str]] = {
        pk: [name] for pk, name in Hotspot.objects.values_list("pk", "name")
    }
    for pk, text in HotspotAlias.objects.values_list("hotspot_id", "text"):
        hotspot_names.setdefault(pk, []).append(text)
    slugs = dict(Hotspot.objects.values_list("slug", "pk"))
    contingent_ids = dict(Contingent.objects.values_list("country_code", "pk"))
    matcher = ingestion_selectors.hotspot_matcher()
    reference = ingestion_selectors.reference_matcher()
    states, state_weights = list(_REVIEW_STATES), list(_REVIEW_STATES.values())
    contingents_through = Update.contingents.through
    with progress.bar(missing, "updates (posts read by the extraction)") as advance:
        draw.timeline(missing)
        for size in _chunks(missing, CHUNK // 2):
            first_post = writer.reserve_ids(Post, size)
            first_update = writer.reserve_ids(Update, size)
            posts, updates, mentions, links = [], [], [], []
            for offset, published in enumerate(draw.moments(size)):
                post_id, update_id = first_post + offset, first_update + offset
                # Two sites for the wordings that name two places ("patrols in {place} and {other}").
                sites = draw.hotspots(3)[:2]
                post = texts.post_text(rng, [rng.choice(hotspot_names[s]) for s in sites])
                result = extract(post.text, matcher, reference)
                processed = published + timedelta(seconds=rng.uniform(30, 900))
                posts.append(
                    (
                        post_id, processed, processed, source.pk, f"demo-{post_id}",
                        f"https://demo.invalid/posts/{post_id}", "MSS Haiti (demo)", post.text, post.language,
                        published, {"id": f"demo-{post_id}", "seed_demo": True},
                        hashlib.sha256(post.text.encode()).hexdigest(), PostState.PROCESSED, 1, "", processed,
                        processed, [], f"demo-{post_id}", "", "",
                    )
                )  # fmt: skip
                state = rng.choices(states, weights=state_weights)[0]
                reviewed = state != ReviewState.AUTO
                updates.append(
                    (
                        update_id, processed, processed, post_id, result.kind, result.figures, published,
                        state, author_id if reviewed else None,
                        processed + timedelta(hours=2) if reviewed else None, False,
                    )
                )  # fmt: skip
                mentions += [
                    (update_id, slugs[m.key], m.text[:300], m.start, m.end)
                    for m in result.mentions
                    if m.key in slugs
                ]
                links += [(update_id, contingent_ids[c]) for c in result.contingents if c in contingent_ids]
            with transaction.atomic():
                writer.insert(Post, _POST_FIELDS, posts)
                writer.insert(Update, _UPDATE_FIELDS, updates)
                writer.insert(Mention, _MENTION_FIELDS, mentions)
                writer.insert(contingents_through, ("update", "contingent"), links)
            stats.mentions += len(mentions)
            advance(size)
    writer.analyse([Post, Update, Mention, contingents_through])
    return missing


# --- All of it ------------------------------------------------------------------------------------


def seed(
    *,
    hotspots: int = 0,
    reports: int = 0,
    updates: int = 0,
    training: int = 0,
    allow_real_data: bool = False,
    random_seed: int = 20240625,
    progress: Progress | None = None,
) -> SeedStats:
    """Top the demo data up to the given counts. Refuses a database holding real data unless allowed."""
    if not allow_real_data:
        real = real_data()
        if real:
            found = ", ".join(f"{n:,} {kind}" for kind, n in real.items())
            raise SeedError(
                f"This database holds real data ({found}); seed_demo only adds demo data to a database "
                "without any. Pass --allow-real-data to seed it anyway."
            )
    progress = progress or Progress()
    rng = random.Random(random_seed)  # noqa: S311 - demo data, not secrets
    stats = SeedStats()
    writer = writer_for_connection()
    author_id = demo_author().pk

    started = time.perf_counter()
    stats.hotspots = seed_hotspots(hotspots, rng=rng, progress=progress)
    stats.seconds["hotspots"] = time.perf_counter() - started
    # A seed of its own per kind, so topping one kind up draws the same rows whatever the others did.
    now = timezone.now()
    for name, seed_one, count in (
        ("reports", seed_reports, reports),
        ("training", seed_training, training),
    ):
        started = time.perf_counter()
        draw = _Draw(random.Random(f"{random_seed}-{name}-{count}"), now, _hotspot_rows())  # noqa: S311
        setattr(
            stats, name, seed_one(count, draw=draw, writer=writer, author_id=author_id, progress=progress)
        )
        stats.seconds[name] = time.perf_counter() - started
    started = time.perf_counter()
    draw = _Draw(random.Random(f"{random_seed}-updates-{updates}"), now, _hotspot_rows())  # noqa: S311
    stats.updates = seed_updates(
        updates, draw=draw, writer=writer, author_id=author_id, progress=progress, stats=stats
    )
    stats.seconds["updates"] = time.perf_counter() - started
    # Bulk writes send no signals: the cached per-hotspot activity is dropped here instead.
    read_cache.bump()
    return stats
