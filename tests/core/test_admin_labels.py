"""The admin's inputs carry their names in the page itself (the browser check is
tests/e2e/test_admin_accessibility.py): the date-and-time widget's two inputs have labels, and the
inputs of a tabular inline are named by their column."""

import re

import pytest
from django.urls import reverse

from hotspots.models import Hotspot

pytestmark = pytest.mark.django_db


def test_the_date_and_time_inputs_have_their_labels(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:operations_operationreport_add")).content.decode()
    assert re.search(r'<label for="id_started_at_0">Date:</label>\s*<input[^>]+id="id_started_at_0"', page)
    assert re.search(r'<label for="id_started_at_1">Time:</label>\s*<input[^>]+id="id_started_at_1"', page)


def test_the_date_and_time_labels_follow_the_language(client, admin_user, settings):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ht"
    page = client.get(reverse("admin:operations_operationreport_add")).content.decode()
    assert '<label for="id_started_at_0">Dat:</label>' in page
    assert '<label for="id_started_at_1">Lè:</label>' in page


def test_the_aliases_inline_names_each_input_by_its_column(client, admin_user, settings):
    hotspot = Hotspot.objects.get(slug="solino")
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("admin:hotspots_hotspot_change", args=[hotspot.pk])).content.decode()
    rows = hotspot.aliases.count() + 1  # the saved aliases and one empty row
    assert len(re.findall(r'<input[^>]+name="aliases-\d+-text"[^>]+aria-label="Texte"', page)) == rows
    assert len(re.findall(r'<select[^>]+name="aliases-\d+-language"[^>]+aria-label="Langue"', page)) == rows
    assert (
        len(re.findall(r'<input[^>]+name="aliases-\d+-DELETE"[^>]+aria-label="Supprimer"', page)) == rows - 1
    )
