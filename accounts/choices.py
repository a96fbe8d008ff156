from django.db import models
from django.utils.translation import gettext_lazy as _

from . import roles


class SecondFactorRole(models.TextChoices):
    """The roles an admin may make sign in with a second factor: those who approve and administer."""

    APPROVER = roles.APPROVER, _("Approvers")
    ADMIN = roles.ADMIN, _("Administrators")
