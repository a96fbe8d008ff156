import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ingestion import services
from ingestion.parsers.detect import parse_file
from ingestion.parsers.records import ParseError

# Below this many records a progress bar is more noise than help.
PROGRESS_THRESHOLD = 500


class Command(BaseCommand):
    help = (
        "Ingest posts from a file: an X API v2 response (JSON), JSON Lines of post objects, or an RSS/Atom "
        "feed, detected from the content. Every readable post is stored and processed; unreadable records "
        "are kept for inspection and named, and the command then exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", default="file import", help="source name (created on first use)")
        parser.add_argument(
            "--no-process", action="store_true", help="store the posts but do not process them"
        )

    def handle(self, *args, path: Path, source: str, no_process: bool, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
        try:
            result = parse_file(data, name=str(path))
        except ParseError as exc:
            raise CommandError(str(exc)) from exc

        total = len(result.posts) + len(result.errors)
        with tqdm(
            total=total, unit="post", file=sys.stderr, disable=total < PROGRESS_THRESHOLD, desc=path.name
        ) as bar:
            stats = services.posts_ingest(
                source=services.source_for_file(name=source),
                result=result,
                origin=str(path),
                process=not no_process,
                progress=bar.update,
            )
        self.stdout.write(f"{path}: {stats}")
        if stats.errors:
            for error in stats.errors:
                self.stderr.write(f"{path}: {error.position}: {error.message}")
            raise CommandError(
                f"{stats.failed} record(s) of {path} could not be read; they are kept as rejected records "
                "(admin: Ingestion > Rejected records)."
            )
