"""Playground content for the screenshots (tools/render_main_window.py): a finished two-model
comparison, a blind session with verdicts, and a reviewed evaluation — stored directly, no server.

Fictional data: the answers and their timings are made up for the pictures.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.playground.answer import Answer, ChatSettings, ChatTarget
from workbench.core.playground.eval_store import EvalStore
from workbench.core.playground.evaluation import EvalItem, EvalPlan, EvalRating, Selection
from workbench.core.playground.session import ChatColumn, ChatSession, Turn
from workbench.core.playground.store import PlaygroundStore
from workbench.core.store import Workspace

BASE = ChatTarget("gpt-4.1-mini-2025-04-14", profile="OpenAI")
TUNED = ChatTarget("ft:gpt-4.1-mini-2025-04-14:acme:support-v2:Qx81Kd", profile="OpenAI")
SYSTEM = "You are the support assistant of Acme Cloud Storage. Be brief and friendly."
QUESTIONS = [
    ("How do I restore a file I deleted yesterday?",
     "Deleted files stay in the Trash for 30 days. To restore one:\n\n1. Open the web app and choose Trash in the "
     "left menu.\n2. Find the file (sort by Deleted on if it helps).\n3. Select it and click Restore.\n\nIt goes back "
     "to the folder it came from. If that folder was deleted too, it is restored as well.",
     "Open Trash in the web app, select the file and click Restore — it goes back to its old folder. Files stay "
     "in Trash for 30 days, so yesterday's is still there. Need a hand finding it?"),
    ("Can I get an invoice with my company's VAT number?",
     "Yes. Add your VAT number under Settings > Billing > Company details. New invoices will show it. For "
     "invoices that were already issued, please contact our billing team and they can reissue them.",
     "Sure! Add it in Settings > Billing > Company details and every new invoice shows it. I can also reissue "
     "your past invoices with the VAT number — just tell me which months."),
]


def _answer(text: str, ttft: float, total: float, tokens_in: int, cost_per_token: float) -> Answer:
    tokens_out = len(text.split()) * 4 // 3
    return Answer(text=text, ttft=ttft, total_time=total, tokens_in=tokens_in, tokens_out=tokens_out,
                  cost=(tokens_in * 0.4 + tokens_out * 1.6) * cost_per_token / 1_000_000, finish_reason="stop")


def comparison() -> ChatSession:
    base, tuned = ChatColumn(BASE), ChatColumn(TUNED)
    for n, (question, plain, friendly) in enumerate(QUESTIONS):
        base.turns.append(Turn(question, _answer(plain, 0.42 + n * 0.05, 2.31 + n * 0.2, 61 + n * 90, 1)))
        tuned.turns.append(Turn(question, _answer(friendly, 0.37 + n * 0.04, 1.64 + n * 0.1, 61 + n * 80, 2)))
    return ChatSession([base, tuned], system_prompt=SYSTEM, settings=ChatSettings(temperature=0.3),
                       title="Restoring files and VAT invoices", seed=7)


def blind_session() -> ChatSession:
    session = comparison()
    session.title = "Blind: base vs support-v2"
    session.blind = True
    session.seed = 11
    for turn in range(session.turn_count):
        order = session.blind_order(turn)
        session.rate(turn, "AB"[order.index(1)])  # the tuned model wins
    return session


def evaluation(ws: Workspace) -> int:
    items = []
    replies = {}
    for i in range(6):
        question, plain, friendly = QUESTIONS[i % 2]
        prompt = ({"role": "system", "content": SYSTEM}, {"role": "user", "content": f"{question} (ticket {i + 1})"})
        items.append(EvalItem(i, prompt, plain, None))
        replies[(i, 0)] = _answer(plain, 0.40 + i * 0.02, 2.2 + i * 0.1, 70, 1)
        replies[(i, 1)] = _answer(friendly, 0.35 + i * 0.02, 1.7 + i * 0.1, 70, 2)
    plan = EvalPlan(targets=[BASE, TUNED], items=items, settings=ChatSettings(temperature=0.3), seed=3,
                    name="support-v2 vs base on the test split", selection=Selection("test"))
    store = EvalStore(ws)
    run_id = store.create_run(plan)
    for (item, model), answer in replies.items():
        store.save_answer(run_id, item, model, answer)
    verdicts = ["tuned", "tuned", "tie", "tuned", "base", "tuned"]
    for pairing, verdict in zip(plan.pairings()[:5], verdicts, strict=False):  # one left to rate
        letter = "tie" if verdict == "tie" else "AB"[(pairing.first, pairing.second).index(
            1 if verdict == "tuned" else 0)]
        store.save_rating(run_id, EvalRating(pairing.item, pairing.first, pairing.second, letter))
    store.set_status(run_id, "finished")
    return run_id


def add_playground_demo(ws: Workspace) -> dict[str, int]:
    store = PlaygroundStore(ws)
    ids = {"blind": store.save_session(blind_session())}
    ids["comparison"] = store.save_session(comparison())  # saved last: the one the tab opens
    ids["evaluation"] = evaluation(ws)
    return ids


def shoot_playground(window, app, out: Path, suffix: str, ids: dict[str, int]) -> int:
    """PNGs of the Playground: the comparison, the blind session revealed, the review and the report."""
    tab = window.playground_tab
    window.tabs.setCurrentWidget(tab)
    shots = 0

    def save(name: str) -> None:
        nonlocal shots
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(out / f"playground-{name}{suffix}.png"))
        shots += 1

    page = tab.compare
    tab.pages.setCurrentWidget(page)
    page.open_session(ids["comparison"])
    page.input.setPlainText("And can I share a folder with someone outside my company?")
    save("compare")
    page.open_session(ids["blind"])
    save("blind")
    page.blind_bar.reveal.setChecked(True)
    save("blind-revealed")
    evaluation_page = tab.evaluation
    tab.pages.setCurrentWidget(evaluation_page)
    evaluation_page.refresh_runs()
    evaluation_page.show_setup()
    save("evaluate-setup")
    evaluation_page.show_review(ids["evaluation"])
    save("review")
    evaluation_page.show_report(ids["evaluation"])
    save("report")
    window.set_presentation(True)
    tab.pages.setCurrentWidget(page)
    page.open_session(ids["comparison"])
    save("presentation")
    window.set_presentation(False)
    page.input.clear()
    return shots
