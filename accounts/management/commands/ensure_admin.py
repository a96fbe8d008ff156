import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists. With DJANGO_ADMIN_USERNAME and DJANGO_ADMIN_PASSWORD set, "
        "that account is created or its password reset; otherwise, when there is no superuser yet, "
        "one named 'admin' is created and its password printed once."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        user_model = get_user_model()
        username = os.environ.get("DJANGO_ADMIN_USERNAME", "").strip()
        password = os.environ.get("DJANGO_ADMIN_PASSWORD", "")
        email = os.environ.get("DJANGO_ADMIN_EMAIL", "")
        if username and password:
            user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
            verb = "created" if created else "updated"
            self.stdout.write(f"Admin account '{username}' {verb} from DJANGO_ADMIN_USERNAME/PASSWORD.")
            return
        existing = user_model.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"Sign in as '{existing.get_username()}' (password unchanged; reset it with "
                f"'.venv/bin/python manage.py changepassword {existing.get_username()}')."
            )
            return
        password = secrets.token_urlsafe(15)
        user_model.objects.create_superuser("admin", email or "", password)
        self.stdout.write(
            self.style.WARNING(
                "Created the admin account. Sign in with\n"
                f"    username: admin\n    password: {password}\n"
                "This password is shown once; set DJANGO_ADMIN_USERNAME and DJANGO_ADMIN_PASSWORD "
                "to choose your own."
            )
        )
