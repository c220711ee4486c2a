"""Schemathesis against the live OpenAPI document of the Flask app (WSGI, no server): for every
public and token-authenticated operation, generated valid and invalid requests never get a 5xx,
and every response matches its documented schema and content type.

Slow (~1 min): `pytest -m slow tests/security/test_sec_schemathesis.py`."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

pytestmark = [pytest.mark.slow,
              # schemathesis and its dependencies warn about their own internals
              pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")]

EXAMPLES = {"positive": 40, "negative": 25}
CHIP = "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件和模拟芯片代工。"


@pytest.fixture
def api(app, tmp_path, officer, token_for, client):
    """(schema, bearer headers, ids of existing leads and jobs) on a fresh app."""
    import schemathesis

    app.config.update(PUBLIC_RATE_LIMIT="100000000/minute", JOBS_DIR=str(tmp_path / "jobs"))
    app.extensions.pop("ratelimit_public", None)
    headers = {"Authorization": f"Bearer {token_for(officer)[1]}"}
    leads = [client.post("/api/v1/leads", headers=headers,
                         json={"name": f"样例{i}", "description": CHIP}).get_json()["id"]
             for i in range(3)]
    job = client.post("/api/v1/jobs", headers=headers, content_type="multipart/form-data",
                      data={"file": (io.BytesIO("企业名称,经营范围\n甲,芯片设计\n".encode()),
                                     "a.csv")}).get_json()["id"]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, headers, {"lead_id": leads[0], "job_id": job}


def run_cases(strategy, *, headers: dict, checks: list, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=checks)

    check()


def contract_failures(schema, headers: dict, ids: dict, select) -> list[str]:
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
    )

    failures = []
    operations = [r.ok() for r in schema.get_all_operations() if select(r.ok().label)]
    assert operations
    for op in operations:
        pinned = {k: v for k, v in ids.items() if "{" + k + "}" in op.path}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            checks = [not_a_server_error]
            if mode is GenerationMode.POSITIVE:
                checks += [response_schema_conformance, content_type_conformance]
            strategies = [op.as_strategy(generation_mode=mode)]
            if pinned and mode is GenerationMode.POSITIVE:  # also on rows that exist
                strategies.append(op.as_strategy(generation_mode=mode, path_parameters=pinned))
            for strategy in strategies:
                try:
                    run_cases(strategy, headers=headers, checks=checks,
                              examples=EXAMPLES[mode.value])
                except Unsatisfiable:  # no invalid value exists (e.g. any string is a kind)
                    assert mode is GenerationMode.NEGATIVE, op.label
                except Exception as exc:  # collect every operation's failure, then report
                    failures.append(f"{op.label} [{mode.value}]: {type(exc).__name__}: "
                                    f"{str(exc)[:1500]}")
    return failures


UPLOAD = "POST /api/v1/jobs"


def test_the_api_holds_its_contract(api):
    """Matching, leads, taxonomy and batch jobs: public and token-authenticated."""
    schema, headers, ids = api
    failures = contract_failures(schema, headers, ids, lambda label: label != UPLOAD)
    assert not failures, "\n\n".join(failures)


def test_the_upload_operation_holds_its_contract(api):
    schema, headers, ids = api
    failures = contract_failures(schema, headers, ids, lambda label: label == UPLOAD)
    assert not failures, "\n\n".join(failures)


def test_the_public_operations_need_no_token(api, app):
    """The same contract for an anonymous client on the public operations."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema, _headers, _ids = api
    public = [r.ok() for r in schema.get_all_operations()
              if r.ok().path in ("/api/v1/match", "/api/v1/match/batch",
                                 "/api/v1/taxonomy/{kind}")]
    assert len(public) == 3
    for op in public:

        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def check(case):
            response = case.call(headers={})
            assert response.status_code != 401
            case.validate_response(response, checks=[not_a_server_error,
                                                     response_schema_conformance])

        check()
