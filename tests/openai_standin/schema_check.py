"""Validate JSON instances against OpenAI's OpenAPI description (shipped beside this module).

The spec says ``openapi: 3.1.0`` but still carries OpenAPI 3.0 idioms, so it is normalised
into plain JSON Schema 2020-12 before use:

* ``nullable: true`` becomes ``anyOf: [<schema>, {"type": "null"}]``; an ``allOf`` member that
  only says ``nullable`` (``Upload.file``) makes the whole ``allOf`` nullable;
* boolean ``exclusiveMinimum`` / ``exclusiveMaximum`` (draft-4 style, used for
  ``learning_rate_multiplier``) become the numeric 2020-12 form;
* vendor keywords (``x-oaiMeta``, ``x-stainless-const``...), ``discriminator``, ``example`` and
  ``deprecated`` are dropped.

``strict=True`` (the default) also closes every object schema that declares ``properties``
(``unevaluatedProperties: false``), so a response carrying a field the spec does not know
(typically a typo) fails.  Required fields, types and enums are always enforced.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("openai-openapi.json")
_SPEC_URI = "urn:openai-openapi"
_DROP = {"discriminator", "example", "examples", "deprecated", "xml", "externalDocs"}
_HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@functools.lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def _is_nullable_marker(node: Any) -> bool:
    return isinstance(node, dict) and node.get("nullable") is True and set(node) <= {"nullable", "description"}


def _normalise(node: Any, *, close: bool, in_all_of: bool = False) -> Any:
    if isinstance(node, list):
        return [_normalise(item, close=close) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    nullable = node.get("nullable") is True
    for key, value in node.items():
        if key in _DROP or key.startswith("x-") or key == "nullable":
            continue
        if key == "allOf":
            members = [m for m in value if not _is_nullable_marker(m)]
            nullable = nullable or len(members) != len(value)
            out[key] = [_normalise(m, close=close, in_all_of=True) for m in members]
        elif key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = {name: _normalise(sub, close=close) for name, sub in value.items()}
        else:
            out[key] = _normalise(value, close=close)
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(bound)
        if isinstance(flag, bool):
            del out[bound]
            if flag and limit in out:
                out[bound] = out.pop(limit)
    if "allOf" in out and len(out["allOf"]) == 1 and set(out) == {"allOf"}:
        out = out["allOf"][0]
    if close and "properties" in out and not in_all_of and "additionalProperties" not in out:
        out.setdefault("unevaluatedProperties", False)
    if nullable:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _allof_targets(spec: dict[str, Any]) -> set[str]:
    """Names of component schemas used as ``allOf`` members: closing those would break the union."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for member in node.get("allOf", []):
                if isinstance(member, dict) and "$ref" in member:
                    found.add(member["$ref"].rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec["components"]["schemas"])
    return found


@functools.lru_cache(maxsize=2)
def normalised_document(strict: bool = True) -> dict[str, Any]:
    spec = load_spec()
    keep_open = _allof_targets(spec) if strict else set()
    schemas = {
        name: _normalise(copy.deepcopy(schema), close=strict and name not in keep_open)
        for name, schema in spec["components"]["schemas"].items()
    }
    return {"components": {"schemas": schemas}}


@functools.lru_cache(maxsize=2)
def _registry(strict: bool) -> Registry:
    resource = DRAFT202012.create_resource(normalised_document(strict))
    return Registry().with_resource(_SPEC_URI, resource)


@functools.lru_cache(maxsize=256)
def validator_for(schema_name: str, strict: bool = True) -> Draft202012Validator:
    if schema_name not in load_spec()["components"]["schemas"]:
        raise KeyError(f"no schema named {schema_name!r} in the OpenAPI spec")
    root = {"$ref": f"{_SPEC_URI}#/components/schemas/{schema_name}"}
    return Draft202012Validator(
        root, registry=_registry(strict), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(schema_name: str, instance: Any, *, strict: bool = True) -> list[str]:
    """Every way ``instance`` breaks ``#/components/schemas/<schema_name>`` ([] when valid)."""
    found = validator_for(schema_name, strict).iter_errors(instance)
    return sorted(_describe(err) for err in found)


def _describe(err: Any) -> str:
    where = "/".join(str(p) for p in err.absolute_path) or "<root>"
    text = f"{where}: {err.message}"
    if err.context:  # anyOf / oneOf: say why each branch failed, briefly
        reasons = sorted({f"{'/'.join(str(p) for p in sub.absolute_path) or '<root>'}: {sub.message}"
                          for sub in err.context})
        text += " [" + "; ".join(reasons[:4]) + (" ..." if len(reasons) > 4 else "") + "]"
    return text


def validate(schema_name: str, instance: Any, *, strict: bool = True) -> None:
    """Raise ``AssertionError`` listing the problems when ``instance`` does not match."""
    problems = errors(schema_name, instance, strict=strict)
    if problems:
        raise AssertionError(f"{schema_name}: " + "; ".join(problems))


def operation_schema(path: str, method: str, status: int = 200, content_type: str = "application/json") -> str | None:
    """Schema name the spec gives for one response, e.g. ``("/files", "post") -> "OpenAIFile"``.

    ``path`` is the spec's template (``/files/{file_id}``), without the ``/v1`` prefix.
    ``None`` when the operation's response has no named schema (e.g. the 429 of chat).
    """
    operation = load_spec()["paths"][path][method.lower()]
    response = operation.get("responses", {}).get(str(status), {})
    schema = response.get("content", {}).get(content_type, {}).get("schema", {})
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def operations() -> list[tuple[str, str]]:
    """All (path, method) pairs in the spec."""
    return [
        (path, method) for path, item in load_spec()["paths"].items() for method in item if method in _HTTP_METHODS
    ]


def validate_operation(path: str, method: str, status: int, instance: Any, *, strict: bool = True) -> list[str]:
    """Check a response body for an operation; 4xx/5xx without a spec schema use ``ErrorResponse``."""
    name = operation_schema(path, method, status)
    if name is None and status >= 400:
        name = "ErrorResponse"
    if name is None:
        raise KeyError(f"the spec gives no JSON schema for {method.upper()} {path} -> {status}")
    return errors(name, instance, strict=strict)


def find_template(method: str, path: str) -> str | None:
    """The spec path template serving a concrete ``path`` (``/v1`` prefix allowed), or None.

    Literal segments win over ``{param}`` ones, so ``/files/x/content`` is not taken for ``/files/{id}``.
    """
    if path.startswith("/v1/"):
        path = path[3:]
    segments = path.strip("/").split("/")
    best: tuple[int, str] | None = None
    for template, item in load_spec()["paths"].items():
        parts = template.strip("/").split("/")
        if len(parts) != len(segments) or method.lower() not in item:
            continue
        if all(p.startswith("{") or p == s for p, s in zip(parts, segments, strict=True)):
            literal = sum(not p.startswith("{") for p in parts)
            if best is None or literal > best[0]:
                best = (literal, template)
    return best[1] if best else None


def validate_exchange(method: str, path: str, status: int, body: Any, *, stream: bool = False,
                      strict: bool = True) -> list[str]:
    """Check one logged response by looking its operation up in the spec (not in the stand-in's routes).

    ``stream=True``: ``body`` is the list of SSE chunks, each checked against the text/event-stream schema.
    """
    template = find_template(method, path)
    if template is None:
        if status >= 400:  # e.g. the 404 for an unknown URL
            return errors("ErrorResponse", body, strict=strict)
        return [f"{method} {path}: no such operation in the spec"]
    if stream:
        name = operation_schema(template, method, status, "text/event-stream")
        if name is None:
            return [f"{method} {template}: the spec has no event-stream schema"]
        return [f"chunk {i}: {e}" for i, chunk in enumerate(body) for e in errors(name, chunk, strict=strict)]
    return validate_operation(template, method, status, body, strict=strict)
