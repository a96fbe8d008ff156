"""API tokens for partner systems, and the log of their use."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A bearer token for the REST API; only a SHA-256 digest of its secret is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, blank=True, help_text="What the token is for, e.g. the system using it."
    )
    prefix = models.CharField(
        max_length=16,
        db_index=True,
        editable=False,
        help_text="The token's first characters, to recognise it.",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the token never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
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

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "API token use"
        indexes = [models.Index(fields=["token", "at"], name="apitokenuse_token_at_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} at {self.at:%Y-%m-%d %H:%M:%S}"
