from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ingestion import services
from ingestion.models import Source


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since {value!r} is not a date like 2025-03-01 or 2025-03-01T12:00") from exc
    if len(value) <= 10:
        parsed = datetime.combine(parsed.date(), time.min)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = (
        "Process posts again (after hotspots or aliases changed). Updates a reviewer has confirmed, "
        "corrected or rejected are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, help="only posts published on or after this date")
        parser.add_argument("--source", help="only posts of this source")
        parser.add_argument("--force", action="store_true", help="also redo reviewed updates")

    def handle(self, *args, since=None, source=None, force=False, **options):
        source_obj = None
        if source:
            source_obj = Source.objects.filter(name=source).first()
            if source_obj is None:
                raise CommandError(f"No source named {source!r}.")
        count = services.posts_reprocess(since=since, source=source_obj, force=force)
        self.stdout.write(f"{count} post(s) queued for processing.")
