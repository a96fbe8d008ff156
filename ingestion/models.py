"""Sources of posts, the raw posts as received, and the structured updates made from them."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import outbound
from core.models import TimeStampedModel
from core.validators import validate_event_time

from .choices import CandidateOrigin, CandidateStatus, PostState, ReviewState, SourceKind, UpdateKind
from .querysets import PlaceCandidateQuerySet, PostQuerySet, UpdateQuerySet

_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


class Source(TimeStampedModel):
    """A channel the portal reads: an X account or search, a feed, a file, or staff entry."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    target = models.CharField(
        _("what to read"),
        max_length=500,
        blank=True,
        help_text=_("X: the user id, or a search query prefixed with 'search:'. RSS: the feed URL."),
    )
    is_official = models.BooleanField(
        _("official mission channel"),
        default=False,
        help_text=_("Updates from other sources wait for review before analysts see them as confirmed."),
    )
    credential_env = models.CharField(
        _("credential variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable holding the token (never the token itself)."),
    )
    base_url = models.URLField(
        _("base URL"), blank=True, help_text=_("API base URL; empty means the public default.")
    )
    poll_interval_minutes = models.PositiveIntegerField(_("poll interval (minutes)"), default=15)
    enabled = models.BooleanField(_("enabled"), default=True)
    cursor = models.JSONField(
        _("cursor"), default=dict, blank=True, help_text=_("since_id, ETag, Last-Modified.")
    )
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    next_poll_after = models.DateTimeField(
        _("next poll after"),
        null=True,
        blank=True,
        help_text=_("Set when the remote API asks us to wait (rate limit)."),
    )
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    polls_ok = models.PositiveIntegerField(_("successful polls"), default=0)
    polls_failed = models.PositiveIntegerField(_("failed polls"), default=0)
    posts_fetched = models.PositiveIntegerField(_("posts fetched"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        problem = credential_env_problem(self.credential_env)
        if problem:
            errors["credential_env"] = problem
        # An address inside the network, written as such, is refused now; a name is resolved (and
        # checked again) each time the source is polled (ingestion/services/polling.py).
        urls = {"base_url": self.base_url, "target": self.target if self.kind == SourceKind.RSS else ""}
        for name, url in urls.items():
            if url:
                try:
                    outbound.check_url(
                        url,
                        resolve=False,
                        allow_http=True,
                        allow_private=settings.SOURCE_ALLOW_PRIVATE_TARGETS,
                    )
                except outbound.UnsafeTarget as exc:
                    errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)


def credential_env_problem(name: str) -> str | None:
    """Why a source may not read its credential from the environment variable ``name``, or None.

    Only variables named with settings.SOURCE_CREDENTIAL_PREFIX hold source credentials: a source must
    not be able to send the portal's own secrets (DATABASE_URL, the secret key) to a remote server.
    """
    prefix = settings.SOURCE_CREDENTIAL_PREFIX
    if name and not (name.startswith(prefix) and len(name) > len(prefix) and _ENV_NAME.fullmatch(name)):
        return (
            f"The credential variable must be an environment variable named {prefix}SOMETHING "
            f"(capital letters, digits and underscores), not {name!r}."
        )
    return None


class Post(TimeStampedModel):
    """A post exactly as received, stored before any processing so nothing fetched is lost."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="posts"
    )
    external_id = models.CharField(_("external id"), max_length=200)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    text = models.TextField(_("text"), help_text=_("Full text (X note_tweet.text when present)."))
    language = models.CharField(_("language"), max_length=16, blank=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, db_index=True, validators=[validate_event_time]
    )
    raw = models.JSONField(_("raw"), default=dict, help_text=_("The record as received."))
    content_hash = models.CharField(_("content hash"), max_length=64, db_index=True)
    state = models.CharField(_("state"), max_length=16, choices=PostState.choices, default=PostState.NEW)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), auto_now_add=True)
    warnings = models.JSONField(
        _("warnings"),
        default=list,
        blank=True,
        help_text=_("What the reader noticed but kept the post for (an unreadable date)."),
    )
    # Every version of an edited X post shares the first id of its edit history; other posts keep
    # their own id here. A later version replaces the text of the one post, never adds a second.
    original_id = models.CharField(
        _("first id"), max_length=200, blank=True, help_text=_("The first id of the post's edit history.")
    )
    reposted_id = models.CharField(
        _("reposts"),
        max_length=200,
        blank=True,
        help_text=_("The id of the post this one reposts (an X retweet)."),
    )
    repost_of = models.ForeignKey(
        "self",
        verbose_name=_("repost of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reposts",
        help_text=_("The stored post this one reposts: a repost adds no update of its own."),
    )
    quoted_id = models.CharField(
        _("quotes"), max_length=200, blank=True, help_text=_("The id of the post this one quotes.")
    )
    quoted_post = models.ForeignKey(
        "self",
        verbose_name=_("quoted post"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
    )

    # Earlier texts of a post that changed (an edit, an updated feed item), with when they were replaced.
    history = HistoricalRecords(excluded_fields=["raw", "fetched_at", "attempts", "last_error"])
    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                name="post_unique_per_source",
                violation_error_message=_("This source already has a post with that id."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "updated_at"], name="post_state_idx"),
            models.Index(fields=["source", "original_id"], name="post_original_idx"),
            models.Index(fields=["reposted_id"], name="post_reposted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.external_id}"


class RejectedRecord(TimeStampedModel):
    """An input record that could not be read, kept with its raw bytes for inspection."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="rejected_records"
    )
    origin = models.CharField(_("origin"), max_length=500, help_text=_("File name or URL it came from."))
    position = models.CharField(
        _("position"), max_length=100, help_text=_("Where in the input, e.g. line 17 or data[3].")
    )
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    raw = models.TextField(_("raw"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rejected record")
        verbose_name_plural = _("rejected records")

    def __str__(self) -> str:
        return f"{self.origin} {self.position}: {self.message[:60]}"


class Update(TimeStampedModel):
    """What a post says, in structure: its kind, figures, hotspots (through mentions), contingents."""

    post = models.OneToOneField(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="update")
    kind = models.CharField(_("kind"), max_length=32, choices=UpdateKind.choices)
    figures = models.JSONField(_("figures"), default=dict, blank=True, help_text=_('e.g. {"personnel": 600}'))
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("Copied from the post for filtering.")
    )
    hotspots = models.ManyToManyField(
        "hotspots.Hotspot", verbose_name=_("hotspots"), through="Mention", related_name="updates"
    )
    contingents = models.ManyToManyField(
        "operations.Contingent", verbose_name=_("contingents"), blank=True, related_name="updates"
    )
    review_state = models.CharField(
        _("review state"), max_length=16, choices=ReviewState.choices, default=ReviewState.AUTO
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    confidence = models.FloatField(
        _("confidence"),
        null=True,
        blank=True,
        help_text=_("How sure the extraction is of the kind, from 0 to 1."),
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("The kind was guessed with low confidence: a reviewer should look first."),
    )

    # Review decisions are audited: who confirmed, corrected or rejected what, and when.
    history = HistoricalRecords(
        verbose_name=_("change to an update"), verbose_name_plural=_("changes to updates")
    )
    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        indexes = [
            models.Index(fields=["published_at"], name="update_published_idx"),
            models.Index(fields=["kind", "published_at"], name="update_kind_published_idx"),
            models.Index(fields=["review_state", "needs_review"], name="update_review_queue_idx"),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s from %(post)s") % {"kind": self.get_kind_display(), "post": self.post}


class KindExample(TimeStampedModel):
    """A post's text with the kind a reviewer gave it: what the kind classifier learns from."""

    update = models.OneToOneField(
        Update,
        verbose_name=_("update"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kind_example",
    )
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=32, choices=UpdateKind.choices)
    guessed_kind = models.CharField(
        _("guessed kind"),
        max_length=32,
        choices=UpdateKind.choices,
        help_text=_("What the classifier had said."),
    )
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("labelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kind example")
        verbose_name_plural = _("kind examples")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class KindModel(TimeStampedModel):
    """One training of the kind classifier on the reviewers' examples, with its held-out scores."""

    examples = models.PositiveIntegerField(_("examples"), help_text=_("Labelled examples it learned from."))
    parameters = models.JSONField(
        _("parameters"), help_text=_("The trained model (ingestion.extraction.kinds.KindModel).")
    )
    heldout_before = models.FloatField(
        _("held-out accuracy before"), help_text=_("Kind accuracy on the held-out set before this training.")
    )
    heldout_after = models.FloatField(
        _("held-out accuracy after"), help_text=_("Kind accuracy on the held-out set with this training.")
    )
    is_active = models.BooleanField(_("active"), default=False, help_text=_("The one that processing uses."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kind model")
        verbose_name_plural = _("kind models")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="kind_model_one_active"
            )
        ]

    def __str__(self) -> str:
        return gettext("kind model of %(date)s (%(examples)s examples)") % {
            "date": date_format(localtime(self.created_at), "SHORT_DATETIME_FORMAT"),
            "examples": self.examples,
        }


class Mention(models.Model):
    """A hotspot named in a post: which words matched and where."""

    update = models.ForeignKey(
        Update, verbose_name=_("update"), on_delete=models.CASCADE, related_name="mentions"
    )
    hotspot = models.ForeignKey(
        "hotspots.Hotspot", verbose_name=_("hotspot"), on_delete=models.CASCADE, related_name="mentions"
    )
    matched_text = models.CharField(_("matched text"), max_length=300)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))

    class Meta:
        ordering = ["update", "start"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["update", "hotspot", "start"], name="mention_unique_span"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="mention_span_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matched_text} -> {self.hotspot_id}"


class PlaceCandidate(TimeStampedModel):
    """A place named in posts that is not a hotspot, waiting for staff to promote or ignore it."""

    name = models.CharField(_("name"), max_length=200)
    normalised = models.CharField(_("normalised"), max_length=200, unique=True)
    origin = models.CharField(_("origin"), max_length=16, choices=CandidateOrigin.choices)
    reference = models.CharField(
        _("reference"),
        max_length=40,
        blank=True,
        help_text=_("P-code or Who's On First id of the reference place."),
    )
    occurrences = models.PositiveIntegerField(_("occurrences"), default=0)
    posts = models.ManyToManyField(
        Post, verbose_name=_("posts"), through="CandidateSighting", related_name="place_candidates"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.NEW
    )
    promoted_to = models.ForeignKey(
        "hotspots.Hotspot",
        verbose_name=_("promoted to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlaceCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-occurrences", "name"]
        verbose_name = _("place candidate")
        verbose_name_plural = _("place candidates")

    def __str__(self) -> str:
        return self.name


class CandidateSighting(models.Model):
    """One post naming a place candidate (one row per post, so reprocessing never double-counts)."""

    candidate = models.ForeignKey(
        PlaceCandidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="sightings"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="candidate_sightings"
    )
    matched_text = models.CharField(_("matched text"), max_length=300)

    class Meta:
        verbose_name = _("place candidate sighting")
        verbose_name_plural = _("place candidate sightings")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "post"], name="sighting_unique_per_post"),
        ]

    def __str__(self) -> str:
        return gettext("%(candidate)s in %(post)s") % {"candidate": self.candidate, "post": self.post}
