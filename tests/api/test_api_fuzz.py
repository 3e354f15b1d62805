"""The whole /api/v1/ schema fuzzed with schemathesis, in-process against the WSGI app: every operation,
with a signed-in session and with an organisation key, answers no 5xx and only what its schema says
(status codes, content type, body). Kept fast for the normal suite: a few examples per operation; run
with SINERGI_FUZZ_EXAMPLES=200 for a deeper search."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from tests.api.keys import make_key
from tests.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    OrganizationFactory,
    TrainingClassFactory,
    allocation_run,
    credential_in,
    region,
    regional_admin,
)

from sinergi.accounts.models import Organization
from sinergi.api.models import all_scopes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.fuzz,
]

EXAMPLES = int(os.environ.get("SINERGI_FUZZ_EXAMPLES", "3"))
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client detaches close_old_connections from the request signals; the bare WSGI app
    does not, and at the end of each request it would close the connection that holds the test's
    transaction (on PostgreSQL every later query then fails with "the connection is closed")."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings):
    """A Palembang region with a class, its sessions and enrolments, a certificate, a published run;
    the two callers: a regional admin's session and a provider's key with every scope."""
    # The rate limits would answer 429 (documented) long before the examples run out: off here.
    settings.RATELIMIT_ENABLE = False
    provider = OrganizationFactory(kind=Organization.Kind.PROVIDER, region=region("16.71"))
    training_class = TrainingClassFactory(
        provider=provider,
        program__batch__region=region("16.71"),
        program__batch__organizer__region=region("16.71"),
    )
    ClassSessionFactory(training_class=training_class, number=1)
    EnrolmentFactory.create_batch(2, training_class=training_class)
    credential_in(training_class)
    admin = regional_admin("16.71")
    allocation_run(admin, "16.71", published=True)
    _key, secret = make_key(provider, [code for code, _label in all_scopes()])
    # Read by the auth providers below while schemathesis generates and sends the cases.
    CURRENT.update(secret=secret, cookies={**_session_cookie(admin), "csrftoken": "f" * 32})
    return CURRENT


def _schema():
    from sinergi.api.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = APP  # every request, the probes' too, goes in-process to the WSGI app
    return loaded


# Loaded when the module is collected (pytest-django has set Django up by then): one test per operation.
# Two copies, each with its own credentials registered as the schema's auth, so schemathesis knows them
# for real ones and probes that the API refuses a request without them or with wrong ones.
key_schema, session_schema = _schema(), _schema()
CURRENT: dict = {}  # the running test's world: its key and its session


@key_schema.auth(refresh_interval=None)
class KeyAuth:
    def get(self, case, ctx):
        return CURRENT.get("secret", "")  # asked once while collecting, before any world exists

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "X-API-Key": data}


@session_schema.auth(refresh_interval=None)
class SessionCookieAuth:
    def get(self, case, ctx):
        return CURRENT.get("cookies", {"sessionid": "", "csrftoken": ""})

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), **data}
        # The CSRF token the session sends back in its header, so writes get past CSRF.
        case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrftoken"]}


def _session_cookie(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


# Operations whose schema-valid input may still name records that do not exist (a partner id, a region
# code, the organisations of a new agreement, the enrolments of an attendance push): the database answers
# that, with a 422 naming the field. Schemathesis's "valid input is accepted" check is replaced there by
# that assertion.
REFERENTIAL = {
    ("GET", "/api/v1/agreements/"),
    ("POST", "/api/v1/agreements/"),
    ("PATCH", "/api/v1/agreements/{agreement_id}/"),
    ("POST", "/api/v1/classes/{class_id}/attendance/"),
}


def _call(case, **kwargs):
    referential = (case.method.upper(), case.path) in REFERENTIAL
    response = case.call_and_validate(
        excluded_checks=[positive_data_acceptance] if referential else [], **kwargs
    )
    if response.status_code == 422:
        assert response.json()["errors"], response.text  # a 422 always names what was wrong
    return response


@key_schema.parametrize()
@FUZZ
def test_with_an_api_key(case, world):
    _call(case)


@session_schema.parametrize()
@FUZZ
def test_with_a_session(case, world):
    _call(case)
