from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from audit import selectors


def _moment(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"{text!r} is not a date (2025-03-01) or a date and time.")
        value = datetime.combine(day, time.min)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Export the audit trail (who changed what, when) of reports, training records, hotspots, "
        "aliases and updates as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--model",
            action="append",
            choices=selectors.AUDITED,
            help="Only this model (repeatable). Default: all audited models.",
        )
        parser.add_argument("--since", help="Changes from this date or time on (inclusive).")
        parser.add_argument("--until", help="Changes before this date or time (exclusive).")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        since = _moment(options["since"]) if options["since"] else None
        until = _moment(options["until"]) if options["until"] else None
        rows = selectors.changes(labels=options["model"] or selectors.AUDITED, since=since, until=until)
        if options["output"]:
            with open(options["output"], "w", newline="", encoding="utf-8") as stream:
                count = selectors.write_csv(stream, rows)
            self.stderr.write(f"{count} change(s) written to {options['output']}.")
        else:
            count = selectors.write_csv(self.stdout, rows)
            self.stderr.write(f"{count} change(s) exported.")
