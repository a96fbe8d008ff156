"""Rows loaded without `Model.__init__` (TimeStampedModel.from_db, core/models.py) are the instances
Django's own `Model.from_db` makes: the same values, state, deferred fields, saves and pickles; and when
something listens for `pre_init`/`post_init` or the model has its own `__init__`, Django's way runs."""

import pickle
from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, models
from django.db.models.signals import post_init, pre_init
from django.test.utils import CaptureQueriesContext

from core.models import TimeStampedModel
from hotspots.models import Hotspot, HotspotAlias
from ingestion.models import Post, Source, Update
from operations.models import Contingent, OperationReport, TrainingRecord
from tests.factories import (
    ContingentFactory,
    HotspotAliasFactory,
    HotspotFactory,
    OperationReportFactory,
    PostFactory,
    SourceFactory,
    TrainingRecordFactory,
    UpdateFactory,
    UserFactory,
    WebhookSubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def concrete_attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def django_from_db(model, pk, attnames=None):
    """The instance Django's own `Model.from_db` makes of the row (the values read as the ORM reads them)."""
    attnames = concrete_attnames(model) if attnames is None else attnames
    values = model._base_manager.filter(pk=pk).values_list(*attnames).get()
    return models.Model.from_db.__func__(model, "default", attnames, values)


def assert_same_as_django(loaded, reference):
    model = type(reference)
    assert type(loaded) is model
    loaded_fields = {name for name in loaded.__dict__ if name in concrete_attnames(model)}
    reference_fields = {name for name in reference.__dict__ if name in concrete_attnames(model)}
    assert loaded_fields == reference_fields
    for name in reference_fields:
        mine, theirs = loaded.__dict__[name], reference.__dict__[name]
        assert type(mine) is type(theirs), name
        assert mine == theirs, name
        if hasattr(theirs, "srid"):
            assert mine.srid == theirs.srid, name
    assert loaded.get_deferred_fields() == reference.get_deferred_fields()
    assert loaded._state.adding is reference._state.adding is False
    assert loaded._state.db == reference._state.db == "default"
    assert loaded.pk == reference.pk and loaded == reference


@pytest.fixture
def init_calls(monkeypatch):
    """The models `Model.__init__` ran for (the spy is Model.__init__ itself: the fast path still applies)."""
    calls = []
    original = models.Model.__init__

    def spy(self, *args, **kwargs):
        calls.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(models.Model, "__init__", spy)
    return calls


@pytest.fixture
def report():
    approver = UserFactory()
    report = OperationReportFactory(
        title="Opération à Solino",
        summary="Lapolis ak sòlda yo.",
        started_at=datetime(2025, 3, 1, 8, 0, 0, 5, tzinfo=UTC),
        ended_at=datetime(2025, 3, 1, 11, 0, tzinfo=UTC),
        location=Point(-72.30, 18.55, srid=4326),
        arrests=3,
        status="approved",
        approved_by=approver,
        approved_at=datetime(2025, 3, 2, 9, 0, tzinfo=UTC),
    )
    report.hotspots.set([Hotspot.objects.get(slug="solino")])
    return report


MAKERS = {
    "report": lambda: OperationReportFactory(location=Point(-72.30, 18.55, srid=4326), summary="x"),
    "report without location": lambda: OperationReportFactory(),
    "training record": lambda: TrainingRecordFactory(
        hotspot=Hotspot.objects.get(slug="tlia"), location=Point(-72.29, 18.58, srid=4326)
    ),
    "gazetteer hotspot": lambda: Hotspot.objects.get(slug="solino"),
    "new hotspot": lambda: HotspotFactory(description="Kreyòl: katye a"),
    "hotspot alias": lambda: HotspotAliasFactory(normalised="alias"),
    "contingent": lambda: ContingentFactory(country_code="XQ", name="Test contingent"),
    "source": lambda: SourceFactory(cursor={"since_id": "19", "etag": None}),
    "post": lambda: PostFactory(published_at=datetime(2025, 3, 1, 12, 0, 0, 1, tzinfo=UTC)),
    "update": lambda: UpdateFactory(figures={"personnel": 600, "killed": 0}),
    "webhook subscription": lambda: WebhookSubscriptionFactory(),
}


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_a_loaded_row_is_the_instance_django_would_make(make, init_calls):
    made = make()
    model = type(made)
    assert issubclass(model, TimeStampedModel)
    init_calls.clear()
    loaded = model.objects.get(pk=made.pk)
    assert model not in init_calls  # the fast path was taken
    assert_same_as_django(loaded, django_from_db(model, made.pk))
    assert loaded.created_at.tzinfo is not None and loaded.updated_at >= loaded.created_at


def test_every_row_of_a_queryset_is_loaded_as_django_loads_it(init_calls):
    made = [OperationReportFactory(title=f"Report {n}", arrests=n) for n in range(5)]
    init_calls.clear()
    loaded = list(OperationReport.objects.filter(pk__in=[r.pk for r in made]).order_by("pk"))
    assert OperationReport not in init_calls
    assert [r.title for r in loaded] == [f"Report {n}" for n in range(5)]
    for instance in loaded:
        assert_same_as_django(instance, django_from_db(OperationReport, instance.pk))


def test_a_loaded_instance_is_in_the_database_and_not_being_added(report):
    loaded = OperationReport.objects.get(pk=report.pk)
    assert loaded._state.adding is False
    assert loaded._state.db == "default"
    assert loaded._state.fields_cache == {}
    assert loaded.location == Point(-72.30, 18.55, srid=4326) and loaded.location.srid == 4326
    assert loaded.started_at == datetime(2025, 3, 1, 8, 0, 0, 5, tzinfo=UTC)


def test_uniqueness_checks_know_a_loaded_instance_is_itself():
    """validate_unique leaves the instance's own row out only when `_state.adding` is False."""
    contingent = Contingent.objects.get(pk=ContingentFactory(country_code="XR", name="Unique test").pk)
    contingent.full_clean()
    hotspot = Hotspot.objects.get(slug="solino")
    hotspot.validate_unique()


def test_a_deferred_field_stays_deferred_and_loads_on_access(report, django_assert_num_queries):
    loaded = OperationReport.objects.defer("summary").get(pk=report.pk)
    assert loaded.get_deferred_fields() == {"summary"}
    assert "summary" not in loaded.__dict__
    assert_same_as_django(
        loaded,
        django_from_db(
            OperationReport, report.pk, [a for a in concrete_attnames(OperationReport) if a != "summary"]
        ),
    )
    with django_assert_num_queries(1):
        assert loaded.summary == "Lapolis ak sòlda yo."
    assert loaded.get_deferred_fields() == set()
    with django_assert_num_queries(0):
        assert loaded.summary == "Lapolis ak sòlda yo."


def test_only_some_fields_loads_the_others_on_access(report, django_assert_num_queries):
    loaded = OperationReport.objects.only("title", "status").get(pk=report.pk)
    expected_deferred = {f.attname for f in OperationReport._meta.concrete_fields} - {"id", "title", "status"}
    assert loaded.get_deferred_fields() == expected_deferred
    assert_same_as_django(loaded, django_from_db(OperationReport, report.pk, ["id", "title", "status"]))
    with django_assert_num_queries(1):
        assert loaded.location == Point(-72.30, 18.55, srid=4326)
    with django_assert_num_queries(1):
        assert loaded.arrests == 3
    assert loaded.get_deferred_fields() == expected_deferred - {"location", "arrests"}


def test_the_api_read_defer_of_location_reads_it_on_access(report, django_assert_num_queries):
    loaded = (
        OperationReport.objects.defer("location")
        .annotate(n_hotspots=models.Count("hotspots"))
        .get(pk=report.pk)
    )
    assert loaded.n_hotspots == 1
    assert loaded.get_deferred_fields() == {"location"}
    with django_assert_num_queries(1):
        assert loaded.location.coords == (-72.30, 18.55)


def test_select_related_instances_are_loaded_as_django_loads_them(init_calls, django_assert_num_queries):
    tlia = Hotspot.objects.get(slug="tlia")
    placed = TrainingRecordFactory(hotspot=tlia)
    unplaced = TrainingRecordFactory(hotspot=None)
    init_calls.clear()
    records = {
        r.pk: r
        for r in TrainingRecord.objects.select_related("hotspot").filter(pk__in=[placed.pk, unplaced.pk])
    }
    assert TrainingRecord not in init_calls and Hotspot not in init_calls
    with django_assert_num_queries(0):
        hotspot = records[placed.pk].hotspot
        assert records[unplaced.pk].hotspot is None
    assert_same_as_django(hotspot, django_from_db(Hotspot, tlia.pk))
    assert_same_as_django(records[placed.pk], django_from_db(TrainingRecord, placed.pk))
    assert records[placed.pk].hotspot_id == tlia.pk


def test_select_related_with_deferred_related_fields(django_assert_num_queries):
    """As the place candidates' API reads them: the related hotspot without its area (columns reordered)."""
    tlia = Hotspot.objects.get(slug="tlia")
    record = TrainingRecordFactory(hotspot=tlia)
    loaded = (
        TrainingRecord.objects.select_related("hotspot").defer("hotspot__area", "notes").get(pk=record.pk)
    )
    with django_assert_num_queries(0):
        hotspot = loaded.hotspot
        assert hotspot.name == tlia.name and hotspot.location == tlia.location
    assert hotspot.get_deferred_fields() == {"area"}
    assert loaded.get_deferred_fields() == {"notes"}
    expected = django_from_db(Hotspot, tlia.pk, [a for a in concrete_attnames(Hotspot) if a != "area"])
    assert_same_as_django(hotspot, expected)
    area = Hotspot.objects.get(pk=tlia.pk).area
    with django_assert_num_queries(1):
        assert hotspot.area == area


def test_select_related_across_a_reverse_one_to_one(django_assert_num_queries):
    """As the posts' API reads them: each post with its source and its update."""
    update = UpdateFactory(figures={"trained": 40})
    lone = PostFactory()
    posts = {
        p.pk: p
        for p in Post.objects.select_related("source", "update").filter(pk__in=[update.post_id, lone.pk])
    }
    with django_assert_num_queries(0):
        assert posts[update.post_id].update.figures == {"trained": 40}
        assert posts[update.post_id].source.name == update.post.source.name
        assert not hasattr(posts[lone.pk], "update")
    assert_same_as_django(posts[update.post_id].update, django_from_db(Update, update.pk))
    assert_same_as_django(posts[update.post_id].source, django_from_db(Source, update.post.source_id))


def test_prefetched_rows_are_loaded_too(django_assert_num_queries):
    hotspot = HotspotFactory()
    HotspotAliasFactory(hotspot=hotspot, text="Kafou", normalised="kafou")
    HotspotAliasFactory(hotspot=hotspot, text="Carrefour", normalised="carrefour")
    loaded = Hotspot.objects.prefetch_related("aliases").get(pk=hotspot.pk)
    with django_assert_num_queries(0):
        aliases = sorted(loaded.aliases.all(), key=lambda a: a.text)
    assert [a.text for a in aliases] == ["Carrefour", "Kafou"]
    for alias in aliases:
        assert_same_as_django(alias, django_from_db(HotspotAlias, alias.pk))


def test_saving_a_loaded_instance_updates_its_row(report):
    count = OperationReport.objects.count()
    loaded = OperationReport.objects.get(pk=report.pk)
    before = loaded.updated_at
    loaded.title = "Corrected title"
    with CaptureQueriesContext(connection) as queries:
        loaded.save()
    statements = [q["sql"] for q in queries]
    assert any(sql.startswith('UPDATE "operations_operationreport" ') for sql in statements)
    assert not any(sql.startswith('INSERT INTO "operations_operationreport" ') for sql in statements)
    assert OperationReport.objects.count() == count
    stored = OperationReport.objects.get(pk=report.pk)
    assert stored.title == "Corrected title" and stored.summary == "Lapolis ak sòlda yo."
    assert stored.created_at == report.created_at and stored.updated_at > before
    assert loaded.pk == report.pk and loaded._state.adding is False


def test_saving_a_partly_loaded_instance_writes_only_the_loaded_fields(report):
    loaded = OperationReport.objects.defer("summary").get(pk=report.pk)
    OperationReport.objects.filter(pk=report.pk).update(summary="Changed meanwhile")
    loaded.title = "Changed here"
    loaded.save()
    stored = OperationReport.objects.get(pk=report.pk)
    assert stored.title == "Changed here"
    assert stored.summary == "Changed meanwhile"


def test_refresh_and_delete_of_a_loaded_instance(report):
    loaded = OperationReport.objects.get(pk=report.pk)
    OperationReport.objects.filter(pk=report.pk).update(arrests=9)
    loaded.refresh_from_db()
    assert loaded.arrests == 9 and loaded._state.adding is False
    training = TrainingRecord.objects.get(pk=TrainingRecordFactory().pk)
    training.delete()
    assert not TrainingRecord.objects.filter(pk=training.pk).exists()


def test_a_loaded_instance_survives_a_pickle_round_trip(report, django_assert_num_queries):
    loaded = OperationReport.objects.select_related("author").defer("summary").get(pk=report.pk)
    copy = pickle.loads(pickle.dumps(loaded))  # noqa: S301 - our own bytes
    assert type(copy) is OperationReport
    assert_same_as_django(
        copy,
        django_from_db(
            OperationReport, report.pk, [a for a in concrete_attnames(OperationReport) if a != "summary"]
        ),
    )
    assert copy._state is not loaded._state
    with django_assert_num_queries(0):
        assert copy.author.username == report.author.username
    with django_assert_num_queries(1):
        assert copy.summary == "Lapolis ak sòlda yo."
    copy.title = "Saved after unpickling"
    copy.save()
    assert OperationReport.objects.get(pk=report.pk).title == "Saved after unpickling"


def test_a_loaded_hotspot_with_geometry_pickles():
    loaded = Hotspot.objects.get(slug="solino")
    copy = pickle.loads(pickle.dumps(loaded))  # noqa: S301 - our own bytes
    assert_same_as_django(copy, django_from_db(Hotspot, loaded.pk))


def test_a_post_init_receiver_runs_for_loaded_instances(init_calls):
    made = [OperationReportFactory(title=f"Signal {n}") for n in range(3)]
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append((sender, instance.pk, instance.title))

    post_init.connect(receiver, sender=OperationReport, weak=False)
    try:
        init_calls.clear()
        loaded = list(OperationReport.objects.filter(pk__in=[r.pk for r in made]).order_by("pk"))
        assert init_calls.count(OperationReport) == 3  # Django's way
        assert seen == [(OperationReport, r.pk, r.title) for r in made]
        for instance in loaded:
            assert_same_as_django(instance, django_from_db(OperationReport, instance.pk))
        # Another model, with nothing listening, still takes the fast path.
        other = TrainingRecordFactory()
        init_calls.clear()
        TrainingRecord.objects.get(pk=other.pk)
        assert TrainingRecord not in init_calls
    finally:
        assert post_init.disconnect(receiver, sender=OperationReport)
    seen.clear()
    init_calls.clear()
    assert len(list(OperationReport.objects.filter(pk__in=[r.pk for r in made]))) == 3
    assert seen == [] and OperationReport not in init_calls  # the fast path again


def test_a_post_init_receiver_runs_for_select_related_instances():
    tlia = Hotspot.objects.get(slug="tlia")
    record = TrainingRecordFactory(hotspot=tlia)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.slug)

    post_init.connect(receiver, sender=Hotspot, weak=False)
    try:
        loaded = TrainingRecord.objects.select_related("hotspot").get(pk=record.pk)
    finally:
        post_init.disconnect(receiver, sender=Hotspot)
    assert seen == ["tlia"] and loaded.hotspot.slug == "tlia"


def test_a_pre_init_receiver_runs_for_loaded_instances(report, init_calls):
    seen = []

    def receiver(sender, args, kwargs, **extra):
        seen.append((sender, len(args)))

    pre_init.connect(receiver, sender=OperationReport, weak=False)
    try:
        init_calls.clear()
        loaded = OperationReport.objects.get(pk=report.pk)
    finally:
        pre_init.disconnect(receiver, sender=OperationReport)
    assert seen == [(OperationReport, len(OperationReport._meta.concrete_fields))]
    assert init_calls == [OperationReport]
    assert_same_as_django(loaded, django_from_db(OperationReport, report.pk))


def test_a_model_with_its_own_init_is_loaded_through_it(report, monkeypatch):
    calls = []

    def __init__(self, *args, **kwargs):
        calls.append(len(args))
        models.Model.__init__(self, *args, **kwargs)
        self.made_by_own_init = True

    monkeypatch.setattr(OperationReport, "__init__", __init__)
    loaded = OperationReport.objects.get(pk=report.pk)
    assert calls == [len(OperationReport._meta.concrete_fields)]
    assert loaded.made_by_own_init is True
    assert_same_as_django(loaded, django_from_db(OperationReport, report.pk))


def test_a_receiver_for_another_model_does_not_stop_the_fast_path(report, init_calls):
    def receiver(sender, instance, **kwargs):
        pass

    post_init.connect(receiver, sender=Contingent, weak=False)
    try:
        init_calls.clear()
        OperationReport.objects.get(pk=report.pk)
    finally:
        post_init.disconnect(receiver, sender=Contingent)
    assert OperationReport not in init_calls
