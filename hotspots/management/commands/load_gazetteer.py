from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hotspots import gazetteer


class Command(BaseCommand):
    help = (
        "Load Haiti's departments, communes, sections and populated places, then the seed hotspots "
        "and their aliases. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=Path, default=gazetteer.SEED_CSV, help="hotspots CSV")
        parser.add_argument("--aliases", type=Path, default=gazetteer.ALIASES_CSV, help="alias languages CSV")
        parser.add_argument(
            "--skip-reference",
            action="store_true",
            help="load only the hotspots, not Haiti's reference places",
        )

    def handle(self, *args, seed, aliases, skip_reference, **options):
        try:
            if not skip_reference:
                self.stdout.write(f"Administrative areas: {gazetteer.load_admin_areas()}")
                self.stdout.write(f"Populated places: {gazetteer.load_reference_places()}")
            self.stdout.write(f"Hotspots and aliases: {gazetteer.load_hotspots(seed, aliases)}")
        except gazetteer.GazetteerError as exc:
            raise CommandError(str(exc)) from exc
