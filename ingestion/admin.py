import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import construct_instance
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin_utils import ReadableHistoryMixin, export_as_csv_action
from hotspots.choices import AliasLanguage, HotspotKind
from hotspots.models import Hotspot

from . import services
from .choices import CandidateOrigin, CandidateStatus, ReviewState, UpdateKind
from .models import KindExample, KindModel, PlaceCandidate, Post, RejectedRecord, Source, Update

# The figures extraction reads from posts (ingestion/extraction/figures.py), by their keys.
FIGURE_LABELS = {
    "personnel": _("personnel"),
    "trained": _("trained"),
    "arrests": _("arrests"),
    "weapons_seized": _("weapons seized"),
}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "enabled",
        "is_official",
        "last_polled_at",
        "short_error",
        "posts_fetched",
        "polls_failed",
    ]
    list_filter = ["kind", "enabled", "is_official"]
    search_fields = ["name", "target"]
    readonly_fields = [
        "cursor",
        "last_polled_at",
        "next_poll_after",
        "last_error",
        "last_error_at",
        "polls_ok",
        "polls_failed",
        "posts_fetched",
    ]
    actions = ["poll_now"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Poll the selected sources now"))
    def poll_now(self, request, queryset):
        for source in queryset:
            try:
                services.source_queue_poll(source=source)
            except Exception as exc:
                self.message_user(request, f"{source.name}: {exc}", messages.ERROR)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)s poll started; see the source's last error.",
                "%(count)s polls started; see each source's last error.",
                count,
            )
            % {"count": count},
        )


class HasWarningsFilter(admin.SimpleListFilter):
    title = _("warnings")
    parameter_name = "warned"

    def lookups(self, request, model_admin):
        return [("yes", _("With warnings")), ("no", _("Without warnings"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(warnings=[])
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


class PostAddForm(forms.ModelForm):
    """Staff paste a post: text and where it came from; the rest is filled in by the service."""

    class Meta:
        model = Post
        fields = ["source", "external_id", "text", "url", "author", "language", "published_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["external_id"].required = False
        self.fields["external_id"].help_text = _(
            "Leave empty for a post without an id; one is made from the text."
        )

    def _post_clean(self):
        # The service fills in the id, hash and raw payload before validating, so it validates here.
        construct_instance(self, self.instance, fields=self._meta.fields)
        try:
            services.post_prepare_manual(post=self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Post)
class PostAdmin(ReadableHistoryMixin, SimpleHistoryAdmin):
    list_display = ["external_id", "source", "published_at", "state", "attempts", "warned", "short_text"]
    list_filter = ["state", "source", "language", HasWarningsFilter]
    search_fields = ["external_id", "text", "author"]
    date_hierarchy = "published_at"
    list_select_related = ["source"]
    actions = ["retry_selected"]
    readonly_fields = [
        "source",
        "external_id",
        "url",
        "author",
        "text",
        "language",
        "published_at",
        "raw_payload",
        "content_hash",
        "state",
        "attempts",
        "last_error",
        "processed_at",
        "fetched_at",
        "warning_list",
        "repost_of",
        "quoted_post",
    ]
    exclude = ["raw"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PostAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_exclude(self, request, obj=None):
        return ["raw"] if obj is not None else None

    def get_fields(self, request, obj=None):
        if obj is None:
            return PostAddForm.Meta.fields
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            services.post_add_manual(post=obj)

    def response_add(self, request, obj, post_url_continue=None):
        # A pasted post is processed once saved (after the commit): land on the update it produced.
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect(reverse("admin:ingestion_post_update", args=[obj.pk]))

    def get_urls(self):
        update = path(
            "<path:object_id>/update/",
            self.admin_site.admin_view(self.update_view),
            name="ingestion_post_update",
        )
        return [update, *super().get_urls()]

    def update_view(self, request, object_id):
        """The update a post produced, or the post while it is still being processed."""
        post = get_object_or_404(self.get_queryset(request), pk=object_id)
        update = Update.objects.filter(post=post).first()
        if update is not None:
            self.message_user(
                request, _("The post was added; here is the update read from it."), messages.SUCCESS
            )
            return redirect(reverse("admin:ingestion_update_change", args=[update.pk]))
        self.message_user(
            request, _("The post was added; it is being processed: its update will follow."), messages.INFO
        )
        return redirect(reverse("admin:ingestion_post_change", args=[post.pk]))

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(90)

    @admin.display(description=_("warnings"), boolean=True)
    def warned(self, obj):
        return bool(obj.warnings)

    @admin.display(description=_("warnings"))
    def warning_list(self, obj):
        return format_html_join("", "<p>{}</p>", ((w,) for w in obj.warnings or ())) or _("none")

    @admin.display(description=_("raw payload"))
    def raw_payload(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.raw, indent=2, ensure_ascii=False))

    @admin.action(description=_("Retry processing the selected posts"))
    def retry_selected(self, request, queryset):
        count = services.posts_retry(posts=queryset)
        self.message_user(
            request,
            ngettext("%(count)s post queued for processing.", "%(count)s posts queued for processing.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class ReviewStateFilter(admin.SimpleListFilter):
    """The queue opens on what waits for a reviewer: the updates not reviewed yet ("All" lists every
    update)."""

    title = _("review state")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [*ReviewState.choices, ("all", _("All"))]

    def value(self):
        return super().value() or ReviewState.AUTO

    def queryset(self, request, queryset):
        return queryset if self.value() == "all" else queryset.filter(review_state=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class UpdateReviewForm(forms.ModelForm):
    """A reviewer corrects the kind and the hotspots, or confirms or rejects the update."""

    hotspot_choices = forms.ModelMultipleChoiceField(
        queryset=Hotspot.objects.all(),
        required=False,
        label=_("hotspots"),
        widget=admin.widgets.FilteredSelectMultiple(_("hotspots"), is_stacked=False),
    )
    decision = forms.ChoiceField(
        choices=[
            ("", _("(keep as is)")),
            (ReviewState.CONFIRMED, _("Confirm")),
            (ReviewState.CORRECTED, _("Correct: save my changes")),
            (ReviewState.REJECTED, _("Reject: not a mission update")),
        ],
        required=False,
        label=_("decision"),
    )
    # The figures the extraction read, corrected in place (empty: the post states none).
    figure_personnel = forms.IntegerField(label=FIGURE_LABELS["personnel"], min_value=0, required=False)
    figure_trained = forms.IntegerField(label=FIGURE_LABELS["trained"], min_value=0, required=False)
    figure_arrests = forms.IntegerField(label=FIGURE_LABELS["arrests"], min_value=0, required=False)
    figure_weapons_seized = forms.IntegerField(
        label=FIGURE_LABELS["weapons_seized"], min_value=0, required=False
    )

    class Meta:
        model = Update
        fields = ["kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["hotspot_choices"].initial = list(self.instance.hotspots.values_list("pk", flat=True))
            for key, value in (self.instance.figures or {}).items():
                if f"figure_{key}" in self.fields:
                    self.fields[f"figure_{key}"].initial = value

    def corrected_figures(self) -> dict:
        """The figures as the reviewer left them, keeping any the form does not show."""
        figures = {k: v for k, v in (self.instance.figures or {}).items() if k not in FIGURE_LABELS}
        for key in FIGURE_LABELS:
            value = self.cleaned_data.get(f"figure_{key}")
            if value is not None:
                figures[key] = value
        return figures


@admin.register(Update)
class UpdateAdmin(ReadableHistoryMixin, SimpleHistoryAdmin):
    form = UpdateReviewForm
    list_display = [
        "post_link",
        "published_at",
        "kind",
        "confidence_text",
        "hotspot_list",
        "figures_text",
        "review_state",
        "source",
        "trust",
    ]
    list_filter = [ReviewStateFilter, "needs_review", "post__source__is_official", "kind", "post__source"]
    # Newest first; the low-confidence guesses, where a reviewer is most needed, are a filter away.
    ordering = ["-published_at", "-id"]
    search_fields = ["post__text", "post__external_id", "hotspots__name"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "post_text",
        "source_trust",
        "reposted_by",
        "quoted",
        "mention_list",
        "figures",
        "confidence_text",
        "review_state",
        "reviewer",
        "reviewed_at",
        "published_at",
    ]
    fields = [
        "post_text",
        "source_trust",
        "reposted_by",
        "quoted",
        "published_at",
        "mention_list",
        "confidence_text",
        "kind",
        "hotspot_choices",
        "figure_personnel",
        "figure_trained",
        "figure_arrests",
        "figure_weapons_seized",
        "decision",
        "review_state",
        "reviewer",
        "reviewed_at",
    ]
    actions = [
        "confirm_selected",
        "reject_selected",
        *[f"set_kind_{kind}" for kind in UpdateKind.values],
        export_as_csv_action(
            ["post", "published_at", "kind", "hotspots", "figures", "review_state"], filename="updates"
        ),
    ]

    def has_add_permission(self, request):
        return False  # updates come from posts

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("post__source", "reviewer")
            .prefetch_related(Prefetch("hotspots", queryset=Hotspot.objects.only("id", "name")))
        )

    @admin.display(description=_("post"))
    def post_link(self, obj):
        return Truncator(obj.post.text).chars(70)

    @admin.display(description=_("source"), ordering="post__source__name")
    def source(self, obj):
        return obj.post.source.name

    @admin.display(description=_("trust"), ordering="post__source__is_official")
    def trust(self, obj):
        return _("Official") if obj.post.source.is_official else _("Third-party")

    @admin.display(description=_("source"))
    def source_trust(self, obj):
        source = obj.post.source
        if source.is_official:
            text = _("%(source)s: an official mission channel; partners see its updates as they come.")
        else:
            text = _("%(source)s: third-party; partners see its updates only once a reviewer confirms them.")
        return text % {"source": source.name}

    @admin.display(description=_("confidence"), ordering="confidence")
    def confidence_text(self, obj):
        if obj.confidence is None:
            return "-"
        percent = _("%(percent)s%%") % {"percent": number_format(round(obj.confidence * 100))}
        return _("%(percent)s (needs review)") % {"percent": percent} if obj.needs_review else percent

    @admin.display(description=_("reposted by"))
    def reposted_by(self, obj):
        reposts = obj.post.reposts.select_related("source").order_by("published_at")
        return format_html_join(
            ", ", "{} ({})", ((p.author or p.external_id, p.source.name) for p in reposts)
        ) or _("nobody")

    @admin.display(description=_("quotes"))
    def quoted(self, obj):
        post = obj.post
        if not post.quoted_id:
            return "-"
        if post.quoted_post is None:
            return _("post %(id)s (not stored here)") % {"id": post.quoted_id}
        return Truncator(post.quoted_post.text).chars(200)

    @admin.display(description=_("text"))
    def post_text(self, obj):
        return obj.post.text

    @admin.display(description=_("matched in the text"))
    def mention_list(self, obj):
        mentions = obj.mentions.select_related("hotspot")
        return format_html_join(
            "",
            "<p>{}</p>",
            (
                (
                    _("“%(text)s” at %(start)s-%(end)s → %(hotspot)s")
                    % {"text": m.matched_text, "start": m.start, "end": m.end, "hotspot": m.hotspot.name},
                )
                for m in mentions
            ),
        )

    @admin.display(description=_("hotspots"))
    def hotspot_list(self, obj):
        return format_html_join(", ", "{}", ((h.name,) for h in obj.hotspots.all()))

    @admin.display(description=_("figures"))
    def figures_text(self, obj):
        return ", ".join(
            f"{FIGURE_LABELS.get(k, k)} {number_format(v) if isinstance(v, int | float) else v}"
            for k, v in sorted((obj.figures or {}).items())
        )

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        hotspots = form.cleaned_data.get("hotspot_choices")
        current = set(obj.hotspots.values_list("pk", flat=True))
        hotspots_changed = {h.pk for h in hotspots} != current
        figures = form.corrected_figures()
        figures_changed = figures != (Update.objects.get(pk=obj.pk).figures or {})
        changed = "kind" in form.changed_data or hotspots_changed or figures_changed
        if changed and decision in ("", ReviewState.CONFIRMED):
            decision = ReviewState.CORRECTED
        if decision:
            services.update_review(
                update=obj,
                user=request.user,
                state=decision,
                kind=obj.kind,
                hotspots=hotspots if changed else None,
                figures=figures if figures_changed else None,
            )

    def save_related(self, request, form, formsets, change):
        pass  # hotspots are saved by the review service, mentions are read-only

    def _review(self, request, queryset, state, **kwargs):
        for update in queryset:
            services.update_review(update=update, user=request.user, state=state, **kwargs)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)s update marked “%(state)s”.", "%(count)s updates marked “%(state)s”.", count)
            % {"count": count, "state": ReviewState(state).label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Confirm the selected updates"))
    def confirm_selected(self, request, queryset):
        self._review(request, queryset, ReviewState.CONFIRMED)

    @admin.action(description=_("Reject the selected updates"))
    def reject_selected(self, request, queryset):
        """Asks first, listing the updates (a rejection hides an update from partners and analysts);
        each one can be restored from its history."""
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Reject these updates?"),
                "opts": self.model._meta,
                "updates": queryset.select_related("post__source"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "ingestion/admin/confirm_reject.html", context)
        self._review(request, queryset, ReviewState.REJECTED)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for kind, label in UpdateKind.choices:
            name = f"set_kind_{kind}"

            def action(modeladmin, req, queryset, kind=kind):
                modeladmin._review(req, queryset, ReviewState.CORRECTED, kind=kind)

            actions[name] = (action, name, format_lazy(_("Correct the kind to: {}"), label))
        return actions


class CandidateForm(forms.ModelForm):
    promote_as_alias_of = forms.ModelChoiceField(
        queryset=Hotspot.objects.all(),
        required=False,
        label=_("promote as an alias of"),
        help_text=_("The candidate is another name of this hotspot."),
    )
    alias_language = forms.ChoiceField(
        choices=AliasLanguage.choices, initial=AliasLanguage.FR, required=False, label=_("alias language")
    )

    class Meta:
        model = PlaceCandidate
        fields = ["status"]


@admin.register(PlaceCandidate)
class PlaceCandidateAdmin(admin.ModelAdmin):
    form = CandidateForm
    list_display = ["name", "origin", "reference", "occurrences", "status", "promoted_to"]
    list_filter = ["status", "origin"]
    search_fields = ["name", "normalised"]
    readonly_fields = ["name", "origin", "reference", "occurrences", "promoted_to", "example_posts"]
    fields = [
        "name",
        "origin",
        "reference",
        "occurrences",
        "example_posts",
        "status",
        "promoted_to",
        "promote_as_alias_of",
        "alias_language",
    ]
    actions = ["promote_to_hotspots", "ignore_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("example posts"))
    def example_posts(self, obj):
        posts = obj.posts.order_by("-published_at")[:5]
        return format_html_join("", "<p>{}</p>", ((Truncator(p.text).chars(200),) for p in posts))

    def save_model(self, request, obj, form, change):
        hotspot = form.cleaned_data.get("promote_as_alias_of")
        if hotspot is not None:
            services.candidate_promote_to_alias(
                candidate=obj, hotspot=hotspot, language=form.cleaned_data.get("alias_language") or "fr"
            )
        else:
            super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Promote the selected candidates to hotspots (placed at their reference point)")
    )
    def promote_to_hotspots(self, request, queryset):
        if not request.user.has_perm("hotspots.add_hotspot"):
            self.message_user(request, _("Only approvers may create hotspots."), messages.ERROR)
            return
        for candidate in queryset.exclude(status=CandidateStatus.PROMOTED):
            kind = (
                HotspotKind.TOWN if candidate.origin == CandidateOrigin.COMMUNE else HotspotKind.NEIGHBOURHOOD
            )
            try:
                hotspot = services.candidate_promote_to_hotspot(
                    candidate=candidate, slug=slugify(candidate.name), kind=kind
                )
            except ValidationError as exc:
                self.message_user(request, f"{candidate.name}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(name)s is now the hotspot “%(slug)s”.")
                    % {"name": candidate.name, "slug": hotspot.slug},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Ignore the selected candidates"))
    def ignore_selected(self, request, queryset):
        count = queryset.update(status=CandidateStatus.IGNORED)
        self.message_user(
            request,
            ngettext("%(count)s candidate ignored.", "%(count)s candidates ignored.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(RejectedRecord)
class RejectedRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source", "origin", "position", "external_id", "short_message"]
    list_filter = ["source"]
    search_fields = ["origin", "external_id", "message"]
    readonly_fields = ["source", "origin", "position", "external_id", "message", "raw", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("problem"))
    def short_message(self, obj):
        return Truncator(obj.message).chars(100)


@admin.register(KindExample)
class KindExampleAdmin(admin.ModelAdmin):
    """The reviewers' kind corrections the classifier learns from."""

    list_display = ["created_at", "kind", "guessed_kind", "labelled_by", "short_text"]
    list_filter = ["kind", "guessed_kind"]
    search_fields = ["text"]
    readonly_fields = ["update", "text", "kind", "guessed_kind", "labelled_by", "created_at"]

    def has_add_permission(self, request):
        return False  # examples come from reviews

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(90)


@admin.register(KindModel)
class KindModelAdmin(admin.ModelAdmin):
    """Each training of the kind classifier, with the held-out score before and after."""

    list_display = ["created_at", "examples", "heldout_before", "heldout_after", "is_active", "note"]
    readonly_fields = ["created_at", "examples", "heldout_before", "heldout_after", "is_active", "note"]
    exclude = ["parameters"]

    def has_add_permission(self, request):
        return False  # trained by `manage.py train_kind_model` or the nightly task

    def has_change_permission(self, request, obj=None):
        return False
