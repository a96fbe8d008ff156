from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import OperationReportFactory, TrainingRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_report_ending_before_it_starts_is_refused():
    report = OperationReportFactory.build(
        author=UserFactory(),
        started_at=datetime(2025, 3, 2, tzinfo=UTC),
        ended_at=datetime(2025, 3, 1, tzinfo=UTC),
    )
    with pytest.raises(ValidationError) as info:
        report.full_clean()
    assert info.value.message_dict["ended_at"] == ["The end of an operation cannot be before its start."]


def test_the_database_also_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        OperationReportFactory(
            started_at=datetime(2025, 3, 2, tzinfo=UTC), ended_at=datetime(2025, 3, 1, tzinfo=UTC)
        )


def test_negative_figures_are_refused():
    report = OperationReportFactory.build(author=UserFactory(), arrests=-1)
    with pytest.raises(ValidationError) as info:
        report.full_clean()
    assert "arrests" in info.value.message_dict


def test_a_report_located_outside_haiti_is_refused():
    report = OperationReportFactory.build(author=UserFactory(), location=Point(-80.0, 25.0, srid=4326))
    with pytest.raises(ValidationError, match="outside Haiti"):
        report.full_clean()


def test_more_women_than_trainees_is_refused():
    record = TrainingRecordFactory.build(author=UserFactory(), trainees_total=10, trainees_women=11)
    with pytest.raises(ValidationError) as info:
        record.full_clean()
    assert info.value.message_dict["trainees_women"] == [
        "There cannot be more women (11) than trainees (10)."
    ]


def test_the_database_also_refuses_more_women_than_trainees():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRecordFactory(trainees_total=10, trainees_women=11)


def test_a_course_ending_before_it_starts_is_refused():
    record = TrainingRecordFactory.build(
        author=UserFactory(), starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 1)
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        record.full_clean()


def test_report_changes_are_kept_in_history():
    report = OperationReportFactory(title="First")
    report.title = "Second"
    report.save()
    assert [h.title for h in report.history.all()] == ["Second", "First"]
