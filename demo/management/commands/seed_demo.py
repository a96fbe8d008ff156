import contextlib

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo import seeding


class _Bars(seeding.Progress):
    def __init__(self, enabled: bool):
        self.enabled = enabled

    @contextlib.contextmanager
    def bar(self, total, description):
        with tqdm(
            total=total, desc=description, unit=" rows", disable=not self.enabled, unit_scale=True
        ) as bar:
            yield bar.update


class Command(BaseCommand):
    help = (
        "Seed demo data at scale around the real hotspots: demo hotspots, operation reports, training "
        "records and updates made from generated posts by the real extraction. Counts are targets (a second "
        "run tops up). Refuses a database that holds real data unless --allow-real-data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hotspots", type=int, default=0, help="demo hotspots (besides the real ones)")
        parser.add_argument("--reports", type=int, default=0, help="demo operation reports")
        parser.add_argument("--updates", type=int, default=0, help="demo updates (and their posts)")
        parser.add_argument("--training", type=int, default=0, help="demo HNP training records")
        parser.add_argument("--seed", type=int, default=20240625, help="random seed (same seed, same data)")
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="seed even though the database holds reports, training records or posts that are not demo",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, **options):
        counts = {name: options[name] for name in ("hotspots", "reports", "updates", "training")}
        if any(n < 0 for n in counts.values()):
            raise CommandError("Counts cannot be negative.")
        try:
            stats = seeding.seed(
                **counts,
                allow_real_data=options["allow_real_data"],
                random_seed=options["seed"],
                progress=_Bars(enabled=not options["no_progress"] and options["verbosity"] > 0),
            )
        except seeding.SeedError as exc:
            raise CommandError(str(exc)) from exc
        took = sum(stats.seconds.values())
        self.stdout.write(f"Added {stats} in {took:.1f} s.")
        self.stdout.write(
            "Demo data now: " + ", ".join(f"{n:,} {k}" for k, n in seeding.demo_counts().items())
        )
