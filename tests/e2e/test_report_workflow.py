"""The report workflow in a real browser, in French: the buttons each role sees, and a report sent
back with a reason that its author reads and answers by submitting again."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import APPROVER, REPORTER, sync_roles
from operations import services
from operations.choices import ReportStatus
from operations.models import OperationReport
from tests.e2e.live import close_context
from tests.factories import OperationReportFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def staff(transactional_db, django_user_model):
    sync_roles(Group, Permission)  # transactional tests start from an empty database

    def make(username, role, **names):
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True, **names)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def signed_in(browser, live_server):
    """A French-speaking browser session signed in as the given user."""
    contexts = []

    def sign_in(username):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    yield sign_in
    for context in contexts:
        close_context(context)


def _buttons(page) -> list[str]:
    return [b.inner_text().strip() for b in page.locator("#workflow button").all()]


def test_each_role_sees_the_buttons_it_may_use(live_server, staff, signed_in):
    author = staff("auteur", REPORTER)
    approver = staff("approbatrice", APPROVER)
    draft = OperationReportFactory(author=author)
    submitted = OperationReportFactory(author=author)
    services.report_submit(report=submitted, user=author)
    own = OperationReportFactory(author=approver)
    services.report_submit(report=own, user=approver)

    page = signed_in("auteur")
    page.goto(f"{live_server.url}/admin/operations/operationreport/{draft.pk}/change/")
    assert _buttons(page) == ["Soumettre pour approbation"]
    page.goto(f"{live_server.url}/admin/operations/operationreport/{submitted.pk}/change/")
    assert _buttons(page) == []

    page = signed_in("approbatrice")
    page.goto(f"{live_server.url}/admin/operations/operationreport/{submitted.pk}/change/")
    assert _buttons(page) == ["Approuver", "Renvoyer à l'auteur", "Rejeter"]
    page.goto(f"{live_server.url}/admin/operations/operationreport/{own.pk}/change/")
    assert _buttons(page) == []  # never one's own report
    assert page.errors == []


def test_a_report_sent_back_in_french_comes_back_with_its_reason(live_server, staff, signed_in, artifacts):
    author = staff("auteur", REPORTER)
    staff("approbatrice", APPROVER, first_name="Marie", last_name="Joseph")
    report = OperationReportFactory(author=author, title="Patrouille à Solino")
    url = f"{live_server.url}/admin/operations/operationreport/{report.pk}/change/"

    author_page = signed_in("auteur")
    author_page.goto(url)
    author_page.click("#workflow button[value=submit]")
    author_page.wait_for_selector(".messagelist .success")
    assert "a été soumis pour approbation" in author_page.inner_text(".messagelist")

    approver_page = signed_in("approbatrice")
    approver_page.goto(url)
    approver_page.fill("#workflow-reason", "Précisez les unités de la PNH engagées.")
    approver_page.click("#workflow button[value=send_back]")
    approver_page.wait_for_selector(".messagelist .success")
    assert "a été renvoyé à son auteur" in approver_page.inner_text(".messagelist")
    assert OperationReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    author_page.goto(url)
    decision = author_page.inner_text("#last-decision")
    assert "Brouillon : le motif de l'approbateur" in decision
    assert "Précisez les unités de la PNH engagées." in decision
    assert "Par Marie Joseph" in decision
    author_page.screenshot(path=str(artifacts / "admin-report-sent-back-fr.png"), full_page=True)
    author_page.click("#workflow button[value=submit]")
    author_page.wait_for_selector(".messagelist .success")
    assert OperationReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert author_page.errors == [] and approver_page.errors == []
