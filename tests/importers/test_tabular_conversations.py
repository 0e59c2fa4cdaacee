"""Rows sharing a conversation id become one multi-turn conversation."""

from __future__ import annotations

from tests.importers.tabular_files import mapped, run_import, write_text

THREADS = (
    "Ticket ID,Turn,Customer,Agent,Tags\n"
    "T1,2,And when will it arrive?,On Friday.,shipping\n"  # out of order on purpose
    "T2,1,Refund please,,billing\n"
    "T1,1,Where is my parcel?,It left the warehouse.,vip\n"
    "T2,2,Hello??,Refund sent.,\n"
    "T3,1,Anyone there?,,\n"
    "T1,3,Thanks!,,\n"
    ",1,orphan,row,\n"
)


def _options():
    return mapped(customer="Customer", agent="Agent", conversation_id="Ticket ID", order="Turn", tags="Tags")


def _by_id(items):
    return {i.source["conversation_id"]: i for i in items}


def test_rows_are_grouped_by_id_and_ordered_by_the_order_column(tmp_path):
    path = write_text(tmp_path, "threads.csv", THREADS)
    items, report = run_import(path, _options())
    t1 = _by_id(items)["T1"]
    assert t1.example["messages"] == [
        {"role": "user", "content": "Where is my parcel?"},
        {"role": "assistant", "content": "It left the warehouse."},
        {"role": "user", "content": "And when will it arrive?"},
        {"role": "assistant", "content": "On Friday."},
    ]
    assert t1.source == {"file": str(path), "rows": [4, 2, 7], "conversation_id": "T1", "format": "csv"}
    assert t1.tags == ["vip", "shipping"]
    assert report.items_read == 7


def test_empty_cells_add_no_message_so_the_conversation_goes_on(tmp_path):
    path = write_text(tmp_path, "threads.csv", THREADS)
    items, _ = run_import(path, _options())
    assert [m["content"] for m in _by_id(items)["T2"].example["messages"]] == ["Refund please", "Hello??", "Refund sent."]


def test_what_is_left_out_is_in_the_report(tmp_path):
    path = write_text(tmp_path, "threads.csv", THREADS)
    items, report = run_import(path, _options())
    assert sorted(_by_id(items)) == ["T1", "T2"]
    assert report.dropped["no agent reply"].first_ids == ["conversation T3"]
    assert report.dropped["empty conversation id"].first_ids == ["row 8"]
    # T1's closing "Thanks!" has no reply to learn from
    assert report.comments_dropped["customer message after the last agent reply"].first_ids == ["row 7"]
    assert report.produced == 2


def test_without_an_order_column_file_order_is_kept(tmp_path):
    text = "conversation_id,question,answer\nA,q1,a1\nB,x,y\nA,q2,a2\n"
    path = write_text(tmp_path, "c.csv", text)
    items, report = run_import(path)  # all three columns guessed from their names
    assert [[m["content"] for m in i.example["messages"]] for i in items] == [["x", "y"], ["q1", "a1", "q2", "a2"]]
    assert any("conversation_id = 'conversation_id'" in n for n in report.notes)


def test_numeric_order_sorts_as_numbers_and_text_order_as_text(tmp_path):
    text = (
        "id,n,question,answer\n"
        "A,10,third,r3\nA,9,second,r2\nA,,last,r4\nA,1,first,r1\n"
        "B,2024-01-02 10:00,later,l\nB,2024-01-01 09:00,earlier,e\n"
    )
    path = write_text(tmp_path, "o.csv", text)
    items, _ = run_import(path, mapped(customer="question", agent="answer", conversation_id="id", order="n"))
    users = {i.source["conversation_id"]: [m["content"] for m in i.example["messages"] if m["role"] == "user"] for i in items}
    assert users == {"A": ["first", "second", "third", "last"], "B": ["earlier", "later"]}


def test_a_conversation_without_any_customer_message_is_reported(tmp_path):
    path = write_text(tmp_path, "c.csv", 'id,question,answer\nA,,"Hello, how can I help?"\n')
    items, report = run_import(path, mapped(customer="question", agent="answer", conversation_id="id"))
    assert items == []
    assert report.dropped["no customer message"].first_ids == ["conversation A"]


def test_system_prompt_comes_from_the_first_row_of_the_conversation(tmp_path):
    text = "id,n,Product,question,answer\nA,2,Gadget,q2,a2\nA,1,Widget,q1,a1\n"
    path = write_text(tmp_path, "s.csv", text)
    options = mapped(customer="question", agent="answer", conversation_id="id", order="n")
    options.system_prompt = "You support the {Product}."
    items, _ = run_import(path, options)
    assert items[0].example["messages"][0] == {"role": "system", "content": "You support the Widget."}
