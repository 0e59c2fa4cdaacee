"""Offline token counts with tiktoken and the encoding files shipped in resources/tokenizers.

tiktoken's own ``get_encoding`` downloads its rank files on first use; we never call it. The
files are loaded from the package, their sha256 is checked, and the Encoding is built with the
same pattern and special tokens that ``tiktoken_ext.openai_public`` defines.

Chat examples are counted the way OpenAI's cookbook does: 3 tokens per message, +1 per ``name``,
+3 for reply priming, every string value of a message encoded; tool definitions as in the
cookbook's ``num_tokens_for_tools``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import tiktoken

from workbench.core.formats import Kind, content_hash, detect_kind
from workbench.core.pricing import encoding_name_for
from workbench.core.resources import resource_path

ENDOFTEXT = "<|endoftext|>"
FIM_PREFIX = "<|fim_prefix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_SUFFIX = "<|fim_suffix|>"
ENDOFPROMPT = "<|endofprompt|>"


@dataclass(frozen=True)
class _EncodingFile:
    filename: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]


_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""

ENCODING_FILES: dict[str, _EncodingFile] = {
    "o200k_base": _EncodingFile(
        "o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        _O200K_PAT,
        {ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    ),
    "cl100k_base": _EncodingFile(
        "cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        _CL100K_PAT,
        {ENDOFTEXT: 100257, FIM_PREFIX: 100258, FIM_MIDDLE: 100259, FIM_SUFFIX: 100260, ENDOFPROMPT: 100276},
    ),
}


class TokenizerFileError(RuntimeError):
    """A shipped tokenizer file is missing or damaged (the install is broken)."""


_load_lock = threading.Lock()


@cache
def get_encoding(name: str) -> tiktoken.Encoding:
    if name not in ENCODING_FILES:
        raise KeyError(f"unknown encoding {name!r}; known: {', '.join(ENCODING_FILES)}")
    spec = ENCODING_FILES[name]
    with _load_lock:
        ranks = load_ranks(name)
        return tiktoken.Encoding(
            name=name, pat_str=spec.pat_str, mergeable_ranks=ranks, special_tokens=spec.special_tokens
        )


def load_ranks(name: str) -> dict[bytes, int]:
    """Read the shipped rank file directly: tiktoken's loader would copy it into a cache folder."""
    spec = ENCODING_FILES[name]
    path = resource_path("tokenizers", spec.filename)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TokenizerFileError(
            f"The tokenizer file {path} cannot be read ({exc.strerror}). Reinstall Fine-Tune Workbench."
        ) from exc
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        raise TokenizerFileError(
            f"The tokenizer file {path} is damaged (its checksum does not match). Reinstall Fine-Tune Workbench."
        )
    return {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in data.splitlines() if line)}


def encoding_for_model(model: str) -> tiktoken.Encoding:
    return get_encoding(encoding_name_for(model))


# --- counting ------------------------------------------------------------------------------------

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3
# cookbook num_tokens_for_tools constants (gpt-4o family; the gpt-3.5/gpt-4 family differs in func_init)
_TOOL_CONSTS = {
    "o200k_base": dict(func_init=7, prop_init=3, prop_key=3, enum_init=-3, enum_item=3, func_end=12),
    "cl100k_base": dict(func_init=10, prop_init=3, prop_key=3, enum_init=-3, enum_item=3, func_end=12),
}


_SHORT_CACHES: dict[str, dict[str, int]] = {}  # per encoding: short strings (roles, names) -> tokens
_SHORT = 24


def _short_cache(enc: tiktoken.Encoding) -> dict[str, int]:
    cache = _SHORT_CACHES.get(enc.name)
    if cache is None or len(cache) > 50_000:
        cache = _SHORT_CACHES[enc.name] = {}
    return cache


def _n(enc: tiktoken.Encoding, text: str) -> int:
    # encode_ordinary: a customer typing "<|endoftext|>" is text, not a special token.
    if len(text) <= _SHORT:  # roles and names repeat in every message: count them once
        cache = _short_cache(enc)
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = len(enc.encode_ordinary(text))
        return hit
    return len(enc.encode_ordinary(text))


def _value_tokens(enc: tiktoken.Encoding, value: Any) -> int:
    if isinstance(value, str):
        return _n(enc, value)
    if value is None or isinstance(value, bool | int | float):
        return _n(enc, str(value)) if value is not None else 0
    if isinstance(value, list):  # content parts
        total = 0
        for part in value:
            if isinstance(part, dict) and part.get("type") == "text":
                total += _n(enc, str(part.get("text", "")))
            elif isinstance(part, dict) and part.get("type") == "image_url":
                continue  # image tokens depend on the picture's size; not counted offline
            else:
                total += _n(enc, json.dumps(part, ensure_ascii=False))
        return total
    return _n(enc, json.dumps(value, ensure_ascii=False))


def count_messages(enc: tiktoken.Encoding, messages: list, *, priming: bool = True) -> int:
    encode = enc.encode_ordinary
    short = _short_cache(enc)
    total = 0
    for msg in messages:
        total += TOKENS_PER_MESSAGE
        if not isinstance(msg, dict):
            total += _value_tokens(enc, msg)
            continue
        for key, value in msg.items():
            if type(value) is str:  # the common case, kept fast: plain text content, role, name
                if len(value) > _SHORT:
                    total += len(encode(value))
                else:
                    hit = short.get(value)
                    total += hit if hit is not None else _n(enc, value)
                if key == "name":
                    total += TOKENS_PER_NAME
                continue
            if key == "weight":
                continue  # training metadata, never shown to the model
            if key == "tool_calls" and isinstance(value, list):
                for call in value:
                    fn = call.get("function", {}) if isinstance(call, dict) else {}
                    if isinstance(fn, dict):
                        total += _n(enc, str(fn.get("name", ""))) + _n(enc, str(fn.get("arguments", "")))
                continue
            total += _value_tokens(enc, value)
    return total + (REPLY_PRIMING if priming else 0)


def count_tools(enc: tiktoken.Encoding, tools: Any) -> int:
    if not isinstance(tools, list) or not tools:
        return 0
    c = _TOOL_CONSTS.get(enc.name, _TOOL_CONSTS["o200k_base"])
    total = 0
    for tool in tools:
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(fn, dict):
            continue
        total += c["func_init"]
        desc = str(fn.get("description", "")).removesuffix(".")
        total += _n(enc, f"{fn.get('name', '')}:{desc}")
        params = fn.get("parameters") if isinstance(fn.get("parameters"), dict) else {}
        props = params.get("properties") if isinstance(params.get("properties"), dict) else {}
        if props:
            total += c["prop_init"]
            for key, prop in props.items():
                prop = prop if isinstance(prop, dict) else {}
                total += c["prop_key"]
                if isinstance(prop.get("enum"), list):
                    total += c["enum_init"]
                    for item in prop["enum"]:
                        total += c["enum_item"] + _n(enc, str(item))
                p_desc = str(prop.get("description", "")).removesuffix(".")
                total += _n(enc, f"{key}:{prop.get('type', '')}:{p_desc}")
    return total + c["func_end"]


def count_example(enc: tiktoken.Encoding, obj: Any) -> int:
    """Tokens one training example costs (DPO: input + the longer of the two answers)."""
    kind = detect_kind(obj)
    if kind is Kind.CHAT:
        msgs = obj.get("messages") if isinstance(obj.get("messages"), list) else []
        return count_messages(enc, msgs) + count_tools(enc, obj.get("tools"))
    if kind is Kind.DPO:
        inp = obj.get("input") if isinstance(obj.get("input"), dict) else {}
        msgs = inp.get("messages") if isinstance(inp.get("messages"), list) else []
        base = count_messages(enc, msgs, priming=False) + count_tools(enc, inp.get("tools"))
        outs = [obj.get(k) for k in ("preferred_output", "non_preferred_output")]
        answer = max((count_messages(enc, o) for o in outs if isinstance(o, list)), default=REPLY_PRIMING)
        return base + answer
    if kind is Kind.LEGACY:
        return sum(_n(enc, obj[k]) for k in ("prompt", "completion") if isinstance(obj.get(k), str))
    return 0


def chat_plan(enc: tiktoken.Encoding, obj: Any) -> tuple[int, list[str]] | None:
    """A plain chat example split into (tokens of everything but its long texts, the long texts).

    ``plan[0] + sum(len(encode(t)) for t in plan[1])`` equals ``count_example`` exactly; None when the
    example has anything but text messages (tools, parts, tool calls), which count_example handles.
    """
    if detect_kind(obj) is not Kind.CHAT or "tools" in obj:
        return None
    msgs = obj.get("messages")
    if not isinstance(msgs, list):
        return None
    short = _short_cache(enc)
    const, texts = REPLY_PRIMING, []
    for msg in msgs:
        if not isinstance(msg, dict):
            return None
        const += TOKENS_PER_MESSAGE
        for key, value in msg.items():
            if type(value) is not str:
                if key == "weight":
                    continue
                return None
            if len(value) > _SHORT:
                texts.append(value)
            else:
                hit = short.get(value)
                const += hit if hit is not None else _n(enc, value)
            if key == "name":
                const += TOKENS_PER_NAME
    return const, texts


_encode_helper: ThreadPoolExecutor | None = None


def _encode_lengths(enc: tiktoken.Encoding, texts: list[str]) -> list[int]:
    """Token counts of many texts, split over this thread and one helper: tiktoken releases the GIL
    while it encodes, so two threads count almost twice as fast on a multi-core machine."""
    global _encode_helper
    encode = enc.encode_ordinary
    if len(texts) < 64:
        return [len(encode(t)) for t in texts]
    if _encode_helper is None:
        _encode_helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tokens")
    half = len(texts) // 2
    other = _encode_helper.submit(lambda part: [len(encode(t)) for t in part], texts[half:])
    mine = [len(encode(t)) for t in texts[:half]]
    return mine + other.result()


class TokenCounter:
    """Counts per example, cached by (encoding, content hash) so unchanged examples cost nothing."""

    def __init__(self, encoding_name: str) -> None:
        self.encoding_name = encoding_name
        self._cache: dict[str, int] = {}

    @property
    def encoding(self) -> tiktoken.Encoding:
        # Loaded on first use (about half a second), so creating a counter on the GUI thread is free
        # and the loading happens in whichever background task counts first.
        return get_encoding(self.encoding_name)

    @classmethod
    def for_model(cls, model: str) -> TokenCounter:
        return cls(encoding_name_for(model))

    def count(self, obj: Any, digest: str | None = None) -> int:
        key = digest or content_hash(obj)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = count_example(self.encoding, obj)
        return hit

    def count_many(self, objs: list[Any], digests: list[str | None]) -> list[int]:
        """``count`` for a batch: plain chat examples have their texts encoded together (two threads)."""
        enc = self.encoding
        results: list[int | None] = [None] * len(objs)
        plans: list[tuple[int, int, int, str]] = []  # (index, const, n texts, cache key)
        texts: list[str] = []
        for i, (obj, digest) in enumerate(zip(objs, digests, strict=True)):
            key = digest or content_hash(obj)
            hit = self._cache.get(key)
            if hit is not None:
                results[i] = hit
                continue
            plan = chat_plan(enc, obj)
            if plan is None:
                results[i] = self._cache[key] = count_example(enc, obj)
            else:
                plans.append((i, plan[0], len(plan[1]), key))
                texts.extend(plan[1])
        lengths = _encode_lengths(enc, texts)
        pos = 0
        for i, const, n, key in plans:
            results[i] = self._cache[key] = const + sum(lengths[pos:pos + n])
            pos += n
        return results  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._cache)
