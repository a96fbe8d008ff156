"""The hand-written JSON of the hot read paths says exactly what the declared serializer fields say.

Reports, training records and updates are written by hand on reads (speed); the declared fields
remain the contract (schema, writes). This holds the two equal, for members and partners.
"""

import pytest
from django.contrib.gis.geos import Point
from rest_framework import serializers

from hotspots.models import Hotspot
from ingestion.api.serializers import UpdateSerializer
from ingestion.api.views import UpdateViewSet
from operations.api.serializers import ReportSerializer, TrainingSerializer
from operations.api.views import ReportViewSet, TrainingViewSet
from tests.factories import (
    ContingentFactory,
    OperationReportFactory,
    PostFactory,
    TrainingRecordFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db


def _declared(serializer_class, instance, user):
    """What DRF's field-by-field path gives for this instance."""
    serializer = serializer_class(context={"user": user})
    return serializers.ModelSerializer.to_representation(serializer, instance)


@pytest.fixture
def records(make_user):
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    jamaica = ContingentFactory(country_code="JM", name="Jamaica")
    solino, tlia, unplaced = (Hotspot.objects.get(slug=s) for s in ("solino", "tlia", "carrefour-laeroport"))
    approver = make_user("approver")
    placed = OperationReportFactory(
        location=Point(-72.3, 18.55, srid=4326),
        status="approved",
        approved_by=approver,
        releasability="public",
        summary='Ünïcode — and "quotes"',
        ended_at=None,
    )
    placed.hotspots.set([tlia, solino])
    placed.contingents.set([kenya, jamaica])
    bare = OperationReportFactory(releasability="public", status="approved", approved_by=approver)
    bare.hotspots.set([unplaced])
    training = [
        TrainingRecordFactory(hotspot=tlia, location=None, releasability="public"),
        TrainingRecordFactory(hotspot=None, location=Point(-72.2, 18.6, srid=4326), releasability="public"),
    ]
    training[0].providing_contingents.set([jamaica, kenya])
    updates = [
        UpdateFactory(
            post=PostFactory(url="https://x.com/a/1", language="fr"), hotspots=[unplaced, solino, tlia]
        ),
        UpdateFactory(published_at=None, figures={"personnel": 600, "trained": 30}),
    ]
    updates[0].contingents.set([kenya])
    return {"reports": [placed, bare], "training": training, "updates": updates}


@pytest.mark.parametrize("role", ["analyst", "partner"])
@pytest.mark.parametrize(
    ("kind", "serializer_class", "viewset"),
    [
        ("reports", ReportSerializer, ReportViewSet),
        ("training", TrainingSerializer, TrainingViewSet),
        ("updates", UpdateSerializer, UpdateViewSet),
    ],
)
def test_the_fast_json_equals_the_declared_fields(role, kind, serializer_class, viewset, records, make_user):
    user = make_user(role)
    for record in records[kind]:
        # As the API reads it (annotations, deferred columns, related rows in the same query), without
        # the related rows, and as a plain instance.
        read = viewset.queryset.defer(*getattr(viewset, "read_defer", ()))
        related = getattr(serializer_class, "read_annotations", dict)()
        for instance in (
            read.annotate(**related).get(pk=record.pk),
            read.get(pk=record.pk),
            type(record).objects.get(pk=record.pk),
        ):
            fast = serializer_class(instance, context={"user": user}).data
            assert fast == _declared(serializer_class, type(record).objects.get(pk=record.pk), user)


def test_a_list_reads_related_rows_once_for_all_items(records, make_user, django_assert_max_num_queries):
    reports = list(ReportViewSet.queryset.filter(pk__in=[r.pk for r in records["reports"]]))
    analyst = make_user("analyst")
    analyst.has_perm("operations.view_operationreport")  # the role's permissions, read once
    with django_assert_max_num_queries(2):
        data = ReportSerializer(reports, many=True, context={"user": analyst}).data
    assert {r["id"] for r in data} == {r.pk for r in records["reports"]}
