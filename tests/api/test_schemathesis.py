"""The API against its own OpenAPI document (schemathesis), with a token of every role: analyst,
reporter, approver (staff) and partner.

Every operation is called with generated valid and invalid inputs; each answer must be documented
(status code, content type, headers, body schema), no input may cause a server error, invalid
inputs must be refused and valid ones accepted.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accounts.services import api_token_issue
from tests.factories import OperationReportFactory

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10


@pytest.fixture(autouse=True)
def _in_test_transaction(settings):
    # Requests run in this test's transaction: keep Django from closing the connection after each.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/hour", "anon": "100000/hour"},
    }
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The live schema, as the running application serves it (generating it reads no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def _headers(make_user, role: str) -> dict[str, str]:
    user = make_user(role)
    OperationReportFactory(author=user, status="draft")  # something of their own to change
    token = api_token_issue(user=user, name="schemathesis")[1]
    # The WSGI transport does not undo gzip, as an HTTP client would: ask for the body as is.
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


@pytest.fixture
def staff_headers(make_user):
    return _headers(make_user, "approver")


@pytest.fixture
def partner_headers(make_user):
    return _headers(make_user, "partner")


@pytest.fixture
def analyst_headers(make_user):
    return _headers(make_user, "analyst")


@pytest.fixture
def reporter_headers(make_user):
    return _headers(make_user, "reporter")


_settings = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@_settings
def test_contract_as_staff(case, staff_headers):
    case.call_and_validate(headers=staff_headers)


@schema.parametrize()
@_settings
def test_contract_as_partner(case, partner_headers):
    case.call_and_validate(headers=partner_headers)


@schema.parametrize()
@_settings
def test_contract_as_analyst(case, analyst_headers):
    case.call_and_validate(headers=analyst_headers)


@schema.parametrize()
@_settings
def test_contract_as_reporter(case, reporter_headers):
    case.call_and_validate(headers=reporter_headers)
