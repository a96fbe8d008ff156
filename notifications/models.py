"""Notifications of the portal's members: what reached them, what they watch, how they want to hear."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ingestion.choices import UpdateKind

from .choices import Frequency, Kind


class Notification(models.Model):
    """One thing a member was told about in the portal: a step of a report's workflow or a new update."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    report = models.ForeignKey(
        "operations.OperationReport",
        verbose_name=_("operation report"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    update = models.ForeignKey(
        "ingestion.Update",
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who took the step of the workflow."),
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("The approver's reason, if any."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, update__isnull=True)
                | Q(report__isnull=True, update__isnull=False),
                name="notification_one_record",
                violation_error_message=_("A notification is about one report or one update."),
            )
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line saying what happened, in the active language (records' own text as it is)."""
        if self.update_id is not None:
            update = self.update
            hotspots = ", ".join(h.name for h in update.hotspots.all()) or gettext("no hotspot")
            return gettext("New update (%(kind)s) at %(hotspots)s: %(text)s") % {
                "kind": update.get_kind_display(),
                "hotspots": hotspots,
                "text": Truncator(update.post.text).chars(140),
            }
        values = {
            "reference": self.report.reference,
            "title": self.report.title,
            "user": (self.actor.get_username() if self.actor else gettext("someone")),
            "reason": self.reason,
        }
        messages = {
            Kind.REPORT_SUBMITTED: gettext(
                "%(reference)s “%(title)s” was submitted by %(user)s for approval."
            ),
            Kind.REPORT_SENT_BACK: gettext(
                "%(reference)s “%(title)s” was sent back to you by %(user)s: %(reason)s"
            ),
            Kind.REPORT_REJECTED: gettext("%(reference)s “%(title)s” was rejected by %(user)s: %(reason)s"),
            Kind.REPORT_APPROVED: gettext("%(reference)s “%(title)s” was approved by %(user)s."),
        }
        return messages[self.kind] % values

    def link(self) -> str:
        """The record's page: a report's in the admin, an update's hotspot page (else the list)."""
        if self.report_id is not None:
            return reverse("admin:operations_operationreport_change", args=[self.report_id])
        # From the prefetched hotspots where the reader prefetched them (the list, the digest).
        hotspot = min(self.update.hotspots.all(), key=lambda h: h.name, default=None)
        return reverse("hotspot-page", args=[hotspot.slug]) if hotspot else reverse("updates")


class Watch(models.Model):
    """A member's watch on new updates at a hotspot, of a kind, or both (both must then match)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="watches"
    )
    hotspot = models.ForeignKey(
        "hotspots.Hotspot",
        verbose_name=_("hotspot"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every hotspot."),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=UpdateKind.choices, blank=True, help_text=_("Empty: every kind.")
    )
    frequency = models.CharField(
        _("emails"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user", "hotspot__name", "kind"]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.CheckConstraint(
                condition=Q(hotspot__isnull=False) | ~Q(kind=""),
                name="watch_names_hotspot_or_kind",
                violation_error_message=_("Watch a hotspot, a kind of update, or both."),
            )
        ]

    def __str__(self) -> str:
        what = [str(part) for part in (self.hotspot, self.get_kind_display()) if part]
        return " · ".join(what)


class NotificationPreference(models.Model):
    """How a member wants to hear: which notifications by which channel, and in which language.
    A member without one hears of everything, in the portal's default language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    # A code of settings.LANGUAGES (the forms name them in the reader's language); empty: the
    # portal's default.
    language = models.CharField(_("language of emails"), max_length=8, blank=True)
    # "channel:kind" entries ("email:report_approved") the member turned off: a new kind is on.
    muted = models.JSONField(_("turned off"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.language and self.language not in dict(settings.LANGUAGES):
            raise ValidationError({"language": _("Choose one of the portal's languages.")})

    def wants(self, *, channel: str, kind: str) -> bool:
        return f"{channel}:{kind}" not in self.muted

    def email_language(self) -> str:
        return self.language if self.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
