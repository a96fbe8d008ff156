"""seed_demo: marked demo rows, top-ups, the real extraction, and refusing real data."""

import pytest
from django.core.management import CommandError, call_command

from demo import seeding
from hotspots.models import AdminArea, Hotspot, ReferencePlace
from ingestion import selectors
from ingestion.extraction import extract
from ingestion.models import Mention, Post, Update
from operations.models import OperationReport, TrainingRecord
from tests.factories import OperationReportFactory, PostFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db

SMALL = {"hotspots": 4, "reports": 60, "updates": 50, "training": 12}


@pytest.fixture(params=["copy", "bulk_create"])
def writer(request, monkeypatch):
    """Both bulk paths on PostGIS: COPY (PostgreSQL) and bulk_create (what SpatiaLite uses)."""
    if request.param == "bulk_create":
        monkeypatch.setattr(seeding, "writer_for_connection", seeding.Writer)
    return request.param


def test_seeding_makes_the_counts_asked_for_all_marked_as_demo(gazetteer_loaded, writer):
    stats = seeding.seed(**SMALL)

    assert (stats.hotspots, stats.reports, stats.updates, stats.training) == (4, 60, 50, 12)
    assert seeding.demo_counts() == SMALL
    assert not seeding.real_data()
    assert all(r.startswith("DEMO-") for r in OperationReport.objects.values_list("reference", flat=True))
    assert set(Post.objects.values_list("source__name", flat=True)) == {"demo"}
    assert set(TrainingRecord.objects.values_list("author__username", flat=True)) == {"demo-author"}
    demo_hotspots = Hotspot.objects.filter(slug__startswith="demo-")
    assert demo_hotspots.count() == 4
    assert all(h.location is not None and h.confidence != "none" for h in demo_hotspots)


def test_reports_have_hotspots_contingents_and_a_mix_of_statuses(gazetteer_loaded, writer):
    seeding.seed(**SMALL)

    reports = OperationReport.objects.all()
    assert all(r.hotspots.exists() for r in reports.prefetch_related("hotspots"))
    assert OperationReport.contingents.through.objects.exists()
    assert {"approved", "submitted"} <= set(reports.values_list("status", flat=True))
    assert len(set(reports.values_list("releasability", flat=True))) >= 2
    approved = reports.filter(status="approved")
    assert all(r.approved_by_id and r.approved_at for r in approved)


def test_updates_are_what_the_real_extraction_reads_in_their_posts(gazetteer_loaded, writer):
    seeding.seed(**SMALL)

    matcher, reference = selectors.hotspot_matcher(), selectors.reference_matcher()
    updates = Update.objects.select_related("post").prefetch_related("mentions__hotspot")
    assert Mention.objects.count() >= 40
    for update in updates:
        result = extract(update.post.text, matcher, reference)
        assert update.kind == result.kind
        assert update.figures == result.figures
        assert sorted(m.hotspot.slug for m in update.mentions.all()) == sorted(m.key for m in result.mentions)
        assert update.published_at == update.post.published_at
    assert {"en", "fr"} <= set(Post.objects.values_list("language", flat=True))


def test_a_second_run_tops_up_and_the_same_counts_add_nothing(gazetteer_loaded, writer):
    seeding.seed(**SMALL)
    again = seeding.seed(**SMALL)
    assert (again.hotspots, again.reports, again.updates, again.training) == (0, 0, 0, 0)

    more = seeding.seed(**{**SMALL, "reports": 90, "updates": 70})
    assert (more.reports, more.updates) == (30, 20)
    assert seeding.demo_counts() == {**SMALL, "reports": 90, "updates": 70}
    # References and external ids stay unique across runs.
    assert OperationReport.objects.values("reference").distinct().count() == 90


def test_the_id_sequences_continue_after_the_bulk_load(gazetteer_loaded, writer, django_user_model):
    seeding.seed(**SMALL)
    report = OperationReportFactory()
    record = TrainingRecordFactory()
    post = PostFactory()
    assert report.pk > OperationReport.objects.exclude(pk=report.pk).order_by("-pk")[0].pk
    assert record.pk > TrainingRecord.objects.exclude(pk=record.pk).order_by("-pk")[0].pk
    assert post.pk > Post.objects.exclude(pk=post.pk).order_by("-pk")[0].pk


@pytest.mark.parametrize(
    "make_real",
    [lambda: OperationReportFactory(), lambda: TrainingRecordFactory(), lambda: PostFactory()],
    ids=["report", "training", "post"],
)
def test_a_database_with_real_data_is_refused_unless_allowed(gazetteer_loaded, make_real):
    make_real()
    with pytest.raises(seeding.SeedError, match="real data"):
        seeding.seed(reports=5)
    assert not OperationReport.objects.filter(reference__startswith="DEMO-").exists()

    seeding.seed(reports=5, allow_real_data=True)
    assert OperationReport.objects.filter(reference__startswith="DEMO-").count() == 5


def test_the_command_seeds_and_says_what_it_did(gazetteer_loaded, capsys):
    call_command("seed_demo", "--reports", "20", "--updates", "10", "--hotspots", "2", "--no-progress")
    out = capsys.readouterr().out
    assert "20 operation reports" in out
    assert "10 updates" in out


def test_the_command_refuses_real_data_with_a_clear_error(gazetteer_loaded):
    OperationReportFactory()
    with pytest.raises(CommandError, match="--allow-real-data"):
        call_command("seed_demo", "--reports", "20", "--no-progress")


def test_without_the_gazetteer_the_command_says_to_load_it(db):
    Hotspot.objects.all().delete()
    ReferencePlace.objects.all().delete()
    AdminArea.objects.all().delete()
    with pytest.raises(CommandError, match="load_gazetteer"):
        call_command("seed_demo", "--reports", "20", "--no-progress")
    # Training records too (they are held at hotspots): the same clear error, not a crash.
    with pytest.raises(CommandError, match="load_gazetteer"):
        call_command("seed_demo", "--training", "5", "--no-progress")
