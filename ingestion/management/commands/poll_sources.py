from django.core.management.base import BaseCommand, CommandError

from ingestion import services
from ingestion.models import Source


class Command(BaseCommand):
    help = "Poll enabled X and feed sources now (all of them, or the one named), as the scheduler does."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="the name of one source")

    def handle(self, *args, source=None, **options):
        sources = Source.objects.filter(enabled=True, kind__in=["x_api_v2", "rss"])
        if source:
            sources = Source.objects.filter(name=source)
            if not sources.exists():
                raise CommandError(f"No source named {source!r}.")
        failed = False
        for item in sources:
            try:
                stats = services.source_poll(source=item)
            except Exception as exc:
                failed = True
                self.stderr.write(f"{item.name}: {exc}")
                continue
            item.refresh_from_db()
            if item.last_error:
                failed = True
                self.stderr.write(f"{item.name}: {item.last_error}")
            else:
                self.stdout.write(f"{item.name}: {stats}")
        if failed:
            raise CommandError("Some sources could not be polled; see above.")
