"""Every admin page of ours speaks French and Kreyòl: no English string of ours is left on it.

A superuser opens every changelist, add form and change form of our apps' models (a record of each
exists) in `fr` and in `ht`. The English strings of ours are the catalog's msgids (locale/*.po:
what `make makemessages` collected from our code and templates) and our models' verbose names,
field labels, help texts and choices, read in English; none may be seen on the page unless its
translation is the same word (French "contingent", "URL"). Records' own text (hotspot names, the
seed's English aliases) is data, not a string of ours: it is taken out of the page first.
"""

import gettext
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.gis.geos import Point
from django.db import models
from django.urls import reverse
from django.utils import translation

from accounts.models import ApiTokenUse
from accounts.services import api_token_issue
from hotspots.models import Hotspot
from ingestion.models import KindExample, KindModel, PlaceCandidate, RejectedRecord
from notifications.models import Notification, NotificationPreference, Watch
from operations.models import Contingent
from tests.factories import (
    OperationReportFactory,
    PostFactory,
    SourceFactory,
    TrainingRecordFactory,
    UpdateFactory,
    WebhookSubscriptionFactory,
)
from webhooks.models import Tombstone, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "hotspots", "operations", "ingestion", "webhooks", "audit", "notifications")
LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr (the first form of plurals; msgid_plural too), from a .po file."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None

    def flush():
        if current.get("msgid"):
            translated = current.get("msgstr", current.get("msgstr[0]", ""))
            entries[current["msgid"]] = translated
            if "msgid_plural" in current:
                entries[current["msgid_plural"]] = current.get("msgstr[1]", "")

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            if match.group(1) in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in current):
                flush()
                current = {}
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    flush()
    return {k.replace('\\"', '"').replace("\\\\", "\\"): v.replace('\\"', '"') for k, v in entries.items()}


def _our_model_strings() -> set[str]:
    """Our models' names, field labels, help texts and choices, in English."""
    strings = set()
    with translation.override("en"):
        for app in OUR_APPS:
            for model in apps.get_app_config(app).get_models():
                meta = model._meta
                strings |= {str(meta.verbose_name), str(meta.verbose_name_plural)}
                for field in meta.get_fields():
                    if not hasattr(field, "verbose_name") or field.auto_created:
                        continue
                    strings |= {str(field.verbose_name), str(field.help_text or "")}
                    strings |= {str(label) for _, label in (getattr(field, "choices", None) or [])}
    return {s for s in strings if s}


def _pattern(english: str) -> re.Pattern | None:
    """A case-insensitive pattern for a string, its %(name)s / {} placeholders matching any text."""
    tokens = re.split(r"(%\([a-z_]+\)s|%s|\{\}|%%)", english.strip())
    if not any(re.search(r"[A-Za-z]{2}", t) for t in tokens[::2]):
        return None
    body = ""
    for index, token in enumerate(tokens):
        if index % 2 == 0:
            body += re.escape(token)
        elif token in ("%(count)s", "%(counter)s"):
            body += r"\d[\d\s.,]*"  # a count is a number
        else:
            body += r".{1,80}?"
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """The text a reader sees: not scripts, styles, or elements hidden (`hidden`, display: none);
    with the attribute text people read (title, placeholder, alt, aria-label, buttons' values)."""

    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, hidden)

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        style = (attrs.get("style") or "").replace(" ", "")
        hidden = tag in ("script", "style", "template") or "hidden" in attrs or "display:none" in style
        if hidden or self._hidden():
            if tag not in VOID:
                self._open.append((tag, hidden))
            return
        for name in ("title", "placeholder", "alt", "aria-label"):
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(attrs["value"])
        if tag not in VOID:
            self._open.append((tag, False))

    def handle_endtag(self, tag):
        # Close up to the matching tag (HTML lets some end tags be left out).
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " \n ".join(parser.chunks)


@pytest.fixture
def one_of_each(admin_user):
    """A record of every model of ours that the admin lists (the seed gives hotspots and places)."""
    source = SourceFactory(name="Sous tès", target="fichye.jsonl")
    post = PostFactory(source=source, text="Patwouy nan Solino jodi a.", author="misyon")
    update = UpdateFactory(
        post=post, figures={"personnel": 21425}, hotspots=[Hotspot.objects.get(slug="solino")]
    )
    KindExample.objects.create(update=update, text=post.text, kind="incident", guessed_kind="statement")
    KindModel.objects.create(examples=1, parameters={}, heldout_before=0.5, heldout_after=0.6, note="—")
    candidate = PlaceCandidate.objects.create(name="Delmas 33", normalised="delmas 33", origin="unknown")
    candidate.posts.add(post)
    RejectedRecord.objects.create(source=source, origin="fichye.jsonl", position="17", message="—", raw="{")
    report = OperationReportFactory(
        title="Operasyon Solino", author=admin_user, location=Point(-72.32, 18.55, srid=4326), hnp_units="—"
    )
    report.hotspots.add(Hotspot.objects.get(slug="solino"))
    report.contingents.add(Contingent.objects.get(country_code="JM"))
    report.title = "Operasyon Solino 2"
    report.save()  # a second historical row: a change
    TrainingRecordFactory(course="Kou tir", author=admin_user, starts_on=date(2025, 3, 1))
    token, _secret = api_token_issue(user=admin_user, name="sistèm patnè")
    ApiTokenUse.objects.create(token=token, user=admin_user, method="GET", path="/api/v1/hotspots/")
    subscription = WebhookSubscriptionFactory(owner=admin_user, description="—")
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, resource="reports", object_id=str(report.pk), event="changed", payload={}
    )
    WebhookAttempt.objects.create(delivery=delivery, status_code=500, error="—")
    Tombstone.objects.create(resource="reports", object_id="99", reason="deleted", partners=True)
    Notification.objects.create(recipient=admin_user, kind="report_sent_back", report=report, reason="—")
    Notification.objects.create(recipient=admin_user, kind="watched_update", update=update)
    Watch.objects.create(user=admin_user, hotspot=Hotspot.objects.get(slug="solino"), frequency="daily")
    NotificationPreference.objects.create(user=admin_user, language="ht", muted=["email:report_approved"])
    alias = Hotspot.objects.get(slug="solino").aliases.first()
    alias.save()  # history of an alias
    Hotspot.objects.get(slug="solino").save()
    return admin_user


def _admin_pages() -> list[str]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in OUR_APPS and model_admin.__module__.split(".")[0] not in OUR_APPS:
            continue
        name = f"admin:{meta.app_label}_{meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{name}_change", args=[first.pk]))
    return pages


def _others_strings(ours: set[str]) -> re.Pattern:
    """Django's and the other installed packages' own strings (the admin frame: "Save", "Action:"),
    which are theirs to translate (Django ships no Kreyòl; the portal's catalog gives Kreyòl to the
    admin frame's most visible ones, mss_portal/formats/ht/admin_names.py, which are then ours).
    Read from their French catalogs (every msgid is there), less those that are ours too."""
    import django

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(a.path) / "locale" for a in apps.get_app_configs() if a.label not in OUR_APPS]
    theirs = set()
    for directory in dirs:
        for domain in ("django", "djangojs"):
            mo = directory / "fr" / "LC_MESSAGES" / f"{domain}.mo"
            if mo.exists():
                with mo.open("rb") as handle:
                    for key in gettext.GNUTranslations(handle)._catalog:
                        msgid = key[0] if isinstance(key, tuple) else key
                        theirs.add(msgid.split("\x04")[-1])
    patterns = [_pattern(m) for m in sorted(theirs - ours, key=len, reverse=True) if m not in ours]
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns if p), re.IGNORECASE)


def _data_strings(pattern: re.Pattern) -> list[str]:
    """The records' own text that contains one of our English strings (a seed alias "Port-au-Prince
    airport"): data, which the page shows as it is."""
    found = set()
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            if not fields:
                continue
            for row in model._default_manager.values_list(*fields):
                found |= {value for value in row if value and pattern.search(value)}
    return sorted(found, key=len, reverse=True)


@pytest.mark.parametrize("language", ["fr", "ht"])
def test_no_english_string_of_ours_on_any_admin_page(client, one_of_each, language):
    catalog = _po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    ours = set(catalog) | _our_model_strings()
    # Words the translations use themselves are words of the language too (French "personnel").
    translations = " ".join(catalog.values())
    checked = {}
    for english in ours:
        translated = catalog.get(english, "")
        if translated.casefold() == english.casefold():
            continue  # the same word in both languages ("contingent", "URL")
        if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", translations, re.IGNORECASE):
            continue
        pattern = _pattern(english)
        if pattern is not None:
            checked[english] = pattern
    assert len(checked) > 400  # the catalog was read
    anything = re.compile("|".join(f"(?:{p.pattern})" for p in checked.values()), re.IGNORECASE)
    data = _data_strings(anything)
    theirs = _others_strings(ours)

    client.force_login(one_of_each)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = _admin_pages()
    assert len(pages) > 60
    found = []
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:
            continue  # no add form for this model (records come from ingestion or the API)
        assert response.status_code == 200, (url, response.status_code)
        assert response.headers["Content-Language"] == language
        text = visible_text(response.content.decode())
        for value in data:
            text = text.replace(value, " ")
        text = theirs.sub(" ", text)
        if not anything.search(text):
            continue
        for english, pattern in checked.items():
            match = pattern.search(text)
            if match:
                start = max(0, match.start() - 40)
                found.append(f"{url}: {english!r} in …{text[start : match.end() + 40]!r}…")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("language", "day", "number"),
    [
        ("en", "Dec. 7, 2026", "21,425"),
        ("fr", "7 décembre 2026", "21\xa0425"),
        ("ht", "7 desanm 2026", "21\xa0425"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, day, number):
    from django.utils.formats import date_format, number_format

    with translation.override(language):
        assert date_format(date(2026, 12, 7)) == day
        assert number_format(21425) == number


def test_kreyol_months_and_days_are_kreyol():
    from django.utils.formats import date_format

    with translation.override("ht"):
        assert date_format(date(2026, 7, 4), "l j F Y") == "samdi 4 jiyè 2026"
        assert date_format(date(2026, 2, 1), "D j M") == "dim 1 Fev"


def test_contingents_are_named_in_the_page_language():
    jamaica = Contingent.objects.get(country_code="JM")  # named by the migrations
    for language, name in [("en", "Jamaica"), ("fr", "Jamaïque"), ("ht", "Jamayik")]:
        with translation.override(language):
            assert str(jamaica) == name


def test_admin_times_are_haiti_times_without_seconds(client, admin_user):
    token, _secret = api_token_issue(user=admin_user, name="sistèm")
    from datetime import UTC, datetime

    use = ApiTokenUse.objects.create(
        token=token,
        user=admin_user,
        method="GET",
        path="/",
        at=datetime(2026, 12, 7, 14, 5, 9, 123456, tzinfo=UTC),
    )
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = visible_text(
        client.get(reverse("admin:accounts_apitokenuse_change", args=[use.pk])).content.decode()
    )
    assert "7 décembre 2026 09:05" in text  # UTC-5 in December
    assert "09:05:09" not in text and "123456" not in text and "14:05" not in text


def test_the_admin_frame_speaks_kreyol_too(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ht"
    index = visible_text(client.get(reverse("admin:index")).content.decode())
    assert "Dekonekte" in index and "Log out" not in index
    add = visible_text(client.get(reverse("admin:operations_operationreport_add")).content.decode())
    assert "Anrejistre epi ajoute yon lòt" in add and "Save and add another" not in add
    listing = visible_text(client.get(reverse("admin:operations_contingent_changelist")).content.decode())
    assert "Chwazi kontenjan pou chanje" in listing and "Select" not in listing
