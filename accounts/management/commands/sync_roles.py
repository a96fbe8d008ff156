from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from accounts.roles import ROLE_PERMISSIONS, sync_roles


class Command(BaseCommand):
    help = "Create the role groups (analyst, reporter, approver, partner) and reset their permissions."

    def handle(self, *args, **options):
        sync_roles(Group, Permission)
        self.stdout.write(f"Roles in step: {', '.join(ROLE_PERMISSIONS)}")
