"""The audit trail: review decisions and record changes, with who and when, in the admin and as CSV."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit import selectors
from ingestion import services
from ingestion.models import Update
from tests.factories import OperationReportFactory, PostFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def update():
    return services.post_process(post=PostFactory(text="Patrols continued in Solino."))


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_review_decision_in_the_admin_is_recorded_with_its_reviewer(client, reporter, update):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:ingestion_update_changelist"),
        {"action": "confirm_selected", "_selected_action": [update.pk]},
    )
    assert response.status_code == 302
    latest = Update.history.filter(id=update.pk).latest("history_date")
    assert latest.history_user == reporter
    assert latest.review_state == "confirmed"
    assert latest.history_type == "~"


def test_export_history_writes_who_when_and_what(client, approver):
    report = OperationReportFactory(title="Patrol Solino")
    client.force_login(approver)
    report.title = "Patrol Solino and Bel Air"
    report._history_user = approver
    report.save()

    out = io.StringIO()
    call_command("export_history", "--model", "operations.OperationReport", stdout=out, stderr=io.StringIO())
    rows = _rows(out.getvalue())
    assert [row["action"] for row in rows] == ["created", "changed"]
    changed = rows[1]
    assert changed["who"] == approver.username
    assert changed["model"] == "operations.OperationReport"
    assert changed["object_id"] == str(report.pk)
    assert "title" in changed["changed_fields"].split(", ")
    assert "title: Patrol Solino → Patrol Solino and Bel Air" in changed["changes"]
    assert changed["when"]


def test_export_history_filters_by_time_and_writes_a_file(tmp_path, update):
    target = tmp_path / "audit.csv"
    call_command("export_history", "--since", "2000-01-01", "-o", str(target), stderr=io.StringIO())
    rows = _rows(target.read_text(encoding="utf-8"))
    assert any(row["model"] == "ingestion.Update" for row in rows)
    out = io.StringIO()
    call_command("export_history", "--until", "2000-01-01", stdout=out, stderr=io.StringIO())
    assert _rows(out.getvalue()) == []


def test_csv_cells_cannot_run_as_formulas():
    from hotspots.models import Hotspot, HotspotAlias

    alias = HotspotAlias.objects.create(hotspot=Hotspot.objects.first(), text="=HYPERLINK(1)", language="en")
    out = io.StringIO()
    selectors.write_csv(out, selectors.changes(labels=["hotspots.HotspotAlias"]))
    row = next(row for row in _rows(out.getvalue()) if row["object_id"] == str(alias.pk))
    assert row["object"].startswith("'=HYPERLINK")


def test_superusers_see_and_export_the_trail_in_the_admin(client, admin_user, update):
    client.force_login(admin_user)
    changelist = reverse("admin:ingestion_historicalupdate_changelist")
    assert client.get(changelist).status_code == 200
    ids = list(Update.history.values_list("history_id", flat=True))
    response = client.post(changelist, {"action": "export_changes", "_selected_action": ids})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response.content.decode())
    assert rows and rows[0]["model"] == "ingestion.Update"


def test_staff_roles_do_not_see_the_whole_trail(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("admin:ingestion_historicalupdate_changelist")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["operations_operationreport", "operations_trainingrecord", "hotspots_hotspot", "hotspots_hotspotalias"],
)
def test_staff_see_one_record_history_from_its_page(client, approver, name):
    from django.apps import apps

    model = apps.get_model(*name.split("_", 1))
    factories = {
        "operations_operationreport": OperationReportFactory,
        "operations_trainingrecord": TrainingRecordFactory,
    }
    obj = factories[name]() if name in factories else model.objects.first()
    client.force_login(approver)
    assert client.get(reverse(f"admin:{name}_history", args=[obj.pk])).status_code == 200
