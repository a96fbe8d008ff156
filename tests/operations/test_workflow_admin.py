"""The report workflow on the admin's form: the buttons each role may use, the reasons, the
refusals that explain themselves, the filters and counts of what waits, and a readable history."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.urls import reverse

from operations import services
from operations.choices import ReportStatus
from operations.models import OperationReport
from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db


def _change(report) -> str:
    return reverse("admin:operations_operationreport_change", args=[report.pk])


def _workflow(report) -> str:
    return reverse("admin:operations_operationreport_workflow", args=[report.pk])


def _buttons(response) -> list[str]:
    return re.findall(r'name="workflow" value="(\w+)"', response.content.decode())


def _in(client, user, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _submitted(author):
    report = OperationReportFactory(author=author)
    services.report_submit(report=report, user=author)
    return report


def test_the_author_of_a_draft_sees_submit_only(client, reporter):
    report = OperationReportFactory(author=reporter)
    assert _buttons(_in(client, reporter).get(_change(report))) == ["submit"]


def test_an_approver_sees_approve_send_back_and_reject_on_anothers_submitted_report(
    client, reporter, approver
):
    report = _submitted(reporter)
    assert _buttons(_in(client, approver).get(_change(report))) == ["approve", "send_back", "reject"]


def test_nobody_sees_a_decision_on_their_own_report(client, approver):
    report = _submitted(approver)
    assert _buttons(_in(client, approver).get(_change(report))) == []


def test_the_author_of_a_submitted_report_has_no_button(client, reporter):
    report = _submitted(reporter)
    assert _buttons(_in(client, reporter).get(_change(report))) == []


def test_submit_from_the_form(client, reporter):
    report = OperationReportFactory(author=reporter)
    response = _in(client, reporter).post(_workflow(report), {"workflow": "submit"}, follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert f"{report.reference} was submitted for approval." in response.content.decode()


def test_send_back_keeps_the_reason_in_the_history_and_shows_it_to_the_author_in_french(
    client, reporter, approver
):
    approver.first_name, approver.last_name = "Marie", "Joseph"
    approver.save()
    report = _submitted(reporter)
    _in(client, approver, "fr").post(
        _workflow(report), {"workflow": "send_back", "reason": "Il manque les unités <PNH>."}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.history.first().history_change_reason == "Il manque les unités <PNH>."

    page = _in(client, reporter, "fr").get(_change(report)).content.decode()
    assert "Il manque les unités &lt;PNH&gt;." in page  # escaped
    assert "Brouillon : le motif de l'approbateur" in page
    assert "Par Marie Joseph" in page
    assert _buttons(_in(client, reporter).get(_change(report))) == ["submit"]


def test_send_back_without_a_reason_is_refused_and_changes_nothing(client, reporter, approver):
    report = _submitted(reporter)
    response = _in(client, approver).post(
        _workflow(report), {"workflow": "send_back", "reason": "  "}, follow=True
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "Give the author a reason." in response.content.decode()


def test_reject_closes_the_report_and_the_author_is_told_why_it_is_read_only(client, reporter, approver):
    report = _submitted(reporter)
    _in(client, approver).post(_workflow(report), {"workflow": "reject", "reason": "Doublon de OPS-1."})
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    page = _in(client, reporter).get(_change(report)).content.decode()
    assert "A rejected report is closed" in page
    assert "Doublon de OPS-1." in page
    assert 'name="_save"' not in page


def test_approving_ones_own_report_ends_on_a_page_that_says_why_in_french(client, approver):
    report = _submitted(approver)
    response = _in(client, approver, "fr").post(_workflow(report), {"workflow": "approve"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Ce n'est pas autorisé" in page
    assert "Vous ne pouvez pas approuver votre propre rapport" in page
    assert 'href="/static/admin/css/base.css"' in page  # the admin's frame, not a bare "403 Forbidden"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_reporter_cannot_approve_by_posting_the_step(client, reporter, make_user):
    report = _submitted(make_user("reporter"))
    response = _in(client, reporter).post(_workflow(report), {"workflow": "approve"})
    assert response.status_code == 403
    assert "Only approvers may approve operation reports." in response.content.decode()


def test_filters_my_reports_and_waiting_for_me(client, reporter, approver, make_user):
    mine = OperationReportFactory(author=reporter, title="Mine")
    waiting = _submitted(make_user("reporter"))
    own_submitted = _submitted(approver)
    changelist = reverse("admin:operations_operationreport_changelist")

    page = _in(client, reporter).get(changelist + "?mine=yes").content.decode()
    assert mine.reference in page and waiting.reference not in page

    page = _in(client, approver).get(changelist + "?waiting=me").content.decode()
    assert waiting.reference in page
    assert own_submitted.reference not in page and mine.reference not in page


def test_the_index_counts_what_waits_for_the_signed_in_user(client, reporter, approver, make_user):
    for _ in range(2):
        _submitted(make_user("reporter"))
    _submitted(approver)  # the approver's own: not theirs to approve
    OperationReportFactory(author=reporter)
    page = _in(client, approver, "fr").get(reverse("admin:index")).content.decode()
    assert re.search(r"<strong>2</strong> rapports soumis</a> attendent votre approbation", page)
    page = _in(client, reporter).get(reverse("admin:index")).content.decode()
    assert re.search(r"<strong>1</strong> of your reports</a> is a draft", page)


def test_an_approved_report_tells_its_author_why_and_who_can_change_it_and_offers_no_revert(
    client, reporter, approver
):
    approver.first_name, approver.last_name = "Marie", "Joseph"
    approver.save()
    report = _submitted(reporter)
    services.report_approve(report=report, user=approver)
    page = _in(client, reporter).get(_change(report)).content.decode()
    assert "An approved report cannot be changed by its author; ask an approver." in page
    assert "Who can change it: Marie Joseph." in page

    history_url = reverse("admin:operations_operationreport_history", args=[report.pk])
    history = _in(client, reporter).get(history_url).content.decode()
    assert "revert" not in history.lower()
    first = report.history.order_by("history_id").first()
    version_url = reverse(
        "admin:operations_operationreport_simple_history", args=[report.pk, first.history_id]
    )
    version = client.get(version_url).content.decode()
    assert 'name="title"' not in version  # shown, not editable
    response = client.post(version_url, {"title": "Reverted"})
    assert response.status_code == 403
    assert "You may not revert this record" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_history_shows_names_local_times_and_coordinates_as_numbers(client, reporter, approver):
    report = OperationReportFactory(author=reporter, started_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    report.location = Point(-72.335, 18.54, srid=4326)
    report.save()
    services.report_submit(report=report, user=reporter)
    services.report_approve(report=report, user=approver)
    history_url = reverse("admin:operations_operationreport_history", args=[report.pk])
    page = _in(client, approver, "fr").get(history_url).content.decode()
    for wrong in ("Deleted", "pk=None", "None"):
        assert wrong not in page, page[page.index(wrong) - 300 : page.index(wrong) + 100]
    assert "SRID" not in page and "POINT" not in page
    assert "latitude 18,54000, longitude -72,33500" in page
    assert approver.get_username() in page
    assert "aucun compte" in page  # the factory's rows were made outside a request
    assert not re.search(r"\d\d:\d\d:\d\d", page)  # to the minute, not seconds or microseconds
    assert OperationReport.objects.get(pk=report.pk).approved_by == approver


def test_a_refused_point_reopens_the_map_on_the_last_valid_one_with_a_message_that_fits(client, reporter):
    from tests.operations.test_admin import _report_form

    report = OperationReportFactory(author=reporter, location=Point(-72.3219, 18.5496, srid=4326))
    miami = json.dumps({"type": "Point", "coordinates": [-80.19, 25.76]})
    response = _in(client, reporter).post(
        _change(report), _report_form(reference=report.reference, location=miami)
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    message = form.errors["location"][0]
    assert "latitude 25.76000, longitude -80.19000" in message
    assert "On the map, place it within Haiti's outline" in message
    widget_value = str(form["location"].value())
    assert "-72.3219" in widget_value and "-80.19" not in widget_value


def test_submitting_from_an_edited_form_keeps_the_edits(client, reporter):
    from tests.operations.test_admin import _report_form

    report = OperationReportFactory(author=reporter, title="Before")
    data = _report_form(reference=report.reference, title="After", workflow="submit")
    response = _in(client, reporter).post(_change(report), data, follow=True)
    report.refresh_from_db()
    assert (report.title, report.status) == ("After", ReportStatus.SUBMITTED)
    assert f"{report.reference} was submitted for approval." in response.content.decode()


def test_a_step_on_an_unchanged_form_adds_no_empty_change_to_the_history(client, reporter, approver):
    from tests.operations.test_admin import _report_form

    report = OperationReportFactory(author=reporter, title="Same", location=None)
    _in(client, reporter).post(_change(report), _report_form(reference=report.reference, title="Same"))
    report.refresh_from_db()
    rows = report.history.count()
    data = _report_form(reference=report.reference, title="Same", workflow="submit")
    _in(client, reporter).post(_change(report), data)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.history.count() == rows + 1  # the submission only
