"""Replacing findings with typed placeholders, numbered consistently within a conversation."""

import copy

from tests.pii.helpers import chat
from workbench.core.pii import Detector, PiiSettings, findings_in, placeholders_for, redact_example


def _redact(example, *, numbered=False, names=(), region="US", **settings):
    detector = Detector(PiiSettings(region=region, **settings))
    return redact_example(example, findings_in(1, example, detector, names), numbered=numbered)


def test_plain_placeholders_by_kind():
    ex = chat("Mail carla@example.com or call (415) 555-0132.", "Thanks, I wrote to carla@example.com.")
    new, counts, skipped = _redact(ex)
    assert new["messages"][1]["content"] == "Mail [EMAIL] or call [PHONE]."
    assert new["messages"][2]["content"] == "Thanks, I wrote to [EMAIL]."
    assert counts == {"EMAIL": 2, "PHONE": 1} and skipped == 0


def test_numbered_same_value_same_number_across_messages():
    ex = chat("I'm Carla Moreno, mail carla@example.com or CARLA@Example.com; my husband is dan@example.com.",
              "Hi Carla, I wrote to carla@example.com and dan@example.com.",
              "Call +44 20 7946 0958 (that is 020 7946 0958 from the UK).")
    new, counts, _ = _redact(ex, numbered=True, names=("Carla Moreno",), region="GB")
    user, agent, user2 = (m["content"] for m in new["messages"][1:])
    assert user == "I'm [NAME_1], mail [EMAIL_1] or [EMAIL_1]; my husband is [EMAIL_2]."
    assert agent == "Hi [NAME_1], I wrote to [EMAIL_1] and [EMAIL_2]."
    assert user2 == "Call [PHONE_1] (that is [PHONE_1] from the UK)."
    assert counts == {"NAME": 2, "EMAIL": 5, "PHONE": 2}


def test_numbering_restarts_per_conversation_and_continues_after_earlier_redactions():
    first = _redact(chat("a@example.com b@example.com"), numbered=True)[0]
    second = _redact(chat("b@example.com"), numbered=True)[0]
    assert first["messages"][1]["content"] == "[EMAIL_1] [EMAIL_2]"
    assert second["messages"][1]["content"] == "[EMAIL_1]"
    again = _redact(chat("[EMAIL_1] [EMAIL_2] wrote from c@example.com"), numbered=True)[0]
    assert again["messages"][1]["content"] == "[EMAIL_1] [EMAIL_2] wrote from [EMAIL_3]"


def test_only_content_changes_and_the_input_is_not_modified():
    ex = {"messages": [
        {"role": "system", "content": "Support for carla@example.com's team."},
        {"role": "user", "name": "carla", "content": [{"type": "text", "text": "I am carla@example.com"},
                                                     {"type": "image_url", "image_url": {"url": "https://x.example/a@b.png"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": "{\"email\": \"carla@example.com\"}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "carla@example.com: plan Pro"},
        {"role": "assistant", "content": "You are on Pro.", "weight": 1},
    ], "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {}}}]}
    before = copy.deepcopy(ex)
    new, counts, _ = _redact(ex)
    assert ex == before
    assert new["messages"][0]["content"] == "Support for [EMAIL]'s team."
    assert new["messages"][1]["content"][0] == {"type": "text", "text": "I am [EMAIL]"}
    assert new["messages"][1]["content"][1] == before["messages"][1]["content"][1]
    assert new["messages"][2] == before["messages"][2]  # tool call arguments are structure, not text
    assert new["messages"][3]["content"] == "[EMAIL]: plan Pro"
    assert new["messages"][4] == before["messages"][4] and new["tools"] == before["tools"]
    assert counts == {"EMAIL": 3}


def test_preference_examples_redact_input_and_both_outputs():
    ex = {"input": {"messages": [{"role": "user", "content": "I'm at 415-555-0132"}]},
          "preferred_output": [{"role": "assistant", "content": "We'll call 415-555-0132."}],
          "non_preferred_output": [{"role": "assistant", "content": "Call us, not 415-555-0132."}]}
    new, counts, _ = _redact(ex, numbered=True)
    assert new["input"]["messages"][0]["content"] == "I'm at [PHONE_1]"
    assert new["preferred_output"][0]["content"] == "We'll call [PHONE_1]."
    assert new["non_preferred_output"][0]["content"] == "Call us, not [PHONE_1]."
    assert counts == {"PHONE": 3}


def test_legacy_prompt_completion():
    new, counts, _ = _redact({"prompt": "Email: carla@example.com ->", "completion": " Done for carla@example.com END"})
    assert new == {"prompt": "Email: [EMAIL] ->", "completion": " Done for [EMAIL] END"}


def test_a_finding_whose_text_changed_since_the_scan_is_skipped():
    ex = chat("Mail carla@example.com or dan@example.com")
    findings = findings_in(1, ex, Detector(PiiSettings(region="US")))
    edited = chat("Mail carla@example.org or dan@example.com")
    new, counts, skipped = redact_example(edited, findings)
    assert new["messages"][1]["content"] == "Mail carla@example.org or [EMAIL]"
    assert counts == {"EMAIL": 1} and skipped == 1


def test_the_review_can_show_what_each_finding_becomes():
    ex = chat("[EMAIL_1] wrote; now b@example.com and a@example.com, again b@example.com")
    findings = findings_in(1, ex, Detector(PiiSettings(region="US")))
    shown = placeholders_for(findings, numbered=True, texts=[m["content"] for m in ex["messages"]])
    assert [shown[f.key] for f in findings] == ["[EMAIL_2]", "[EMAIL_3]", "[EMAIL_2]"]
    assert set(placeholders_for(findings).values()) == {"[EMAIL]"}
