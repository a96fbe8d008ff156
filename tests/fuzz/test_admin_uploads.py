"""Malformed admin input: posts pasted with huge or broken text, geometry fields with garbage.

Whatever staff paste, the admin answers with the form again (and says what is wrong) or saves a
clean record: never a server error, never a stored post with text the database cannot hold.
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotspots.models import Hotspot
from ingestion.models import Post, Source

pytestmark = pytest.mark.django_db

ADMIN_FUZZ = settings(
    max_examples=25,
    deadline=timedelta(seconds=5),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
# What a browser can send: any Unicode but lone surrogates, which UTF-8 form data cannot carry.
CHARS = st.characters(exclude_categories=["Cs"])
NASTY = st.sampled_from(["\x00", "\u202e", "<script>alert(1)</script>", "' OR 1=1 --", "\r\n", "𝕏"])
TEXTS = st.one_of(
    st.text(max_size=3000), st.lists(st.one_of(NASTY, st.text(max_size=20)), max_size=50).map("".join)
)
FILE_CRS = {"type": "name", "properties": {"name": "/etc/passwd"}}
MANY_POINTS = [{"type": "Point", "coordinates": [0, 0]}] * 2000
GEOMETRY_GARBAGE = st.one_of(
    st.text(CHARS, max_size=300),
    st.sampled_from(
        [
            "{", "[]", "null", '{"type": "Point"}', '{"type": "Point", "coordinates": "x"}',
            '{"type": "Point", "coordinates": [1e400, 1e400]}', '{"type": "Point", "coordinates": [NaN, 0]}',
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}', "POINT(", "SRID=abc;POINT(0 0)",
            "SRID=999999;POINT(-72.3 18.5)", "010100000000", "POINT(-72.3 18.5)\x00", "LINESTRING(0 0, 1 1)",
            json.dumps({"type": "Point", "coordinates": [-72.3, 18.5], "crs": FILE_CRS}),
            json.dumps({"type": "GeometryCollection", "geometries": MANY_POINTS}),
            "[" * 10000,
        ]
    ),
)  # fmt: skip


@pytest.fixture
def source():
    return Source.objects.create(name="pasted", kind="manual", is_official=True)


@ADMIN_FUZZ
@given(
    text=TEXTS, external_id=st.text(max_size=300), url=st.text(max_size=200), published=st.text(max_size=40)
)
def test_a_pasted_post_is_saved_clean_or_refused_never_a_crash(
    client, reporter, source, text, external_id, url, published
):
    client.force_login(reporter)
    before = Post.objects.count()
    response = client.post(
        reverse("admin:ingestion_post_add"),
        {"source": source.pk, "external_id": external_id, "text": text, "url": url, "language": "en",
         "published_at_0": published, "published_at_1": ""},
    )  # fmt: skip
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        post = Post.objects.latest("pk")
        assert Post.objects.count() == before + 1
        assert post.text == text.strip() and "\x00" not in post.text
    else:
        assert Post.objects.count() == before
        assert b"errornote" in response.content


def test_a_huge_pasted_post_is_refused_or_stored_whole(client, reporter, source, settings):
    client.force_login(reporter)
    text = "Patrols in Solino. " * 100_000  # about 1.9 MB
    response = client.post(
        reverse("admin:ingestion_post_add"), {"source": source.pk, "text": text, "language": "en"}
    )
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert Post.objects.latest("pk").text == text.strip()


@ADMIN_FUZZ
@given(value=GEOMETRY_GARBAGE)
def test_garbage_in_a_geometry_field_is_a_form_error(client, approver, value):
    client.force_login(approver)
    hotspot = Hotspot.objects.get(slug="solino")
    url = reverse("admin:hotspots_hotspot_change", args=[hotspot.pk])
    response = client.post(
        url,
        {"name": hotspot.name, "slug": hotspot.slug, "kind": hotspot.kind, "is_active": "on",
         "location": value, "confidence": "medium", "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code in (200, 302, 400), response.status_code
    hotspot.refresh_from_db()
    if hotspot.location is not None:
        assert hotspot.location.srid == 4326
        assert -75 < hotspot.location.x < -71 and 17 < hotspot.location.y < 21  # still inside Haiti
