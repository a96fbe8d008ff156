"""Records for the pages' tests: updates and reports at given hotspots and times, and translations."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from tests.factories import OperationReportFactory, PostFactory, SourceFactory, UpdateFactory

ROOT = Path(__file__).resolve().parents[2]
XSS_TEXT = "Attack <img src=x onerror=alert(1)> near Solino <script>alert(1)</script> & more"


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def update_at(hotspots, when: datetime, *, kind="security_operation", text="Patrols continued.", **extra):
    source = extra.pop("source", None) or SourceFactory(name="Mission official", is_official=True)
    contingents = extra.pop("contingents", ())
    update = UpdateFactory(
        post=PostFactory(source=source, text=text, url="https://x.com/mss/status/1", published_at=when),
        kind=kind,
        published_at=when,
        hotspots=list(hotspots),
        **extra,
    )
    if contingents:
        update.contingents.set(contingents)
    return update


def report_at(hotspots, when: datetime, *, author, **extra):
    report = OperationReportFactory(started_at=when, author=author, **extra)
    report.hotspots.set(hotspots)
    return report


def ensure_translations() -> None:
    """Compile the .po files when their .mo is missing or older (`make messages` does it too)."""
    stale = [
        po
        for po in (ROOT / "locale").glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command(
            "compilemessages", verbosity=0, ignore_patterns=[".*", "var", "staticfiles", "node_modules"]
        )
        from django.utils.translation import trans_real

        # What this process already read about the catalogs is cached: forget it. Django 5.2.19 moved
        # check_for_language's cache to translation_catalog_exists; clear whichever holds one.
        trans_real._translations = {}
        for name in ("check_for_language", "translation_catalog_exists", "get_supported_language_variant"):
            cached = getattr(trans_real, name, None)
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()
