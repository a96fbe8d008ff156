"""Sources of posts, the raw posts as received, and the structured updates made from them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

from .choices import CandidateOrigin, CandidateStatus, PostState, ReviewState, SourceKind, UpdateKind
from .querysets import PlaceCandidateQuerySet, PostQuerySet, UpdateQuerySet


class Source(TimeStampedModel):
    """A channel the portal reads: an X account or search, a feed, a file, or staff entry."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    target = models.CharField(
        "what to read",
        max_length=500,
        blank=True,
        help_text="X: the user id, or a search query prefixed with 'search:'. RSS: the feed URL.",
    )
    is_official = models.BooleanField(
        "official mission channel",
        default=False,
        help_text="Updates from other sources wait for review before analysts see them as confirmed.",
    )
    credential_env = models.CharField(
        "credential variable",
        max_length=100,
        blank=True,
        help_text="Name of the environment variable holding the token (never the token itself).",
    )
    base_url = models.URLField(blank=True, help_text="API base URL; empty means the public default.")
    poll_interval_minutes = models.PositiveIntegerField(default=15)
    enabled = models.BooleanField(default=True)
    cursor = models.JSONField(default=dict, blank=True, help_text="since_id, ETag, Last-Modified.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_after = models.DateTimeField(
        null=True, blank=True, help_text="Set when the remote API asks us to wait (rate limit)."
    )
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    polls_ok = models.PositiveIntegerField(default=0)
    polls_failed = models.PositiveIntegerField(default=0)
    posts_fetched = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "source"

    def __str__(self) -> str:
        return self.name


class Post(TimeStampedModel):
    """A post exactly as received, stored before any processing so nothing fetched is lost."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="posts")
    external_id = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    author = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text="Full text (X note_tweet.text when present).")
    language = models.CharField(max_length=16, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    raw = models.JSONField(default=dict, help_text="The record as received.")
    content_hash = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=16, choices=PostState.choices, default=PostState.NEW)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(auto_now_add=True)
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text="What the reader noticed but kept the post for (an unreadable date).",
    )
    # Every version of an edited X post shares the first id of its edit history; other posts keep
    # their own id here. A later version replaces the text of the one post, never adds a second.
    original_id = models.CharField(
        "first id", max_length=200, blank=True, help_text="The first id of the post's edit history."
    )
    reposted_id = models.CharField(
        "reposts", max_length=200, blank=True, help_text="The id of the post this one reposts (an X retweet)."
    )
    repost_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reposts",
        help_text="The stored post this one reposts: a repost adds no update of its own.",
    )
    quoted_id = models.CharField(
        "quotes", max_length=200, blank=True, help_text="The id of the post this one quotes."
    )
    quoted_post = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )

    # Earlier texts of a post that changed (an edit, an updated feed item), with when they were replaced.
    history = HistoricalRecords(excluded_fields=["raw", "fetched_at", "attempts", "last_error"])
    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "post"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                name="post_unique_per_source",
                violation_error_message="This source already has a post with that id.",
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

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="rejected_records")
    origin = models.CharField(max_length=500, help_text="File name or URL it came from.")
    position = models.CharField(max_length=100, help_text="Where in the input, e.g. line 17 or data[3].")
    external_id = models.CharField(max_length=200, blank=True)
    message = models.TextField()
    raw = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "rejected record"

    def __str__(self) -> str:
        return f"{self.origin} {self.position}: {self.message[:60]}"


class Update(TimeStampedModel):
    """What a post says, in structure: its kind, figures, hotspots (through mentions), contingents."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="update")
    kind = models.CharField(max_length=32, choices=UpdateKind.choices)
    figures = models.JSONField(default=dict, blank=True, help_text='e.g. {"personnel": 600}')
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Copied from the post for filtering."
    )
    hotspots = models.ManyToManyField("hotspots.Hotspot", through="Mention", related_name="updates")
    contingents = models.ManyToManyField("operations.Contingent", blank=True, related_name="updates")
    review_state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.AUTO)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    confidence = models.FloatField(
        null=True, blank=True, help_text="How sure the extraction is of the kind, from 0 to 1."
    )
    needs_review = models.BooleanField(
        default=False, help_text="The kind was guessed with low confidence: a reviewer should look first."
    )

    # Review decisions are audited: who confirmed, corrected or rejected what, and when.
    history = HistoricalRecords()
    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "update"
        indexes = [
            models.Index(fields=["published_at"], name="update_published_idx"),
            models.Index(fields=["kind", "published_at"], name="update_kind_published_idx"),
            models.Index(fields=["review_state", "needs_review"], name="update_review_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.post}"


class KindExample(TimeStampedModel):
    """A post's text with the kind a reviewer gave it: what the kind classifier learns from."""

    update = models.OneToOneField(
        Update, on_delete=models.SET_NULL, null=True, blank=True, related_name="kind_example"
    )
    text = models.TextField()
    kind = models.CharField(max_length=32, choices=UpdateKind.choices)
    guessed_kind = models.CharField(
        max_length=32, choices=UpdateKind.choices, help_text="What the classifier had said."
    )
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "kind example"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class KindModel(TimeStampedModel):
    """One training of the kind classifier on the reviewers' examples, with its held-out scores."""

    examples = models.PositiveIntegerField(help_text="Labelled examples it learned from.")
    parameters = models.JSONField(help_text="The trained model (ingestion.extraction.kinds.KindModel).")
    heldout_before = models.FloatField(help_text="Kind accuracy on the held-out set before this training.")
    heldout_after = models.FloatField(help_text="Kind accuracy on the held-out set with this training.")
    is_active = models.BooleanField(default=False, help_text="The one that processing uses.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "kind model"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="kind_model_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"kind model of {self.created_at:%Y-%m-%d %H:%M} ({self.examples} examples)"


class Mention(models.Model):
    """A hotspot named in a post: which words matched and where."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="mentions")
    hotspot = models.ForeignKey("hotspots.Hotspot", on_delete=models.CASCADE, related_name="mentions")
    matched_text = models.CharField(max_length=300)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["update", "start"]
        verbose_name = "mention"
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

    name = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, unique=True)
    origin = models.CharField(max_length=16, choices=CandidateOrigin.choices)
    reference = models.CharField(
        max_length=40, blank=True, help_text="P-code or Who's On First id of the reference place."
    )
    occurrences = models.PositiveIntegerField(default=0)
    posts = models.ManyToManyField(Post, through="CandidateSighting", related_name="place_candidates")
    status = models.CharField(max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.NEW)
    promoted_to = models.ForeignKey(
        "hotspots.Hotspot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PlaceCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-occurrences", "name"]
        verbose_name = "place candidate"

    def __str__(self) -> str:
        return self.name


class CandidateSighting(models.Model):
    """One post naming a place candidate (one row per post, so reprocessing never double-counts)."""

    candidate = models.ForeignKey(PlaceCandidate, on_delete=models.CASCADE, related_name="sightings")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="candidate_sightings")
    matched_text = models.CharField(max_length=300)

    class Meta:
        verbose_name = "place candidate sighting"
        constraints = [
            models.UniqueConstraint(fields=["candidate", "post"], name="sighting_unique_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} in {self.post}"
