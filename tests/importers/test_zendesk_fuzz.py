"""Damaged or odd exports: the importer either imports or fails with ImportFailed, never crashes,
and what it produces always keeps its promises."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.formats import turn_count
from workbench.core.importers import zendesk
from workbench.core.importers.base import ImportFailed, ImportReport

SECRET = "INTERNAL-NOTE-SECRET"

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=8))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
ids = st.one_of(st.integers(1, 4), st.sampled_from(["1", "2", "x"]), json_values)
texts = st.one_of(
    st.sampled_from([
        "Hello, my order is late.", "Thanks!", "On Tue, 3 Mar 2020 at 10:00, Jane <j@x.com> wrote:\n> old",
        "Done.\n-- \nJane", "<p>html</p>", "", "   ", "##- Please type your reply above this line -##",
    ]),
    st.text(max_size=40),
    json_values,
)


@st.composite
def comments(draw):
    public = draw(st.one_of(st.booleans(), json_values))
    c = {
        "id": draw(ids),
        "author_id": draw(ids),
        "public": public,
        "body": SECRET if public is False else draw(texts),
    }
    for key in ("plain_body", "html_body", "via", "metadata", "type"):
        if draw(st.booleans()):
            c[key] = draw(st.one_of(texts, json_values, st.just({"channel": "rule"}), st.just("Comment")))
    return c


@st.composite
def tickets(draw):
    t = {"id": draw(ids), "subject": draw(texts), "comments": draw(st.lists(comments(), max_size=5))}
    for key, values in (
        ("status", st.sampled_from(["solved", "closed", "open", "Deleted", "Solved", None])),
        ("requester_id", ids),
        ("tags", st.one_of(st.lists(st.sampled_from(["spam", "vip", "a"]), max_size=2), json_values)),
        ("via", st.one_of(st.just({"channel": "email"}), json_values)),
        ("satisfaction_rating", st.one_of(st.just({"score": "good"}), json_values)),
        ("created_at", st.one_of(st.just("2024-03-01T00:00:00Z"), json_values)),
        ("requester", json_values),
        ("assignee", st.one_of(st.just({"id": 2, "signature": "Jane"}), json_values)),
        ("collaborators", json_values),
    ):
        if draw(st.booleans()):
            t[key] = draw(values)
    return t


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tickets(), min_size=1, max_size=4), st.sampled_from([set(), {"solved"}]), st.sampled_from(["any", "good"]))
def test_odd_tickets_never_crash(ticket_list, statuses, csat):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        path.write_text("".join(json.dumps(t) + "\n" for t in ticket_list), encoding="utf-8")
        report = ImportReport()
        options = zendesk.ZendeskOptions(statuses=statuses, csat=csat, system_prompt="{subject} {nope}")
        try:
            items = list(zendesk.run([path], options, report))
        except ImportFailed:
            return
    assert report.produced == len(items)
    assert report.produced + sum(d.count for d in report.dropped.values()) == report.items_read
    for item in items:
        msgs = [m for m in item.example["messages"] if m["role"] != "system"]
        assert msgs[0]["role"] == "user" and msgs[-1]["role"] == "assistant"
        assert turn_count(item.example) == len(msgs)
        assert all(isinstance(m["content"], str) and m["content"] for m in msgs)
        assert SECRET not in json.dumps(item.example)
