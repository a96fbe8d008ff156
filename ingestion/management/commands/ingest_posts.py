import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ingestion import services
from ingestion.parsers.detect import read_stream
from ingestion.parsers.records import ParseError

# Below this size a progress bar is more noise than help.
PROGRESS_THRESHOLD_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Ingest posts from a file, detected from the content: an X API v2 response (JSON), twarc2 "
        "captures (a response per line, flattened posts, filtered-stream output), JSON Lines of post "
        "objects, or an RSS/Atom feed. The file is read as it streams and stored in batches, so JSON Lines "
        "of any size take flat memory. Every readable post is stored and processed; unreadable records "
        "and the X API's own errors are kept as rejected records and named; the command exits non-zero "
        "when a record could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", default="file import", help="source name (created on first use)")
        parser.add_argument(
            "--official",
            action="store_true",
            help="mark the source as an official mission channel: its updates reach partners without "
            "review. Without it a new source is third-party and an existing one keeps its trust.",
        )
        parser.add_argument(
            "--no-process", action="store_true", help="store the posts but do not process them"
        )

    def handle(self, *args, path: Path, source: str, official: bool, no_process: bool, **options):
        try:
            file = path.open("rb")
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
        with file:
            try:
                stream = read_stream(file, name=str(path))
            except ParseError as exc:
                raise CommandError(str(exc)) from exc
            except OSError as exc:
                raise CommandError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
            target = services.source_for_file(name=source, official=official)
            if official:
                self.stdout.write(f"source {target.name} marked official")
            size = os.fstat(file.fileno()).st_size or None  # None: a pipe, whose length is unknown
            with tqdm(
                total=size,
                unit="B",
                unit_scale=True,
                file=sys.stderr,
                disable=size is not None and size < PROGRESS_THRESHOLD_BYTES,
                desc=path.name,
            ) as bar:
                stats = services.posts_ingest(
                    source=target,
                    result=stream,
                    origin=str(path),
                    process=not no_process,
                    progress=lambda _: bar.update(stream.bytes_read - bar.n),
                )
        self.stdout.write(f"{path}: {stats}")
        for error in stats.errors:  # an X API error's message says so
            self.stderr.write(f"{path}: {error.position}: {error.message}")
        hidden = stats.failed + stats.api_errors - len(stats.errors)
        if hidden > 0:
            self.stderr.write(f"{path}: ... and {hidden} more (admin: Ingestion > Rejected records)")
        if stats.failed:
            raise CommandError(
                f"{stats.failed} record(s) of {path} could not be read; they are kept as rejected records "
                "(admin: Ingestion > Rejected records)."
            )
