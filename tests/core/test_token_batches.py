"""Batched counting (two threads, plans for plain chat) gives exactly count_example's numbers."""

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.tokens import TokenCounter, chat_plan, count_example, get_encoding

ROLES = st.sampled_from(["system", "user", "assistant"])
TEXT = st.text(min_size=0, max_size=120)
MESSAGE = st.fixed_dictionaries({"role": ROLES, "content": TEXT},
                                optional={"name": st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
                                          "weight": st.sampled_from([0, 1])})
CHAT = st.builds(lambda ms: {"messages": ms}, st.lists(MESSAGE, min_size=1, max_size=6))

ODD = [
    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": None,
                   "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}]},
    {"messages": [{"role": "user", "content": [{"type": "text", "text": "look at this long text " * 5}]},
                  {"role": "assistant", "content": "ok"}],
     "tools": [{"type": "function", "function": {"name": "lookup", "description": "Find an order.",
                                                  "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}}]},
    {"input": {"messages": [{"role": "user", "content": "Which plan?"}]},
     "preferred_output": [{"role": "assistant", "content": "Pro, because you sync many devices."}],
     "non_preferred_output": [{"role": "assistant", "content": "Any."}]},
    {"prompt": "Where is my order? ->", "completion": " It ships tomorrow. END"},
]


@settings(max_examples=60, deadline=None)
@given(st.lists(CHAT, min_size=1, max_size=120))
def test_batched_counts_equal_single_counts(examples):
    for name in ("o200k_base", "cl100k_base"):
        enc = get_encoding(name)
        objs = examples + ODD
        batched = TokenCounter(name).count_many(objs, [None] * len(objs))
        assert batched == [count_example(enc, o) for o in objs]


def test_only_plain_chat_is_planned():
    enc = get_encoding("o200k_base")
    assert chat_plan(enc, {"messages": [{"role": "user", "content": "x" * 40}]}) is not None
    assert all(chat_plan(enc, o) is None for o in ODD)
