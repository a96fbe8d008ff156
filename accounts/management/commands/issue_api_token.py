from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import api_token_issue


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it once; only its digest is kept. "
        "Revoke tokens in the admin (Accounts and roles > API tokens)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Days until it expires (default: never)."
        )
        parser.add_argument(
            "--name", default="", help="What the token is for, e.g. the partner system using it."
        )

    def handle(self, *args, username, expires_days, name, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as exc:
            raise CommandError(f"No user named '{username}'.") from exc
        try:
            token, raw = api_token_issue(user=user, name=name, expires_days=expires_days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else "never expires"
        self.stderr.write(f"Token {token.prefix}… for {username} ({expiry}). It is shown once; store it now:")
        self.stdout.write(raw)
