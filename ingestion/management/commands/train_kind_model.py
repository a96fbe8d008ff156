from django.core.management.base import BaseCommand

from ingestion import services


class Command(BaseCommand):
    help = (
        "Train the kind classifier on the reviewers' kind corrections and print the held-out set's kind "
        "accuracy before and after. A model that scores worse is kept but not used, unless --accept-worse."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accept-worse",
            action="store_true",
            help="use the new model even if it scores worse on the held-out set",
        )

    def handle(self, *args, accept_worse: bool, **options):
        training = services.kind_model_train(accept_worse=accept_worse)
        style = self.style.SUCCESS if training.after >= training.before else self.style.WARNING
        self.stdout.write(style(str(training)))
