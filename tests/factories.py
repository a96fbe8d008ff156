"""factory_boy factories for the portal's models."""

from datetime import UTC, date, datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from hotspots.models import Hotspot, HotspotAlias
from ingestion.models import Post, Source
from operations.models import Contingent, OperationReport, TrainingRecord


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-123456789")


class HotspotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hotspot
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"Site {n}")
    kind = "neighbourhood"
    # Inside Port-au-Prince.
    location = factory.LazyFunction(lambda: Point(-72.335, 18.54, srid=4326))
    confidence = "medium"
    commune = "Port-au-Prince"
    department = "Ouest"


class HotspotAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HotspotAlias

    hotspot = factory.SubFactory(HotspotFactory)
    text = factory.Sequence(lambda n: f"Alias {n}")
    language = "en"


class ContingentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contingent
        django_get_or_create = ["country_code"]

    country_code = "KE"
    name = "Kenya"


class OperationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperationReport

    reference = factory.Sequence(lambda n: f"OPS-2025-{n:04d}")
    title = factory.Sequence(lambda n: f"Patrol {n}")
    operation_kind = "patrol"
    started_at = factory.LazyFunction(lambda: datetime(2025, 3, 1, 8, 0, tzinfo=UTC))
    author = factory.SubFactory(UserFactory)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    course = factory.Sequence(lambda n: f"Course {n}")
    starts_on = date(2025, 3, 1)
    trainees_total = 40
    trainees_women = 10
    author = factory.SubFactory(UserFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"source {n}")
    kind = "file"
    is_official = True


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    source = factory.SubFactory(SourceFactory)
    external_id = factory.Sequence(lambda n: str(1900000000000000000 + n))
    text = "Patrols continued in Solino."
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    raw = factory.LazyAttribute(lambda p: {"id": p.external_id, "text": p.text})


# --- API and webhooks ----------------------------------------------------------------------------


class UpdateFactory(factory.django.DjangoModelFactory):
    """An update with its post; `hotspots=[...]` adds a mention of each, in order."""

    class Meta:
        model = "ingestion.Update"
        skip_postgeneration_save = True

    post = factory.SubFactory(PostFactory)
    kind = "security_operation"
    figures = factory.LazyFunction(dict)
    published_at = factory.LazyFunction(lambda: datetime(2025, 3, 1, 12, 0, tzinfo=UTC))

    @factory.post_generation
    def hotspots(self, create, extracted, **kwargs):
        from ingestion.models import Mention

        for position, hotspot in enumerate(extracted or []):
            Mention.objects.create(
                update=self,
                hotspot=hotspot,
                matched_text=hotspot.name,
                start=position * 10,
                end=position * 10 + 5,
            )


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "webhooks.WebhookSubscription"

    owner = factory.SubFactory(UserFactory)
    url = "http://127.0.0.1:9/hook"
    secret = factory.Sequence(lambda n: f"{n:064x}")
