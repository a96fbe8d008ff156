from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotspots.choices import AliasLanguage
from hotspots.models import Hotspot

from .choices import SWITCHES, Channel, Kind
from .models import NotificationPreference, Watch

SWITCH_CHOICES = [
    (f"{channel}:{kind}", format_lazy("{} — {}", Kind(kind).label, Channel(channel).label))
    for kind in Kind.values
    for channel in Channel.values
]
# The portal's languages named in the reader's own (the aliases' language names say them).
LANGUAGE_CHOICES = [
    ("", _("The portal's default")),
    *((code, AliasLanguage(code).label) for code, _name in settings.LANGUAGES),
]


class PreferenceForm(forms.Form):
    """The member's switches (checked: on) and the language of their emails."""

    language = forms.ChoiceField(label=_("Language of emails"), choices=LANGUAGE_CHOICES, required=False)
    switched_on = forms.MultipleChoiceField(
        label=_("Notifications"), choices=SWITCH_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    @staticmethod
    def initial_for(preference: NotificationPreference) -> dict:
        return {
            "language": preference.language,
            "switched_on": [s for s in SWITCHES if s not in preference.muted],
        }


class PreferenceAdminForm(forms.ModelForm):
    """The admin's form of a preference: the same switches, checked when on."""

    language = PreferenceForm.base_fields["language"]
    switched_on = PreferenceForm.base_fields["switched_on"]

    class Meta:
        model = NotificationPreference
        fields = ["user", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("switched_on", [s for s in SWITCHES if s not in self.instance.muted])

    def save(self, commit=True):
        on = set(self.cleaned_data["switched_on"])
        self.instance.muted = [s for s in SWITCHES if s not in on]
        return super().save(commit)


class WatchForm(forms.ModelForm):
    class Meta:
        model = Watch
        fields = ["hotspot", "kind", "frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hotspot"].queryset = Hotspot.objects.order_by("name")
