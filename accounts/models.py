"""API tokens for partner systems, the log of their use, and the roles that must use a second factor."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .choices import SecondFactorRole


class ApiToken(models.Model):
    """A bearer token for the REST API; only a SHA-256 digest of its secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What the token is for, e.g. the system using it.")
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        db_index=True,
        editable=False,
        help_text=_("The token's first characters, to recognise it."),
    )
    digest = models.CharField(
        _("digest"), max_length=64, unique=True, editable=False, help_text=_("SHA-256 of the token.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: the token never expires.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        permissions = [
            ("view_releasable", "Can read through the API what is releasable to partners"),
        ]

    def __str__(self) -> str:
        label = f" ({self.name})" if self.name else ""
        return f"{self.prefix}…{label}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"


class ApiTokenUse(models.Model):
    """One request made with a token: who, when, and what was asked."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("token"), on_delete=models.CASCADE, related_name="uses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    remote_addr = models.GenericIPAddressField(_("remote address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        indexes = [models.Index(fields=["token", "at"], name="apitokenuse_token_at_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path}, {date_format(localtime(self.at), 'SHORT_DATETIME_FORMAT')}"


class SecondFactorRule(models.Model):
    """Whether the members of a role must sign in with a second factor (accounts/two_factor.py).

    One row per role that may be made to (approvers, administrators), made by a migration with the
    rule off, so that nobody is locked out until an admin turns it on.
    """

    role = models.CharField(_("role"), max_length=20, choices=SecondFactorRole.choices, unique=True)
    required = models.BooleanField(
        _("requires a second factor"),
        default=False,
        help_text=_(
            "Members of this role who have neither an authenticator app nor a passkey are sent to set "
            "one up before they can use the pages or the admin, and the API refuses their browser session."
        ),
    )

    class Meta:
        ordering = ["role"]
        verbose_name = _("second-factor rule")
        verbose_name_plural = _("second-factor rules")

    def __str__(self) -> str:
        return str(self.get_role_display())
