"""schemathesis against the API's own OpenAPI document, on the real ASGI app: whatever it sends,
no answer is a 5xx, and every answer fits the schema (status code, content type, body).

The app is made when the module is collected (schemathesis parametrises from a schema object),
over a SQLite store of the bundled default in a temporary folder removed at exit."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import load_default
from veikart.web.server import create_app

_DIR = Path(tempfile.mkdtemp(prefix="veikart-schemathesis-"))
atexit.register(shutil.rmtree, _DIR, True)
_URL = f"sqlite:///{_DIR / 'store.db'}"
load_default(_URL)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(_URL, chart_cache=False))


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema_and_never_with_5xx(case):  # type: ignore[no-untyped-def]
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
