"""The Playground's small widgets: a streaming answer's text, the answer details, service addresses."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

from workbench.core.playground.answer import DONE, FAILED, Answer, ChatTarget
from workbench.ui.playground.bubbles import AnswerBubble, StreamText
from workbench.ui.playground.metrics_text import answer_metrics
from workbench.ui.playground.targets import TargetPicker, display_model, safe_url

LONG = " ".join(f"word{i}" for i in range(900))  # one paragraph of about 7,000 characters


def _lines(edit: QPlainTextEdit) -> list[str]:
    """The text as laid out, one string per visual line."""
    found, block = [], edit.document().firstBlock()
    while block.isValid():
        layout = block.layout()
        found += [block.text()[layout.lineAt(i).textStart():][:layout.lineAt(i).textLength()].rstrip()
                  for i in range(layout.lineCount())]
        block = block.next()
    return found


def test_a_long_paragraph_streamed_in_looks_the_same_and_keeps_its_text(qtbot):
    text = StreamText()
    qtbot.addWidget(text)
    text.setFixedWidth(360)
    text.show()
    for i in range(0, len(LONG), 37):  # arriving piece by piece
        text.append_text(LONG[i:i + 37])
    assert text.text() == LONG and text.length == len(LONG)
    assert text.document().blockCount() > 3, "the growing paragraph was cut for cheap appends"
    reference = QPlainTextEdit(LONG)
    qtbot.addWidget(reference)
    reference.setFixedWidth(360)
    reference.setFont(text.font())
    reference.document().setDocumentMargin(text.document().documentMargin())
    reference.setVerticalScrollBarPolicy(text.verticalScrollBarPolicy())
    reference.setFrameShape(text.frameShape())
    reference.show()
    assert _lines(text) == _lines(reference), "the cuts fall where the lines wrap anyway"

    text.setFixedWidth(300)  # a narrower column: the paragraph is whole again
    qtbot.waitUntil(lambda: text.document().blockCount() == 1)
    assert text.toPlainText() == LONG


def test_an_answer_bubble_grows_while_streaming_then_fits_and_keeps_a_failed_answers_text(qtbot):
    bubble = AnswerBubble(0)
    qtbot.addWidget(bubble)
    bubble.resize(400, 300)
    bubble.show()
    bubble.show_text("The parcel left our warehouse")
    assert bubble.text.growing and not bubble.copy_button.isVisible()
    bubble.show_text("The parcel left our warehouse on Monday and")
    assert bubble.text.text() == "The parcel left our warehouse on Monday and"
    failed = Answer(text="The parcel left our warehouse on Monday and", status=FAILED,
                    error="The connection broke off in the middle of the answer; the part that arrived is kept.")
    bubble.show_answer(failed, pair_possible=True)
    assert not bubble.text.growing
    assert bubble.text.toPlainText() == failed.text
    assert "broke off" in bubble.error.text() and bubble.copy_button.isVisible() and bubble.copy_button.isEnabled()


def test_answer_details_mark_estimates_and_unknown_costs():
    exact = Answer(text="hi", status=DONE, ttft=0.41, total_time=3.2, tokens_in=12, tokens_out=240, cost=0.00012)
    assert answer_metrics(exact) == "first token 0.41 s · total 3.20 s · 12 in / 240 out tokens · cost $0.00012"
    local = Answer(text="hi", ttft=0.2, total_time=1.0, tokens_in=30, tokens_out=5, estimated=True)
    assert "≈30 in / ≈5 out tokens" in answer_metrics(local) and "cost unknown" in answer_metrics(local)
    assert "cost" not in answer_metrics(exact, show_cost=False)


def test_service_addresses_never_show_credentials_and_presentation_names_hide_ids(qtbot):
    assert safe_url("https://user:secret@llm.example.com:8443/v1?api_key=abc#x") == "https://llm.example.com:8443/v1"
    assert display_model("ft:gpt-4o-mini-2024-07-18:acme:support-v2:AbC123", presentation=True) == \
        "gpt-4o-mini-2024-07-18 tuned (support-v2)"
    assert display_model("ft:gpt-4o-mini-2024-07-18:acme::AbC123:ckpt-step-40", presentation=True) == \
        "gpt-4o-mini-2024-07-18 tuned, step 40"
    assert display_model("llama3.1:8b", presentation=True) == "llama3.1:8b"
    picker = TargetPicker()
    qtbot.addWidget(picker)
    picker.set_profiles(["OpenAI", "Local"])
    picker.set_target(ChatTarget("m", base_url="http://u:p@localhost:11434/v1?token=t"))
    assert picker.where.currentText() == "http://localhost:11434/v1"
    assert picker.target() == ChatTarget("m", base_url="http://u:p@localhost:11434/v1?token=t")
    picker.set_profiles(["OpenAI"])  # a refresh keeps the custom address chosen
    assert picker.target().base_url == "http://u:p@localhost:11434/v1?token=t"
    picker.set_presentation(True)
    assert picker.where.currentText() == "Custom server"


def test_an_exported_report_never_carries_a_base_urls_credentials():
    from workbench.core.playground.evaluation import EvalItem, EvalPlan
    from workbench.core.playground.report import build_report
    from workbench.core.playground.report_export import report_csv, report_html

    secret = "https://bob:hunter2@llm.example.com/v1?api_key=sk-abc123"
    plan = EvalPlan([ChatTarget("m1", base_url=secret), ChatTarget("m2", profile="OpenAI")],
                    [EvalItem(0, ({"role": "user", "content": "hi"},))])
    report = build_report(plan, {(0, 0): Answer(text="a"), (0, 1): Answer(text="b")}, [])
    for text in (report_csv(report), report_html(report)):
        assert "hunter2" not in text and "sk-abc123" not in text and "bob" not in text
        assert "https://llm.example.com/v1" in text
