"""Every reader agrees with the one rule of who may see what.

One set of records covers every releasability level, report status, review state and source trust.
For each role, every reader is asked what it shows (the API list in JSON, the CSV export and
GeoJSON, the per-hotspot activity counts of /api/v1/hotspots/, the map's data counts for members,
the webhooks' fan-out and their view of what partners see, the tombstones of /api/v1/deleted/),
and each answer must be `Model.objects.visible_to(user)`, record for record. That rule is itself
held to a table written out by hand below (what a partner and the public may read), so a rule that
forgot the source-trust check would fail here even though every reader agreed with it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import StreamingHttpResponse

from accounts.releasability import Releasability
from hotspots.api import activity as hotspot_activity
from hotspots.models import Hotspot
from ingestion.models import PlaceCandidate, Post, Update
from operations.models import Contingent, OperationReport, TrainingRecord
from tests.factories import (
    ContingentFactory,
    OperationReportFactory,
    PostFactory,
    SourceFactory,
    TrainingRecordFactory,
    UpdateFactory,
)
from webhooks import services as webhooks
from webhooks.models import Tombstone, WebhookDelivery
from webhooks.resources import RESOURCES

pytestmark = pytest.mark.django_db

SIGNED_IN_ROLES = ["analyst", "reporter", "approver", "partner", "admin"]
MEMBER_ROLES = {"analyst", "reporter", "approver", "admin"}
LEVELS = ("public", "partners", "mission")
STATUSES = ("draft", "submitted", "approved")
TRAINING_STATUSES = ("planned", "completed")
TRUST = ("official", "third_party")
REVIEW_STATES = ("auto", "confirmed", "corrected", "rejected")
SITES = ("solino", "tlia", "carrefour-laeroport")

# What partners and the public may read, written out by hand from DESIGN.md ("Access"): an approved
# report at or below the level; a training record at or below it; an update no reviewer rejected, from
# an official channel or confirmed or corrected by a reviewer (the same at both levels).
RELEASED_UPDATES = {
    "official_auto",
    "official_confirmed",
    "official_corrected",
    "third_party_confirmed",
    "third_party_corrected",
}
RELEASED = {
    "partners": {
        "reports": {"approved_public", "approved_partners"},
        "training": {"planned_public", "planned_partners", "completed_public", "completed_partners"},
        "updates": RELEASED_UPDATES,
    },
    "public": {
        "reports": {"approved_public"},
        "training": {"planned_public", "completed_public"},
        "updates": RELEASED_UPDATES,
    },
}


@dataclass
class World:
    """The records by name; `hotspots` are the sites they are at (every hotspot is public)."""

    reports: dict[str, OperationReport]
    training: dict[str, TrainingRecord]
    updates: dict[str, Update]
    hotspots: dict[str, Hotspot]
    candidate: PlaceCandidate


@pytest.fixture
def world(make_user) -> World:
    author, approver = make_user("reporter"), make_user("approver")
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    ContingentFactory(country_code="JM", name="Jamaica")
    sites = {slug: Hotspot.objects.get(slug=slug) for slug in SITES}
    # An inactive hotspot stays public: released reports name it, and partners see `is_active`.
    sites["carrefour-laeroport"].is_active = False
    sites["carrefour-laeroport"].save()
    # Every record at a site, the kinds at different mixes of them: a reader that shows or counts one
    # record too many or too few gets a different number at some site.
    placements = [
        [sites["solino"]],
        [sites["solino"], sites["tlia"]],
        [sites["tlia"]],
        [sites["carrefour-laeroport"], sites["solino"]],
    ]

    reports = {}
    for i, (status, level) in enumerate((s, lv) for s in STATUSES for lv in LEVELS):
        name = f"{status}_{level}"
        report = OperationReportFactory(
            title=f"Report {name}",
            status=status,
            releasability=level,
            author=author,
            approved_by=approver if status == "approved" else None,
        )
        report.hotspots.set(placements[i % len(placements)])
        report.contingents.set([kenya])
        reports[name] = report

    training = {}
    for i, (status, level) in enumerate((s, lv) for s in TRAINING_STATUSES for lv in LEVELS):
        name = f"{status}_{level}"
        training[name] = TrainingRecordFactory(
            course=f"Course {name}",
            status=status,
            releasability=level,
            author=author,
            hotspot=[sites["solino"], sites["tlia"]][i % 2],
        )

    sources = {
        "official": SourceFactory(name="Mission official", is_official=True),
        "third_party": SourceFactory(name="Press", is_official=False),
    }
    updates = {}
    for i, (trust, state) in enumerate((t, s) for t in TRUST for s in REVIEW_STATES):
        name = f"{trust}_{state}"
        mentioned = placements[i % len(placements)]
        if name == "third_party_confirmed":
            mentioned = [sites["solino"], sites["solino"]]  # one update naming a site twice counts once
        updates[name] = UpdateFactory(
            post=PostFactory(source=sources[trust], text=f"Post {name}"),
            review_state=state,
            hotspots=mentioned,
        )
    candidate = PlaceCandidate.objects.create(
        name="Fort National", normalised="fort national", origin="place"
    )
    return World(reports, training, updates, sites, candidate)


# -- what the rule says ---------------------------------------------------------------------------


def _names(records: dict, queryset) -> set[str]:
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, record in records.items() if record.pk in pks}


def _expected(user) -> dict[str, set]:
    """Each collection's ids (as the API names them) that `Model.objects.visible_to(user)` gives."""
    return {
        "hotspots": set(Hotspot.objects.visible_to(user).values_list("slug", flat=True)),
        "reports": set(OperationReport.objects.visible_to(user).values_list("pk", flat=True)),
        "training-records": set(TrainingRecord.objects.visible_to(user).values_list("pk", flat=True)),
        "updates": set(Update.objects.visible_to(user).values_list("pk", flat=True)),
        "contingents": set(Contingent.objects.visible_to(user).values_list("country_code", flat=True)),
        "posts": set(Post.objects.visible_to(user).values_list("pk", flat=True)),
        "place-candidates": set(PlaceCandidate.objects.visible_to(user).values_list("pk", flat=True)),
    }


def _expected_activity(user) -> dict[str, dict[str, int]]:
    """Per hotspot slug, how many visible reports, training records and updates are at it."""
    reports = Counter(
        OperationReport.objects.visible_to(user)
        .filter(hotspots__isnull=False)
        .values_list("hotspots__slug", flat=True)
    )
    training = Counter(
        TrainingRecord.objects.visible_to(user)
        .filter(hotspot__isnull=False)
        .values_list("hotspot__slug", flat=True)
    )
    updates = Counter(
        slug
        for _, slug in set(
            Update.objects.visible_to(user)
            .filter(mentions__isnull=False)
            .values_list("pk", "mentions__hotspot__slug")
        )
    )
    return {
        slug: {
            "reports": reports[slug],
            "training_records": training[slug],
            "updates": updates[slug],
        }
        for slug in Hotspot.objects.visible_to(user).values_list("slug", flat=True)
    }


def _rule_disagreements(world: World, partner) -> list[str]:
    """Where visible_to and released_to differ from the table written out by hand (RELEASED)."""
    wrong = []
    for level, user in (("partners", partner), ("public", AnonymousUser())):
        wanted = RELEASED[level]
        for collection, records, model in (
            ("reports", world.reports, OperationReport),
            ("training", world.training, TrainingRecord),
            ("updates", world.updates, Update),
        ):
            for how, queryset in (
                ("visible_to", model.objects.visible_to(user)),
                ("released_to", model.objects.released_to(level)),
            ):
                got = _names(records, queryset)
                if got != wanted[collection]:
                    wrong.append(f"{collection} {how} {level}: {sorted(got)} != {sorted(wanted[collection])}")
    return wrong


def test_the_rule_releases_what_design_says(world, make_user):
    assert _rule_disagreements(world, make_user("partner")) == []
    for user in (make_user("partner"), AnonymousUser()):
        # Hotspots (inactive ones too) and contingents are public; posts and candidates stay inside.
        assert Hotspot.objects.visible_to(user).count() == Hotspot.objects.count()
        assert Contingent.objects.visible_to(user).count() == Contingent.objects.count()
        assert not Post.objects.visible_to(user).exists()
        assert not PlaceCandidate.objects.visible_to(user).exists()
    # Mission level: every approved report, every training record.
    assert _names(world.reports, OperationReport.objects.released_to("mission")) == {
        f"approved_{level}" for level in LEVELS
    }
    assert _names(world.training, TrainingRecord.objects.released_to("mission")) == set(world.training)


@pytest.mark.parametrize("role", ["analyst", "reporter", "approver", "admin"])
def test_members_see_every_record(role, world, make_user):
    user = make_user(role)
    assert _names(world.reports, OperationReport.objects.visible_to(user)) == set(world.reports)
    assert _names(world.training, TrainingRecord.objects.visible_to(user)) == set(world.training)
    assert _names(world.updates, Update.objects.visible_to(user)) == set(world.updates)
    assert Post.objects.visible_to(user).count() == Post.objects.count() == len(world.updates)


def test_a_user_without_a_role_sees_nothing(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="pw-123456789")
    for model in (Hotspot, OperationReport, TrainingRecord, Update, Contingent, Post, PlaceCandidate):
        assert not model.objects.visible_to(nobody).exists(), model


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError):
        OperationReport.objects.released_to("everyone")
    with pytest.raises(ValueError):
        Update.objects.released_to("everyone")


# -- what the readers show ------------------------------------------------------------------------


def _body(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _csv_column(response, column: str) -> list[str]:
    return [row[column] for row in csv.DictReader(io.StringIO(_body(response)))]


ID_COLUMN = {"hotspots": "slug", "contingents": "country_code"}
GEO = {"hotspots", "reports", "training-records", "updates"}
UNPAGED = {"hotspots", "contingents"}


def _as_ids(collection: str, values) -> set:
    return {value if collection in ID_COLUMN else int(value) for value in values}


def _api_readers(client, collection: str) -> dict[str, set] | None:
    """What the API lists of a collection, in JSON, CSV and GeoJSON; None when the reader is refused."""
    url = f"/api/v1/{collection}/"
    listed = client.get(url, {"page_size": 500} if collection not in UNPAGED else {})
    if listed.status_code in (401, 403):
        return None
    assert listed.status_code == 200, listed.content[:300]
    document = listed.json()
    if collection == "hotspots":
        json_ids = {f["id"] for f in document["features"]}
    elif collection in UNPAGED:
        json_ids = {row[ID_COLUMN[collection]] for row in document}
    else:
        assert document["next"] is None
        json_ids = {row["id"] for row in document["results"]}
    found = {"JSON": json_ids}
    exported = client.get(url, {"format": "csv"})
    assert exported.status_code == 200
    found["CSV"] = _as_ids(collection, _csv_column(exported, ID_COLUMN.get(collection, "id")))
    if collection in GEO:
        geo = client.get(
            url, {"format": "geojson", **({"page_size": 500} if collection not in UNPAGED else {})}
        )
        assert geo.status_code == 200
        found["GeoJSON"] = {feature["id"] for feature in geo.json()["features"]}
    return found


def _hotspot_activity_readers(client) -> dict[str, dict[str, dict[str, int]]]:
    """The per-hotspot counts /api/v1/hotspots/ gives, in JSON and in its CSV export."""
    features = client.get("/api/v1/hotspots/").json()["features"]
    as_json = {f["id"]: {k: f["properties"]["activity"][k] for k in ACTIVITY} for f in features}
    rows = csv.DictReader(io.StringIO(_body(client.get("/api/v1/hotspots/", {"format": "csv"}))))
    as_csv = {row["slug"]: {k: int(row[k]) for k in ACTIVITY} for row in rows}
    return {"JSON": as_json, "CSV": as_csv}


ACTIVITY = ("reports", "training_records", "updates")
# The map's periods: none (the FilterSets' path), and a start alone (the members' index path).
MAP_QUERIES = {"no filter": {}, "a start alone": {"published_after": "2000-01-01T00:00:00Z"}}


def _map_counts(client, query: dict) -> dict | None:
    response = client.get("/map/data/activity/", query)
    if response.status_code == 403:
        return None
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    rows = {row[0]: dict(zip(data["columns"], row, strict=True)) for row in data["hotspots"]}
    return {
        "hotspots": {slug: {"reports": r["reports"], "updates": r["updates"]} for slug, r in rows.items()},
        "totals": {"reports": data["totals"]["reports"], "updates": data["totals"]["updates"]},
    }


def _webhook_readers(user) -> dict[str, set]:
    """What the webhooks would push to a subscription of ``user``'s: each pushed collection's records
    the fan-out delivers, and those the serializing read finds."""
    subscription = webhooks.subscription_create(owner=user, url="https://partner.example.org/hook")[0]
    found: dict[str, set] = {}
    for name in ("hotspots", "reports", "training-records", "updates"):
        spec = RESOURCES[name]
        records = list(spec.model.objects.all())
        found[f"{name} serialized"] = {
            spec.object_id(r) for r in records if webhooks.record_as_read_by(spec, r.pk, user) is not None
        }
        for record in records:
            webhooks.fan_out(resource=name, pk=record.pk)
        found[f"{name} fan-out"] = set(
            WebhookDelivery.objects.filter(subscription=subscription, resource=name).values_list(
                "object_id", flat=True
            )
        )
    subscription.delete()
    return found


def disagreements(role: str, user, client, world: World) -> list[str]:
    """Every reader's answer that is not `Model.objects.visible_to(user)`, as readable lines."""
    wrong: list[str] = []

    def compare(reader: str, got, wanted) -> None:
        if got != wanted:
            if isinstance(got, set) and isinstance(wanted, set):
                extra, missing = sorted(map(str, got - wanted)), sorted(map(str, wanted - got))
                wrong.append(f"{reader}: extra {extra}, missing {missing}")
            else:
                wrong.append(f"{reader}: {got!r} != {wanted!r}")

    expected = _expected(user)
    for collection, wanted in expected.items():
        answers = _api_readers(client, collection)
        if answers is None:
            # Refused at the door (RolePermission): only where the rule shows nothing either.
            compare(f"API {collection} (refused)", set(), wanted)
            continue
        for reader, got in answers.items():
            compare(f"API {collection} {reader}", got, wanted)

    activity = _expected_activity(user)
    for reader, got in _hotspot_activity_readers(client).items():
        for slug in sorted(activity):
            compare(f"API hotspots {reader} activity at {slug}", got.get(slug), activity[slug])

    for period, query in MAP_QUERIES.items():
        counts = _map_counts(client, query)
        if counts is None:
            if role in MEMBER_ROLES:
                wrong.append(f"map data ({period}): refused to a member")
            continue
        wanted_rows = {slug: {k: a[k] for k in ("reports", "updates")} for slug, a in activity.items()}
        for slug in sorted(wanted_rows):
            compare(f"map data ({period}) at {slug}", counts["hotspots"].get(slug), wanted_rows[slug])
        compare(
            f"map data ({period}) totals",
            counts["totals"],
            {"reports": len(expected["reports"]), "updates": len(expected["updates"])},
        )

    webhook_ids = {
        "hotspots": expected["hotspots"],
        "reports": {str(pk) for pk in expected["reports"]},
        "training-records": {str(pk) for pk in expected["training-records"]},
        "updates": {str(pk) for pk in expected["updates"]},
    }
    for reader, got in _webhook_readers(user).items():
        compare(f"webhooks {reader}", got, webhook_ids[reader.split()[0]])
    if role == "partner":
        # What the webhooks and tombstones take partners to see: `released`.
        for name, spec in RESOURCES.items():
            if name not in expected:
                continue
            records = spec.model.objects.all()
            got = {spec.object_id(r) for r in records if spec.released(r.pk)}
            compare(f"webhooks {name} released", got, {str(i) for i in expected[name]})
    return wrong


def _deleted_disagreements(user, client, world: World) -> list[str]:
    """Delete every record: /api/v1/deleted/ and the deletion fan-out must name those ``user`` saw."""
    saw = _expected(user)
    wanted = {
        (collection, str(pk))
        for collection in ("reports", "training-records", "updates")
        for pk in saw[collection]
    }
    subscription = webhooks.subscription_create(owner=user, url="https://partner.example.org/gone")[0]
    for record in [*world.reports.values(), *world.training.values(), *world.updates.values()]:
        record.delete()
    wrong = []
    listed = client.get("/api/v1/deleted/", {"page_size": 500}).json()["results"]
    got = {(t["resource"], t["object_id"]) for t in listed}
    if got != wanted:
        wrong.append(f"API deleted: extra {sorted(got - wanted)}, missing {sorted(wanted - got)}")
    for tombstone in Tombstone.objects.all():
        webhooks.fan_out_deleted(
            resource=tombstone.resource, object_id=tombstone.object_id, partners=tombstone.partners
        )
    told = set(
        WebhookDelivery.objects.filter(subscription=subscription, event="deleted").values_list(
            "resource", "object_id"
        )
    )
    if told != wanted:
        wrong.append(f"webhooks deleted: extra {sorted(told - wanted)}, missing {sorted(wanted - told)}")
    return wrong


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_every_reader_shows_what_the_rule_says(role, world, client_for):
    client = client_for(role)
    user = client.user
    assert disagreements(role, user, client, world) == []
    assert _deleted_disagreements(user, client, world) == []


def test_anonymous_readers_are_asked_to_sign_in_first(world, client_for):
    """The rule would show the public what is public; no reader serves anyone not signed in yet."""
    client = client_for("anonymous")
    assert OperationReport.objects.visible_to(AnonymousUser()).exists()
    for collection in _expected(AnonymousUser()):
        assert client.get(f"/api/v1/{collection}/").status_code == 401
        assert client.get(f"/api/v1/{collection}/", {"format": "csv"}).status_code == 401
    assert client.get("/api/v1/deleted/").status_code == 401
    assert client.get("/map/data/activity/").status_code in (401, 403)


# -- the comparison can fail ----------------------------------------------------------------------


def test_a_reader_that_forgets_the_trust_rule_is_caught(world, client_for, monkeypatch):
    """The hotspots' update counts made from every update, as if nothing were withheld from partners."""
    from ingestion.models import Update

    def every_update(user):
        return Update.objects.all().counts_per_hotspot()

    counter = hotspot_activity._counters["updates"]
    monkeypatch.setitem(
        hotspot_activity._counters,
        "updates",
        hotspot_activity.ActivityCounter("updates", counter.help_text, every_update),
    )
    client = client_for("partner")
    found = disagreements("partner", client.user, client, world)
    assert any(line.startswith("API hotspots JSON activity at solino") for line in found), found
    assert any(line.startswith("API hotspots CSV activity at solino") for line in found), found


def test_a_rule_that_forgets_the_trust_rule_is_caught(world, make_user, monkeypatch):
    """Readers all agreeing with a wrong rule still fail: the rule is held to the table above."""
    from ingestion.querysets import UpdateQuerySet

    monkeypatch.setattr(
        UpdateQuerySet, "released_to", lambda self, level: self.exclude(review_state="rejected")
    )
    found = _rule_disagreements(world, make_user("partner"))
    assert any(line.startswith("updates visible_to partners") for line in found), found
    assert any(line.startswith("updates released_to public") for line in found), found


def test_the_levels_run_from_the_widest_audience():
    assert list(Releasability) == [Releasability.PUBLIC, Releasability.PARTNERS, Releasability.MISSION]
