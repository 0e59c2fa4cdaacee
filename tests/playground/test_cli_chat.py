"""`workbench chat` end to end against the stand-in."""

from __future__ import annotations

from tests.playground.conftest import PRICED, WORDS, by_model
from workbench.cli import main

BASE, NANO = "gpt-4o-mini", "gpt-4.1-nano-2025-04-14"


def test_answers_are_printed_one_after_another_with_their_facts(standin, capsys):
    standin.responder = by_model({BASE: "Base answer.", NANO: "Nano answer."})
    code = main(["chat", "--model", BASE, "--model", NANO, "--base-url", standin.base_url,
                 "--system", "Be brief.", "--temperature", "0.5", "--max-tokens", "50", "Where is my order?"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.index(f"=== {BASE} ===\nBase answer.\n--- first token ") < out.index(f"=== {NANO} ===\nNano answer.")
    usage = standin.requests_to("/chat/completions")[0].response[-1]["usage"]  # what the server reported
    assert out.count(f"tokens {usage['prompt_tokens']} in / {usage['completion_tokens']} out, ") == 2
    assert out.count("cost unknown") == 2  # a bare local base URL: OpenAI's prices do not apply
    sent = [e.json for e in standin.requests_to("/chat/completions")]
    assert all(s["messages"][0] == {"role": "system", "content": "Be brief."} and s["temperature"] == 0.5
               and s["max_tokens"] == 50 for s in sent)


def test_a_profile_prices_the_answers(standin, profiles, capsys):
    assert main(["chat", "--model", BASE, "--profile", PRICED, "hello"]) == 0
    out = capsys.readouterr().out
    assert "Echo: hello" in out and "cost $0.0000" in out


def test_a_broken_stream_shows_its_error_and_what_arrived_and_exits_1(standin, capsys):
    standin.responder = lambda r: WORDS
    standin.faults.break_stream(model=NANO, after_chunks=3)
    code = main(["chat", "--model", BASE, "--model", NANO, "--base-url", standin.base_url, "hi"])
    out = capsys.readouterr().out
    assert code == 1
    first, second = out.split(f"=== {NANO} ===")
    assert WORDS in first and "FAILED" not in first
    assert second.startswith("\nw0 w1\n--- (the answer above is incomplete)\n--- FAILED: The connection broke off")
    assert "tokens" in second.splitlines()[-1]


def test_bad_command_lines_get_a_message_and_exit_2(standin, capsys):
    too_many = [arg for m in ("a", "b", "c", "d", "e") for arg in ("--model", m)]
    assert main(["chat", *too_many, "--base-url", standin.base_url, "hi"]) == 2
    assert "at most 4 models" in capsys.readouterr().err
    assert main(["chat", "--model", BASE, "--temperature", "3", "--base-url", standin.base_url, "hi"]) == 2
    assert "Temperature goes from 0 to 2" in capsys.readouterr().err
    assert main(["chat", "--model", BASE, "--profile", "Nope", "hi"]) == 2
    assert "There is no profile named 'Nope'" in capsys.readouterr().err
    assert main(["chat", "--model", BASE, "--base-url", standin.base_url, "  "]) == 2
    assert standin.requests_to("/chat/completions") == []


def test_an_openai_profile_without_a_key_says_how_to_add_one(monkeypatch, capsys):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert main(["chat", "--model", BASE, "hi"]) == 2
    err = capsys.readouterr().err
    assert "no API key for the profile 'OpenAI'" in err and "workbench keys set OpenAI" in err
