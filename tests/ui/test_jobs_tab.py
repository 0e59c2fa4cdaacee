"""The Jobs tab against the OpenAI stand-in: check, confirm, upload, create, watch to the end."""


import pytest

from tests.openai_standin import TEST_KEY
from workbench.core.profiles import Profile, ProfileStore
from workbench.core.store import Workspace
from workbench.core.store.workspace import NewExample
from workbench.ui.jobs_tab import JobsTab


def _chat(i: int) -> dict:
    return {"messages": [{"role": "user", "content": f"How do I reset password {i}?"},
                         {"role": "assistant", "content": f"Open Settings > Account and choose Reset ({i})."}]}


@pytest.fixture
def tab(qtbot, tmp_path, monkeypatch, openai_standin):
    profiles = tmp_path / "profiles.json"
    monkeypatch.setattr("workbench.core.profiles.default_profiles_path", lambda: profiles)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)  # compatible profiles fall back to it
    ProfileStore(profiles).add(Profile.compatible("Stand-in", openai_standin.base_url))
    openai_standin.tick_on_retrieve = True  # every poll moves the job one step
    path = tmp_path / "w.ftw"
    with Workspace.open(path) as ws:
        ws.add_examples([NewExample(_chat(i)) for i in range(20)], "Import")
    widget = JobsTab()
    qtbot.addWidget(widget)
    widget.set_workspace(path)
    widget.profile.setCurrentText("Stand-in")
    widget.model.setCurrentText("gpt-4o-mini-2024-07-18")
    yield widget
    widget.shutdown()


def test_submit_then_watch_a_job_to_success(tab, qtbot, openai_standin):
    asked = []
    with qtbot.waitSignal(tab.start_submit(confirm=lambda text: asked.append(text) or True).finished, timeout=20000):
        pass
    assert asked and "20 examples" in asked[0] and "$" in asked[0]
    qtbot.waitUntil(lambda: tab.submit_task is not None and not tab.submit_task.running and "Submitted" in
                    tab.submit_message.text(), timeout=20000)
    assert len(openai_standin.requests_to("/fine_tuning/jobs", method="POST")) == 1
    body = openai_standin.requests_to("/fine_tuning/jobs", method="POST")[0].json
    assert body["metadata"]["dataset_snapshot"].startswith("sha256:")
    qtbot.waitUntil(lambda: "succeeded" in tab.status.text(), timeout=60000)
    assert "ft:gpt-4o-mini" in tab.status.text()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "succeeded"
    assert tab.events.count() > 0
    names = {s.name() for s in tab.chart.series()}
    assert "training loss" in names, "the chart shows the metrics"
    assert any("accuracy" in n for n in names)


def test_errors_in_the_data_stop_the_submission_before_upload(tab, qtbot, openai_standin, monkeypatch, tmp_path):
    with Workspace.open(tab.ws_path) as ws:
        ws.add_examples([NewExample({"messages": [{"role": "user", "content": "no reply"}]})], "Bad one")
    shown = []
    monkeypatch.setattr(tab, "_prepare_failed", lambda message: shown.append(message))
    with qtbot.waitSignal(tab.start_submit(confirm=lambda text: True).finished, timeout=20000):
        pass
    assert shown and "errors" in shown[0]
    assert not openai_standin.requests_to("/files", method="POST")


def test_personal_data_is_reported_before_anything_is_uploaded(tab, qtbot, openai_standin, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from workbench.ui.jobs_tab import REVIEW

    with Workspace.open(tab.ws_path) as ws:
        ws.add_examples([NewExample({"messages": [
            {"role": "user", "content": "Please write to carla.moreno@example.com about my order."},
            {"role": "assistant", "content": "Done, I have written to you."}]})], "With an address")
    reviews, asked = [], []
    tab.review_personal_data.connect(lambda: reviews.append(True))
    with qtbot.waitSignal(tab.start_submit(confirm=lambda text: asked.append(text) or REVIEW).finished, timeout=20000):
        pass
    assert "Personal data is not redacted yet" in asked[0] and "Email addresses: 1" in asked[0]
    assert "carla" not in asked[0], "the warning counts, it never shows the value"
    assert reviews == [True], "Review Personal Data opens the review"
    assert not openai_standin.requests_to("/files", method="POST")

    # The dialog offers the review (default), Submit Anyway and Cancel.
    def click(label):
        monkeypatch.setattr(QMessageBox, "exec", lambda box: next(b for b in box.buttons() if b.text() == label).click())
        return tab._ask_about_personal_data(asked[0])

    assert click("Review Personal Data…") == REVIEW
    assert click("Submit Anyway") is True
    assert click("Cancel") is False
