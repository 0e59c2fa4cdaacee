"""schema_check: the OpenAPI spec turned into JSON Schema, and the stand-in's routes against it."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from tests.openai_standin import schema_check
from tests.openai_standin.handlers import ROUTES

JOB = {
    "object": "fine_tuning.job",
    "id": "ftjob-abc",
    "model": "gpt-4o-mini-2024-07-18",
    "created_at": 1,
    "finished_at": None,
    "fine_tuned_model": None,
    "organization_id": "org-x",
    "result_files": [],
    "status": "queued",
    "validation_file": None,
    "training_file": "file-x",
    "hyperparameters": {"n_epochs": "auto", "batch_size": "auto", "learning_rate_multiplier": 1.8},
    "trained_tokens": None,
    "error": None,
    "seed": 7,
}


def test_spec_and_licence_ship_beside_the_module():
    assert schema_check.SPEC_PATH.is_file()
    licence = schema_check.SPEC_PATH.with_name("openai-openapi.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence
    assert schema_check.load_spec()["openapi"].startswith("3.")


def test_a_valid_job_passes_and_broken_ones_fail():
    assert schema_check.errors("FineTuningJob", JOB) == []
    missing = {k: v for k, v in JOB.items() if k != "trained_tokens"}
    assert any("'trained_tokens' is a required property" in e for e in schema_check.errors("FineTuningJob", missing))
    wrong_type = {**JOB, "created_at": "yesterday"}
    assert any(e.startswith("created_at:") for e in schema_check.errors("FineTuningJob", wrong_type))
    bad_status = {**JOB, "status": "paused"}
    assert any(e.startswith("status:") for e in schema_check.errors("FineTuningJob", bad_status))
    with pytest.raises(AssertionError, match="FineTuningJob"):
        schema_check.validate("FineTuningJob", bad_status)


def test_strict_mode_rejects_unknown_fields_and_lenient_mode_allows_them():
    typo = {**JOB, "fine_tuned_modle": None}
    assert any("fine_tuned_modle" in e for e in schema_check.errors("FineTuningJob", typo))
    assert schema_check.errors("FineTuningJob", typo, strict=False) == []


def test_nullable_is_honoured_including_the_allof_form():
    upload = {"id": "upload_1", "object": "upload", "bytes": 3, "created_at": 1, "expires_at": 2,
              "filename": "a.jsonl", "purpose": "fine-tune", "status": "pending", "file": None}
    assert schema_check.errors("Upload", upload) == []
    assert schema_check.errors("Upload", {**upload, "file": {"id": "file-1"}}) != []
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "usage": None,
             "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": None}]}
    assert schema_check.errors("CreateChatCompletionStreamResponse", chunk) == []
    chunk["choices"][0]["finish_reason"] = "maybe"
    assert schema_check.errors("CreateChatCompletionStreamResponse", chunk) != []


@pytest.mark.parametrize(("value", "ok"), [(0.1, True), ("auto", True), (0, False), (-1, False)])
def test_boolean_exclusive_minimum_is_converted(value, ok):
    found = schema_check.errors("FineTuneSupervisedHyperparameters", {"learning_rate_multiplier": value})
    assert (found == []) is ok


def test_error_response_shape():
    good = {"error": {"message": "m", "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}
    assert schema_check.errors("ErrorResponse", good) == []
    assert schema_check.errors("ErrorResponse", {"error": {"message": "m"}}) != []


def test_unknown_schema_name_is_an_error():
    with pytest.raises(KeyError):
        schema_check.errors("NoSuchSchema", {})


def test_every_route_is_in_the_spec_with_the_same_response_schema():
    for route in ROUTES:
        assert (route.template, route.method.lower()) in schema_check.operations(), route
        if route.schema is not None:
            assert schema_check.operation_schema(route.template, route.method) == route.schema, route
    assert schema_check.operation_schema("/chat/completions", "post", content_type="text/event-stream") == (
        "CreateChatCompletionStreamResponse")
    assert schema_check.operation_schema("/chat/completions", "post", 429) is None


def test_every_route_request_schema_matches_the_spec():
    spec = schema_check.load_spec()
    for route in ROUTES:
        body = spec["paths"][route.template][route.method.lower()].get("requestBody")
        json_schema = (body or {}).get("content", {}).get("application/json", {}).get("schema", {})
        expected = json_schema.get("$ref", "").rsplit("/", 1)[-1] or None
        assert route.request_schema == expected, route


def test_find_template_prefers_literal_segments():
    assert schema_check.find_template("GET", "/v1/files/file-1/content") == "/files/{file_id}/content"
    assert schema_check.find_template("GET", "/v1/files/file-1") == "/files/{file_id}"
    assert schema_check.find_template("POST", "/v1/fine_tuning/jobs/ftjob-1/cancel") == (
        "/fine_tuning/jobs/{fine_tuning_job_id}/cancel")
    assert schema_check.find_template("GET", "/v1/models/ft:gpt-4o-mini:org:sfx:abc") == "/models/{model}"
    assert schema_check.find_template("GET", "/v1/nowhere") is None


def test_the_spec_documents_the_metadata_filter_used_for_deduplication():
    params = schema_check.load_spec()["paths"]["/fine_tuning/jobs"]["get"]["parameters"]
    metadata = next(p for p in params if p["name"] == "metadata")
    assert metadata["style"] == "deepObject"


def _reachable(names: list[str]) -> set[str]:
    document = schema_check.normalised_document(True)["components"]["schemas"]
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)

        def walk(node: object) -> None:
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    todo.append(ref.rsplit("/", 1)[-1])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(document[name])
    return seen


def test_normalised_schemas_in_use_are_valid_json_schema():
    roots = [r.schema for r in ROUTES if r.schema] + [r.request_schema for r in ROUTES if r.request_schema]
    roots += ["ErrorResponse", "CreateChatCompletionStreamResponse"]
    document = schema_check.normalised_document(True)["components"]["schemas"]
    for name in sorted(_reachable(roots)):
        Draft202012Validator.check_schema(document[name])
