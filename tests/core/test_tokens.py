"""Offline token counts: shipped encodings (sha256-checked, never downloaded), model -> encoding, cookbook counting."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import socket

import pytest
import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public as openai_public
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.builders import dpo, legacy, tool_chat
from workbench.core import tokens
from workbench.core.pricing import encoding_name_for
from workbench.core.resources import resource_path
from workbench.core.tokens import (
    ENCODING_FILES,
    TokenCounter,
    TokenizerFileError,
    count_example,
    count_messages,
    count_tools,
    encoding_for_model,
    get_encoding,
)

BLOB = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"
NAMES = sorted(ENCODING_FILES)


def _refuse_network(self, address):
    raise OSError(f"network access attempted in a test: {address!r}")


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    """tiktoken's own encodings, built offline: its download cache is pre-filled with the shipped files."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    for name in NAMES:
        key = hashlib.sha1(BLOB.format(name).encode()).hexdigest()  # tiktoken.load.read_file_cached's cache key
        shutil.copy(resource_path("tokenizers", f"{name}.tiktoken"), cache / key)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", str(cache))
        mp.setattr(socket.socket, "connect", _refuse_network)
        return {name: tiktoken.get_encoding(name) for name in NAMES}


@pytest.fixture
def fresh_encodings():
    """get_encoding is cached; make a test load the files for real, and leave no test's copy behind."""
    get_encoding.cache_clear()
    yield
    get_encoding.cache_clear()


# --- loading --------------------------------------------------------------------------------------


def test_encodings_load_with_the_network_blocked(monkeypatch, tmp_path, fresh_encodings):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network disabled")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))  # an empty download cache
    read = []
    real_read = tiktoken.load.read_file
    monkeypatch.setattr(tiktoken.load, "read_file", lambda path: (read.append(path), real_read(path))[1])

    for name in NAMES:
        enc = get_encoding(name)
        assert enc.name == name
        assert enc.decode(enc.encode_ordinary("Where is my parcel? 📦")) == "Where is my parcel? 📦"
    assert encoding_for_model("ft:gpt-4.1-mini-2025-04-14:acme:support:9xYz").name == "o200k_base"
    assert attempts == []
    assert not [p for p in read if "://" in p]


def test_loading_does_not_depend_on_tiktokens_download_cache(monkeypatch, tmp_path, fresh_encodings):
    """The shipped files are read directly; a TIKTOKEN_CACHE_DIR that cannot be written must not matter."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(blocker / "cache"))
    for name in NAMES:
        assert get_encoding(name).encode_ordinary("hello") == [get_encoding(name).encode_single_token("hello")]


def test_a_damaged_tokenizer_file_is_refused_with_a_plain_message(monkeypatch, tmp_path, fresh_encodings):
    folder = tmp_path / "tokenizers"
    folder.mkdir()
    data = bytearray(resource_path("tokenizers", "o200k_base.tiktoken").read_bytes())
    data[1000:1004] = b"AAAA"  # a few bytes changed in the middle: still parseable, but not the real ranks
    (folder / "o200k_base.tiktoken").write_bytes(bytes(data))
    monkeypatch.setattr(tokens, "resource_path", lambda *parts: tmp_path.joinpath(*parts))

    with pytest.raises(TokenizerFileError) as err:
        get_encoding("o200k_base")
    message = str(err.value)
    assert "damaged" in message and "Reinstall" in message
    assert str(folder / "o200k_base.tiktoken") in message


def test_a_missing_tokenizer_file_is_refused_with_a_plain_message(monkeypatch, tmp_path, fresh_encodings):
    (tmp_path / "tokenizers").mkdir()
    monkeypatch.setattr(tokens, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    with pytest.raises(TokenizerFileError, match="cannot be read.*Reinstall"):
        get_encoding("cl100k_base")


def test_a_wrong_expected_checksum_is_refused(monkeypatch, fresh_encodings):
    wrong = dataclasses.replace(ENCODING_FILES["cl100k_base"], sha256="0" * 64)
    monkeypatch.setitem(ENCODING_FILES, "cl100k_base", wrong)
    with pytest.raises(TokenizerFileError, match="damaged"):
        get_encoding("cl100k_base")


def test_unknown_encoding_name():
    with pytest.raises(KeyError, match="p50k_base"):
        get_encoding("p50k_base")


@pytest.mark.parametrize("name", NAMES)
def test_shipped_files_match_tiktokens_own_definition(monkeypatch, name):
    """Same sha256, split pattern and special tokens as tiktoken_ext.openai_public defines."""
    seen = {}

    def capture(url, expected_hash=None):
        seen["url"], seen["hash"] = url, expected_hash
        return {}

    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", capture)
    definition = getattr(openai_public, name)()
    ours = ENCODING_FILES[name]
    assert seen["url"] == BLOB.format(name)
    assert ours.sha256 == seen["hash"]
    assert hashlib.sha256(resource_path("tokenizers", ours.filename).read_bytes()).hexdigest() == seen["hash"]
    assert ours.pat_str == definition["pat_str"]
    assert ours.special_tokens == definition["special_tokens"]


# --- model -> encoding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4.1", "o200k_base"),
        ("gpt-4.1-2025-04-14", "o200k_base"),
        ("gpt-4.1-mini", "o200k_base"),
        ("gpt-4.1-nano-2025-04-14", "o200k_base"),
        ("ft:gpt-4.1-mini-2025-04-14:org:suffix:id", "o200k_base"),  # tiktoken itself says cl100k_base here
        ("ft:gpt-4.1-2025-04-14:acme::BhXb7Lm2", "o200k_base"),
        ("ft:gpt-4.1-nano-2025-04-14:acme:faq:AbCd:ckpt-step-40", "o200k_base"),
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-2024-08-06", "o200k_base"),
        ("gpt-4o-2024-11-20", "o200k_base"),  # an unlisted dated snapshot of a known family
        ("gpt-4o-mini", "o200k_base"),
        ("ft:gpt-4o-mini-2024-07-18:acme::abc123", "o200k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("gpt-3.5-turbo-0613", "cl100k_base"),
        ("ft:gpt-3.5-turbo-0125:acme::xyz", "cl100k_base"),
        ("babbage-002", "cl100k_base"),
        ("davinci-002", "cl100k_base"),
        ("ft:davinci-002:acme:legacy:1a2b", "cl100k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4-0613", "cl100k_base"),
        ("  gpt-4.1-mini  ", "o200k_base"),
    ],
)
def test_model_to_encoding(model, encoding):
    assert encoding_name_for(model) == encoding
    assert encoding_for_model(model).name == encoding
    assert TokenCounter.for_model(model).encoding.name == encoding


# --- counts equal tiktoken's ----------------------------------------------------------------------

TRICKY = [
    "",
    "Hello, world!",
    "Where's my order? I've waited 3 weeks and you'll refund it, won't you?",
    "I'M SHOUTING BECAUSE IT'S BROKEN",
    "emoji 👍🏽👨‍👩‍👧‍👦 🇳🇴 ❤️",
    "中文客服：您的订单已发货。日本語のテキスト、한국어 텍스트",
    "Arabic: طلبك في الطريق. Hebrew: ההזמנה שלך בדרך",
    "<|endoftext|> and <|endofprompt|> and <|fim_prefix|> typed by a customer",
    "    four spaces\n\n\n\ttabs\t\t and   runs   \r\n\r\n   ",
    " " * 100,
    "\n" * 50,
    "1234567890 3.14159 -0.5 1e10 0x1F",
    "naïve café résumé Ångström e\u0301",
    "https://example.com/path?q=1&r=2#frag // C:\\Users\\x",
    '{"json": ["in", "text"], "n": null}',
    "a" * 3000,
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("text", TRICKY)
def test_token_ids_equal_tiktokens_on_tricky_text(official, name, text):
    assert get_encoding(name).encode_ordinary(text) == official[name].encode_ordinary(text)
    assert tokens._n(get_encoding(name), text) == len(official[name].encode_ordinary(text))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_token_ids_equal_tiktokens_on_any_text(official, text):
    for name in NAMES:
        assert get_encoding(name).encode_ordinary(text) == official[name].encode_ordinary(text)


# --- cookbook counting ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_chat_count_follows_the_cookbook(official, name):
    enc = official[name]

    def n(text):
        return len(enc.encode_ordinary(text))

    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "name": "alice", "content": "Hi there"},
        {"role": "assistant", "content": "Hello!"},
    ]
    expected = (
        3 + n("system") + n("You are helpful.")
        + 3 + n("user") + n("alice") + 1 + n("Hi there")
        + 3 + n("assistant") + n("Hello!")
        + 3  # every reply is primed with <|start|>assistant<|message|>
    )
    assert expected == 25  # 9 per-message + 5 + 5 (1 for the name) + 3 + 3 priming
    assert count_messages(get_encoding(name), messages) == expected
    assert count_example(get_encoding(name), {"messages": messages}) == expected
    # weight is training metadata: it is not text the model reads.
    weighted = [*messages[:2], {**messages[2], "weight": 1}]
    assert count_messages(get_encoding(name), weighted) == expected


def test_tool_calls_and_tools_are_counted(official):
    enc = official["o200k_base"]

    def n(text):
        return len(enc.encode_ordinary(text))

    obj = tool_chat()
    msgs = obj["messages"]
    expected_messages = (
        3 + n("system") + n("You help with orders.")
        + 3 + n("user") + n("alice") + 1 + n("Where is order 42?")
        + 3 + n("assistant") + n("get_order") + n('{"id": 42}')  # content null: nothing
        + 3 + n("tool") + n("call_1") + n('{"status": "shipped"}')
        + 3 + n("assistant") + n("Order 42 has shipped.")
        + 3
    )
    assert count_messages(get_encoding("o200k_base"), msgs) == expected_messages
    # cookbook num_tokens_for_tools, gpt-4o constants: func_init 7, prop_init 3, prop_key 3, func_end 12
    expected_tools = 7 + n("get_order:Look up an order") + 3 + 3 + n("id:integer:") + 12
    assert count_tools(get_encoding("o200k_base"), obj["tools"]) == expected_tools
    assert count_example(get_encoding("o200k_base"), obj) == expected_messages + expected_tools


def test_enum_properties_in_tools(official):
    enc = official["cl100k_base"]

    def n(text):
        return len(enc.encode_ordinary(text))

    tools = [{"type": "function", "function": {"name": "set_status", "description": "Set it.", "parameters": {
        "type": "object", "properties": {"status": {"type": "string", "description": "New status.",
                                                    "enum": ["open", "closed"]}}}}}]
    # cl100k constants: func_init 10, prop_init 3, prop_key 3, enum_init -3, enum_item 3, func_end 12
    expected = 10 + n("set_status:Set it") + 3 + 3 - 3 + 3 + n("open") + 3 + n("closed") + n("status:string:New status") + 12
    assert count_tools(get_encoding("cl100k_base"), tools) == expected


def test_dpo_counts_input_and_the_longer_answer(official):
    enc = official["o200k_base"]
    obj = {
        "input": {"messages": [{"role": "user", "content": "Where is my order?"}]},
        "preferred_output": [{"role": "assistant", "content": "It shipped."}],
        "non_preferred_output": [{"role": "assistant", "content": "Hello! It shipped yesterday, sorry."}],
    }
    n = lambda t: len(enc.encode_ordinary(t))  # noqa: E731
    longer = 3 + n("assistant") + n("Hello! It shipped yesterday, sorry.") + 3
    assert count_example(get_encoding("o200k_base"), obj) == 3 + n("user") + n("Where is my order?") + longer


def test_legacy_counts_prompt_and_completion(official):
    enc = official["cl100k_base"]
    obj = legacy(5)
    expected = len(enc.encode_ordinary(obj["prompt"])) + len(enc.encode_ordinary(obj["completion"]))
    assert count_example(get_encoding("cl100k_base"), obj) == expected


def test_special_token_text_is_counted_as_text_not_refused(official):
    obj = {"messages": [{"role": "user", "content": "<|endoftext|>"}, {"role": "assistant", "content": "ok"}]}
    enc = get_encoding("o200k_base")
    special_text = len(official["o200k_base"].encode_ordinary("<|endoftext|>"))
    assert special_text > 1  # as text it is several tokens, not the one special token
    assert count_example(enc, obj) == 3 + 1 + special_text + 3 + 1 + 1 + 3


def test_counter_caches_by_content_and_recounts_changes():
    counter = TokenCounter("o200k_base")
    a = dpo(1)
    first = counter.count(a)
    reordered = {k: a[k] for k in reversed(list(a))}
    assert counter.count(reordered) == first
    assert len(counter) == 1
    b = dpo(1)
    b["preferred_output"][0]["content"] += " Just send it back with the label, free of charge."
    assert counter.count(b) > first
    assert len(counter) == 2


def test_unknown_format_costs_nothing():
    assert count_example(get_encoding("o200k_base"), {"text": "hello"}) == 0
