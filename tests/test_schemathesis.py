"""Schemathesis against the running service's OpenAPI schema: no 5xx, every response matching its schema.

Every operation of ``/openapi.json`` gets generated requests (valid and
invalid parameters, odd strings, huge numbers); the number of examples per
operation is bounded so the suite stays fast.  The service is the session's
real ``unkg serve`` process, called over HTTP.  (Schemathesis' own pytest
plugin does not work with pytest 9 yet, so the operations are driven with
hypothesis directly.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 40
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def _operations(url: str) -> list[Any]:
    schema = schemathesis.openapi.from_url(url + "/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
def test_every_operation_answers_within_its_schema_and_never_5xx(service: Any) -> None:
    operations = _operations(service.url)
    assert len(operations) > 10
    failures: list[str] = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=service.url, checks=CHECKS, timeout=60)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert failures == [], "\n\n".join(failures)
