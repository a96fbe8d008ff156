"""Reads shared by the ingestion services, commands and admin."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from hotspots.models import AdminArea, Hotspot, HotspotAlias, ReferencePlace

from .choices import PostState
from .extraction import AliasEntry, PlaceMatcher, kinds, reference_entries
from .models import KindModel, Post, Source

_lock = threading.Lock()
_matchers: dict[str, tuple[tuple, PlaceMatcher]] = {}


def _gazetteer_version() -> tuple:
    """Changes whenever a hotspot or alias is added, edited or removed."""
    hotspots = Hotspot.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    aliases = HotspotAlias.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (hotspots["n"], hotspots["last"], aliases["n"], aliases["last"])


def _cached(name: str, version: tuple, build) -> PlaceMatcher:
    with _lock:
        cached = _matchers.get(name)
        if cached is not None and cached[0] == version:
            return cached[1]
    matcher = build()
    with _lock:
        _matchers[name] = (version, matcher)
    return matcher


def hotspot_matcher() -> PlaceMatcher:
    """One matcher over every active hotspot's name and aliases, rebuilt when they change."""

    def build() -> PlaceMatcher:
        entries = [
            AliasEntry(slug, name) for slug, name in Hotspot.objects.active().values_list("slug", "name")
        ]
        entries += [
            AliasEntry(slug, text)
            for slug, text in HotspotAlias.objects.filter(hotspot__is_active=True).values_list(
                "hotspot__slug", "text"
            )
        ]
        return PlaceMatcher(entries)

    return _cached("hotspots", _gazetteer_version(), build)


def reference_matcher() -> PlaceMatcher:
    """Haiti's communes, sections and populated places.

    Keys are 'commune:<pcode>', 'section:<pcode>' and 'place:<wof id>'.
    """
    version = (AdminArea.objects.count(), ReferencePlace.objects.count())

    def build() -> PlaceMatcher:
        areas = AdminArea.objects.filter(level__in=[2, 3]).values_list("level", "pcode", "name_fr", "name_en")
        communes = [(f"commune:{pcode}", (fr, en)) for level, pcode, fr, en in areas if level == 2]
        sections = [(f"section:{pcode}", (fr, en)) for level, pcode, fr, en in areas if level == 3]
        places = (
            (f"place:{wof_id}", (name, name_fr, name_ht))
            for wof_id, name, name_fr, name_ht in ReferencePlace.objects.values_list(
                "wof_id", "name", "name_fr", "name_ht"
            )
        )
        return PlaceMatcher(reference_entries(communes, sections, places))

    return _cached("reference", version, build)


def kind_model() -> kinds.KindModel | None:
    """The kind classifier's training in use (reviewers' corrections), or None: the rules alone.

    Read once per processing batch; no cache, as nothing measured needs one.
    """
    parameters = KindModel.objects.filter(is_active=True).values_list("parameters", flat=True).first()
    return None if parameters is None else kinds.KindModel.from_dict(parameters)


def reference_place_names(keys) -> dict[str, str]:
    """The canonical names of reference keys from reference_matcher(), in two queries at most."""
    codes, places = set(), set()
    for key in keys:
        kind, _, ident = key.partition(":")
        (codes if kind in ("commune", "section") else places).add(ident)
    names: dict[str, str] = {}
    if codes:
        for level, pcode, name in AdminArea.objects.filter(pcode__in=codes).values_list(
            "level", "pcode", "name_fr"
        ):
            names[f"{'commune' if level == 2 else 'section'}:{pcode}"] = name
    if places:
        names.update(
            (f"place:{wof_id}", name)
            for wof_id, name in ReferencePlace.objects.filter(wof_id__in=places).values_list("wof_id", "name")
        )
    return names


def sources_due(now=None):
    """Enabled, pollable sources whose interval has passed and that no rate limit holds back."""
    now = now or timezone.now()
    sources = Source.objects.filter(enabled=True, kind__in=["x_api_v2", "rss"]).filter(
        Q(next_poll_after__isnull=True) | Q(next_poll_after__lte=now)
    )
    return [
        s
        for s in sources
        if s.last_polled_at is None or s.last_polled_at + timedelta(minutes=s.poll_interval_minutes) <= now
    ]


def posts_stuck(*, older_than: timedelta, max_attempts: int, now=None):
    """Posts left new (a lost task) or failed with attempts to spare, untouched for a while."""
    now = now or timezone.now()
    # attempts counts starts, so a post that kills its worker every time is not re-queued forever.
    return Post.objects.filter(
        updated_at__lt=now - older_than,
        state__in=[PostState.NEW, PostState.FAILED],
        attempts__lt=max_attempts,
    )
