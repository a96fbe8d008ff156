"""A member's notifications and their choices: thin pages over the services and selectors."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.two_factor import two_factor_satisfied

from . import services
from .choices import Channel, Kind
from .forms import PreferenceForm, WatchForm
from .selectors import notifications_for


class SignedInMixin(AccessMixin):
    """Any signed-in member (two-factor sign-in finished where it is on); others go to sign in."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not two_factor_satisfied(request.user):
            return redirect_to_login(request.get_full_path(), self.get_login_url())
        return super().dispatch(request, *args, **kwargs)


class NotificationListView(SignedInMixin, ListView):
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self):
        return (
            notifications_for(self.request.user)
            .select_related("report", "update__post", "actor")
            .prefetch_related("update__hotspots")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav="notifications", **kwargs)


class MarkReadView(SignedInMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        services.notification_mark_read(user=request.user, notification_id=pk)
        return redirect("notifications")


class MarkAllReadView(SignedInMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        services.notifications_mark_all_read(user=request.user)
        return redirect("notifications")


class PreferencesView(SignedInMixin, TemplateView):
    """Which notifications reach the member by which channel, and what they watch."""

    template_name = "notifications/preferences.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        preference = services.preference_of(user)
        form = kwargs.pop("form", None) or PreferenceForm(initial=PreferenceForm.initial_for(preference))
        on = set(form["switched_on"].value() or [])
        kinds = services.kinds_for(user)
        rows = [
            (
                label,
                [
                    (f"{channel}:{kind}", channel_label, f"{channel}:{kind}" in on)
                    for channel, channel_label in Channel.choices
                ],
            )
            for kind, label in Kind.choices
            if kind in kinds
        ]
        may_watch = user.has_perm(services.WATCH_PERMISSION)
        return super().get_context_data(
            nav="notifications",
            form=form,
            rows=rows,
            channels=Channel.choices,
            may_watch=may_watch,
            watches=user.watches.select_related("hotspot") if may_watch else [],
            watch_form=kwargs.pop("watch_form", None) or WatchForm(),
            **kwargs,
        )

    def post(self, request):
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        services.preference_save(
            user=request.user,
            language=form.cleaned_data["language"],
            switched_on=form.cleaned_data["switched_on"],
        )
        return redirect("notification-preferences")


class WatchAddView(SignedInMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        if not request.user.has_perm(services.WATCH_PERMISSION):
            return self.handle_no_permission()
        form = WatchForm(request.POST)
        if form.is_valid():
            try:
                services.watch_add(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            view = PreferencesView(request=request, args=(), kwargs={})
            return view.render_to_response(view.get_context_data(watch_form=form), status=400)
        return redirect("notification-preferences")


class WatchRemoveView(SignedInMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        services.watch_remove(user=request.user, watch_id=pk)
        return redirect("notification-preferences")
