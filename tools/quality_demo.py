"""Realistic content for screenshots of the Data quality pages, and the shots themselves.

Used by ``tools/render_main_window.py``: ``add_demo_content(ws)`` before the window opens (tiers and
products as tags, personal data, duplicates, a canned macro, assorted greetings and sign-offs, two
versions and a finished job), then ``shoot_pages(window, app, out, suffix)`` once it shows.
Everything is fictional (the sample product "Lumen Notes", example.com addresses, test card numbers).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

SYSTEM = "You are Lumen Notes' support assistant. Be friendly, concise and accurate; offer next steps."
CANNED = ("Sorry for the trouble! Please sign out, clear the app cache under Settings > Storage and sign back in. "
          "If it still fails, reply to this email and we'll take a closer look.")
GREETINGS = ["Hi {first},", "Hello {first},", "Hi there,", "Hey {first}!", "Hello,", "Hi {first}!", "Good morning,"]
SIGNOFFS = ["Best regards,\n{agent}", "Kind regards,\n{agent}", "Cheers,\n{agent}", "Best Regards,\n{agent}",
            "Thanks,\nThe Lumen Notes team", "Best regards,\n{agent}", "Warm regards,\n{agent}"]
AGENTS = ["Tom", "Anna", "Priya", "Sam"]
CUSTOMERS = ["Carla Moreno", "David Okafor", "Mei Tanaka", "Jonas Berg", "Aisha Rahman", "Lucas Silva",
             "Emma Novak", "Omar Haddad"]
PERSONAL = [
    ("My account email is {email} and I can't sign in since yesterday.", "I've sent a sign-in link to {email}; it "
     "works for 24 hours. If it does not arrive, check the spam folder."),
    ("Please call me back on +44 20 7946 0958, I'd rather sort the invoice out by phone.",
     "I've asked our billing team to call you on +44 20 7946 0958 today between 2 and 4 pm UK time."),
    ("I was charged twice on my card 4111 1111 1111 1111 for order LN-204381.",
     "You're right, order LN-204381 was charged twice. I've refunded the second charge; it shows in 3-5 days."),
    ("Refund to my bank account please: DE89 3704 0044 0532 0130 00.",
     "Done: the refund goes to the account ending 30 00 within five working days."),
    ("The reset link https://app.lumennotes.example/reset?token=8f3a9c2e7b1d4f60 says it has expired.",
     "Reset links are valid for one hour. I've sent you a fresh one; open it on the same device."),
    ("Sync stopped on my laptop. My IP is 203.0.113.42 if that helps, I'm on the office network.",
     "Thanks! That address is fine on our side, so the office firewall may block sync. Ask IT to allow "
     "sync.lumennotes.example on port 443."),
    ("Order LN-209117 still shows as pending, can you check? You can reach me at {email}.",
     "Order LN-209117 went through this morning; the receipt is on its way to {email}."),
    ("Can you move my notes from my old address {email} to my new account?",
     "Yes: sign in with {email}, open Settings > Account > Transfer notes and enter the new account's address."),
]
OTHER_QUESTIONS = ["The mobile app crashes when I open a notebook with many images.",
                   "Search doesn't find words inside my PDFs anymore.",
                   "The desktop app shows a blank window after the update.",
                   "My tags disappeared after syncing with my phone.",
                   "Attachments won't upload, the spinner never stops.",
                   "Offline notes are not saved on my tablet."]


def _reply(body: str, n: int, first: str) -> str:
    agent = AGENTS[n % len(AGENTS)]
    greeting = GREETINGS[n % len(GREETINGS)].format(first=first)
    signoff = SIGNOFFS[n % len(SIGNOFFS)].format(agent=agent)
    return f"{greeting}\n{body}\n\n{signoff}"


def _chat(question: str, answer: str) -> dict:
    return {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question},
                         {"role": "assistant", "content": answer}]}


def add_demo_content(ws) -> None:
    from workbench.core.pii import load_settings, save_settings
    from workbench.core.store.ledger import Ledger
    from workbench.core.store.workspace import NewExample
    from workbench.core.versions import create_version

    sample_ids = ws.ids()
    # Tiers and products as tags (silver and bronze for the sample; gold gets the long answers below).
    products = ("mobile", "web", "desktop")
    for n, example_id in enumerate(sample_ids):
        ws.add_tag([example_id], ("tier:silver", "tier:bronze")[n % 2], "Tag")
        ws.add_tag([example_id], f"product:{products[n % 3]}", "Tag")
    first_version = create_version(ws, "Sample, tagged by tier", "The bundled sample conversations, before clean-up.")
    job = Ledger(ws).new_job(base_model="gpt-4.1-mini-2025-04-14", submission_tag="demo-1",
                             provider_job_id="ftjob-7Hq2kLm9", version_id=first_version.id)
    Ledger(ws).update_job(job.id, status="succeeded", fine_tuned_model="ft:gpt-4.1-mini:lumen::demo01",
                          trained_tokens=61_200)

    long_gold = (" As a Gold customer you also have a dedicated contact: if anything else comes up, reply to this "
                 "email and it reaches me directly, usually within the hour. I've also added a note to your account "
                 "so the whole team knows the background, and I'll check back tomorrow to make sure everything "
                 "works as it should.")
    items: list[NewExample] = []
    for n, (question, answer) in enumerate(PERSONAL):
        name = CUSTOMERS[n]
        first = name.split()[0]
        email = f"{name.lower().replace(' ', '.')}@example.com"
        items.append(NewExample(_chat(f"Hi, {name} here. " + question.format(email=email),
                                      _reply(answer.format(email=email) + long_gold, n, first)),
                                source={"customer_names": [name], "file": "tickets-october.json"},
                                tags=["tier:gold", f"product:{products[n % 3]}"]))
    for n, question in enumerate(OTHER_QUESTIONS):
        items.append(NewExample(_chat(question, _reply("Thanks for the details. Please update to version 4.2, which "
                                                       "fixes this; then restart the app." + long_gold, n + 3, "there")),
                                tags=["tier:gold", f"product:{products[n % 3]}"]))
    for n in range(6):  # one macro for six different questions
        items.append(NewExample(_chat(OTHER_QUESTIONS[n].replace(".", " again."), CANNED),
                                tags=[("tier:silver", "tier:bronze")[n % 2]]))
    one = ws.get(sample_ids[3]).data
    items += [NewExample(one, tags=["tier:silver"]), NewExample(one, tags=["tier:silver"])]  # exact copies
    near = ws.get(sample_ids[7]).data
    edited = [dict(m) for m in near["messages"]]
    words = edited[-1]["content"].split(" ")
    words[3:5] = ["quickly", "now"]  # a near duplicate: two words differ
    edited[-1]["content"] = " ".join(words)
    items.append(NewExample({"messages": edited}, tags=["tier:bronze"]))
    items.append(NewExample(_chat("We have 400 seats, can we get SSO and an invoice?",
                                  "Yes: SSO comes with the Enterprise plan. I've asked our sales team to send a quote."),
                            tags=["tier:enterprise"]))
    ws.add_examples(items, "Import October tickets")
    ws.delete_examples([sample_ids[11]], "Delete example")
    ws.set_split(sample_ids[-8:], "validation", "Set split")
    fixed = ws.get(sample_ids[0]).data
    fixed["messages"][-1]["content"] += " Tip: notebooks over 500 MB import faster from the desktop app."
    ws.update_example(sample_ids[0], fixed, "Edit example")
    create_version(ws, "With October tickets", "Sample plus the October export from the help desk.")
    settings = load_settings(ws).with_pattern("order number", r"LN-\d{6}")
    save_settings(ws, replace(settings, region="GB"))


def _wait(app, task, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while task is not None and task.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def shoot_pages(window, app, out: Path, suffix: str) -> int:
    """One PNG per Data quality page, each with its results showing."""
    from PySide6.QtCore import Qt
    shots = 0

    def save(name: str) -> None:
        nonlocal shots
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(out / f"data-quality-{name}{suffix}.png"))
        shots += 1

    pii = window.show_quality_page("pii")
    _wait(app, pii.scan())
    pii.model.setData(pii.model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    save("personal-data")

    duplicates = window.show_quality_page("duplicates")
    _wait(app, duplicates.find())
    duplicates.tree.expandAll()
    save("duplicates")

    consistency = window.show_quality_page("consistency")
    _wait(app, consistency.find())
    consistency.kind.setCurrentIndex(1)
    consistency.set_ticked({"kind regards", "cheers", "best regards", "warm regards"})
    consistency.update_preview()
    save("consistency")

    splits = window.show_quality_page("splits")
    splits.stratify.setCurrentIndex(max(0, splits.stratify.findData("tier")))
    _wait(app, splits.preview())
    save("splits")

    balance = window.show_quality_page("balance")
    _wait(app, balance.bar.task)
    balance.segment_by.setCurrentIndex(max(0, balance.segment_by.findData("tier")))
    _wait(app, balance.refresh())
    save("balance")

    versions = window.show_quality_page("versions")
    versions.refresh()
    versions.select("Sample, tagged by tier")
    _wait(app, versions.compare_selected_with_current())
    row = next((r for r in range(versions.changes.rowCount()) if "content" in versions.changes.change(r).fields), 0)
    versions.changes_view.selectRow(row)
    save("versions")
    return shots
