"""Greetings and sign-offs: found precisely, grouped into families, standardised in one undo step."""

import pytest

from tests.quality.helpers import add, convo, records
from workbench.core.quality import WorkspaceRecords, find_variants, standardise, standardise_example
from workbench.core.quality.phrases import fill, find_greeting, find_sign_off


@pytest.mark.parametrize(("text", "form", "name"), [
    ("Hi Anna,\n\nYour order shipped.", "Hi {name},", "Anna"),
    ("Hello! I can help.", "Hello!", ""),
    ("Dear Mr. Smith,\nYes.", "Dear {name},", "Mr. Smith"),
    ("Hi there, thanks for writing.", "Hi there,", ""),
    ("Helo Tom,\nDone.", "Helo {name},", "Tom"),  # a misspelling
])
def test_greetings_found(text, form, name):
    span = find_greeting(text)
    assert (span.form, span.name) == (form, name)
    assert text[span.start:span.end].startswith(form.split(" ")[0].rstrip(",!"))


@pytest.mark.parametrize("text", ["Hello there how are you", "Thanks for your patience.", "Hi I can help you with that today",
                                  "Your order shipped.", ""])
def test_not_greetings(text):
    assert find_greeting(text) is None


@pytest.mark.parametrize(("text", "form", "name"), [
    ("Your order shipped.\n\nBest regards,\nAnna", "Best regards,\n{name}", "Anna"),
    ("Done.\nKind regards, Tom", "Kind regards, {name}", "Tom"),
    ("Done. Let me know. Cheers!", "Cheers!", ""),
    ("Done.\n\nThanks,\nThe Acme Support Team\n", "Thanks,\n{name}", "The Acme Support Team"),
    ("ok\nBest reagrds,\nAnna", "Best reagrds,\n{name}", "Anna"),
    ("See you.\nThanks again!", "Thanks again!", ""),
])
def test_sign_offs_found(text, form, name):
    span = find_sign_off(text)
    assert (span.form, span.name) == (form, name)
    assert span.end == len(text.rstrip())


@pytest.mark.parametrize("text", ["Thanks for your patience.", "Best practice is to restart.",
                                  "It is done. Thank you for contacting us.", "Regards to the team are not a sign-off here"])
def test_not_sign_offs(text):
    assert find_sign_off(text) is None


def test_fill_carries_the_name_over_or_drops_it_cleanly():
    assert fill("Best regards,\n{name}", "Anna") == "Best regards,\nAnna"
    assert fill("Hello {name},", "") == "Hello,"
    assert fill("Kind regards", "Anna") == "Kind regards"


def _replies():
    return [
        convo("q1", "Hi Anna,\n\nYour parcel left today.\n\nBest regards,\nJane"),
        convo("q2", "Hello Tom,\nThe refund is done.\n\nKind regards,\nSam"),
        convo("q3", "Hi Priya,\nYour plan is upgraded. Cheers!"),
        convo("q4", "The invoice is attached.\n\nBest Regards,\nJane"),
        convo("q5", "We fixed it.\n\nBest reagrds,\nSam"),
        convo("q6", "No greeting and no sign-off here."),
    ]


def test_variants_are_counted_and_grouped_into_families():
    report = find_variants(records(_replies()))
    assert report.examples == 6 and report.replies == 6
    greetings = report.of_kind("greeting")
    assert [(f.label, f.count) for f in greetings] == [("Hi {name},", 2), ("Hello {name},", 1)]
    sign_offs = report.of_kind("sign-off")
    best = sign_offs[0]
    assert best.label == "Best regards,\n{name}" and best.count == 3
    assert {v.key for v in best.variants} == {"best regards", "best reagrds"}
    assert best.example_ids == (1, 4, 5)
    assert {f.label for f in sign_offs[1:]} == {"Kind regards,\n{name}", "Cheers!"}
    assert report.to_json()["families"][0]["variants"][0]["example_ids"] == [1, 3]


def test_standardise_replaces_only_the_span():
    report = find_variants(records(_replies()))
    targets = report.of_kind("sign-off")
    data = _replies()[0]
    new, n = standardise_example(data, targets, "Best regards,\n{name}\nAcme Support")
    assert n == 1
    assert new["messages"][2]["content"] == "Hi Anna,\n\nYour parcel left today.\n\nBest regards,\nJane\nAcme Support"
    assert data["messages"][2]["content"].endswith("Jane")  # the input is not changed
    cheers = _replies()[2]
    new, _ = standardise_example(cheers, targets, "Best regards")
    assert new["messages"][2]["content"] == "Hi Priya,\nYour plan is upgraded. Best regards"
    untouched = _replies()[5]
    assert standardise_example(untouched, targets, "X") == (untouched, 0)


def test_removing_a_greeting_with_an_empty_replacement():
    report = find_variants(records(_replies()), kinds=["greeting"])
    assert {f.kind for f in report.families} == {"greeting"}
    new, n = standardise_example(_replies()[1], report.families, "")
    assert n == 1 and new["messages"][2]["content"] == "The refund is done.\n\nKind regards,\nSam"
    with pytest.raises(ValueError):
        find_variants(records(_replies()), kinds=["farewell"])


def test_dpo_outputs_are_scanned_and_rewritten():
    dpo = {"input": {"messages": [{"role": "user", "content": "Hi"}]},
           "preferred_output": [{"role": "assistant", "content": "Sure.\n\nCheers!"}],
           "non_preferred_output": [{"role": "assistant", "content": "No.\n\nCheers!"}]}
    report = find_variants(records([dpo]))
    new, n = standardise_example(dpo, report.families, "Kind regards")
    assert n == 2 and new["preferred_output"][0]["content"] == "Sure.\n\nKind regards"


def test_standardising_a_workspace_is_one_undo_step(ws):
    ids = add(ws, _replies())
    before = {i: ws.get(i).data for i in ids}
    report = find_variants(WorkspaceRecords(ws), kinds=["sign-off"])
    changed = standardise(ws, report.families, "Kind regards,\n{name}")
    assert changed == 4  # example 2 already signs off that way
    assert ws.get(ids[0]).data["messages"][2]["content"].endswith("\n\nKind regards,\nJane")
    assert ws.get(ids[2]).data["messages"][2]["content"] == "Hi Priya,\nYour plan is upgraded. Kind regards,"
    assert ws.get(ids[5]).data == before[ids[5]]
    assert ws.undo_label() == "Standardise sign-offs in 4 examples"
    ws.undo()
    assert {i: ws.get(i).data for i in ids} == before
    ws.redo()
    assert ws.get(ids[4]).data["messages"][2]["content"].endswith("Kind regards,\nSam")
    # Nothing left to change: no new undo step.
    assert standardise(ws, find_variants(WorkspaceRecords(ws), kinds=["sign-off"]).families[0], "Kind regards,\n{name}") == 0
