"""The API against its own OpenAPI document (schemathesis), with a token of every role: analyst,
reporter, approver (staff) and partner.

Every operation is called with generated valid and invalid inputs (the examples, coverage and
fuzzing phases), and sequences of calls follow the links schemathesis infers (the stateful
phase); each answer must be documented (status code, content type, headers, body schema), no
input may cause a server error, invalid inputs must be refused and valid ones accepted.
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


# The token of the role under test, set by its fixture; schemathesis' auth hook puts it on every
# call (stateless and stateful), so its checks know the credentials are the test's own.
_token: dict[str, str | None] = {"value": None}


@schema.auth(refresh_interval=None)
class _RoleToken:
    def get(self, case, context):
        return _token["value"]

    def set(self, case, data, context):
        # The WSGI transport does not undo gzip, as an HTTP client would: ask for the body as is.
        case.headers = {
            **(case.headers or {}),
            "Authorization": f"Bearer {data}",
            "Accept-Encoding": "identity",
        }


def _sign_in(make_user, role: str) -> None:
    user = make_user(role)
    OperationReportFactory(author=user, status="draft")  # something of their own to change
    _token["value"] = api_token_issue(user=user, name="schemathesis")[1]


@pytest.fixture
def as_staff(make_user):
    _sign_in(make_user, "approver")


@pytest.fixture
def as_partner(make_user):
    _sign_in(make_user, "partner")


@pytest.fixture
def as_analyst(make_user):
    _sign_in(make_user, "analyst")


@pytest.fixture
def as_reporter(make_user):
    _sign_in(make_user, "reporter")


_settings = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@_settings
def test_contract_as_staff(case, as_staff):
    case.call_and_validate()


@schema.parametrize()
@_settings
def test_contract_as_partner(case, as_partner):
    case.call_and_validate()


@schema.parametrize()
@_settings
def test_contract_as_analyst(case, as_analyst):
    case.call_and_validate()


@schema.parametrize()
@_settings
def test_contract_as_reporter(case, as_reporter):
    case.call_and_validate()


# The stateful phase: sequences of calls chained by the links schemathesis infers from the schema
# (a list's or a create's ids fed to the operations on one record), for each role.
class Workflow(schema.as_state_machine()):
    def before_call(self, case):
        # As schemathesis.toml says for the other phases (which the state machine does not read):
        # pages start from the first, since a made-up cursor is refused with 400.
        if case.query and "cursor" in case.query:
            case.query["cursor"] = ""


@pytest.mark.parametrize("role", ["approver", "partner", "analyst", "reporter"])
def test_stateful_sequences(role, make_user):
    _sign_in(make_user, role)
    Workflow.run(settings=settings(_settings, stateful_step_count=6))
