"""Property-based fuzzing of the HTTP API from its OpenAPI schema: no input makes a 5xx.

Bounded (a few examples per operation, short query deadlines) so the whole run stays around a
minute. 503 is the documented answer for a query past its time limit, so it is allowed.
"""

from __future__ import annotations

import os
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.hardening.conftest import LiveServer

EXAMPLES = int(os.environ.get("GOVGRAPH_FUZZ_EXAMPLES", "15"))


def test_no_input_makes_a_server_error(live: LiveServer) -> None:
    api = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 5
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def fuzz(case: schemathesis.Case) -> None:
            response = case.call(base_url=live.url, timeout=30)
            statuses[response.status_code] += 1
            if response.status_code == 503 and "time limit" in response.text:
                return  # the documented answer for a query past its deadline
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except Exception as exc:
                failures.append(f"{case.operation.label}: {exc}"[:600])
                raise

        try:
            fuzz()
        except Exception:
            continue
    print(f"\nfuzzed {len(operations)} operations: statuses {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) >= len(operations)
    assert not failures, "\n\n".join(failures)
