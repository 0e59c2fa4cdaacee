"""Following jobs against the stand-in: lifecycles, metrics, result file, control, faults, re-attach."""

from __future__ import annotations

import pytest

from tests.jobs.helpers import chat_file, write_jsonl
from tests.openai_standin import Plan, Scenario
from workbench.core.job_cost import actual_cost
from workbench.core.polling import PollSchedule
from workbench.core.store import Workspace
from workbench.core.store.ledger import NOT_CREATED, Ledger
from workbench.providers import watch as watch_mod
from workbench.providers.jobs import JobRequest, submit_job
from workbench.providers.monitor import JobMonitor
from workbench.providers.retry import RetryPolicy
from workbench.providers.watch import JobWatcher, JobWatchError, reattach, watch_until_done


def _submit(standin, ledger, tmp_path, *, validation=True, retry=None, train=None):
    client = standin.client()
    train = train or chat_file(tmp_path / "train.jsonl", 12)
    train_id = client.files.create(file=(train.name, train.read_bytes()), purpose="fine-tune").id
    valid_id = None
    if validation:
        valid = chat_file(tmp_path / "valid.jsonl", 3, start=100)
        valid_id = client.files.create(file=(valid.name, valid.read_bytes()), purpose="fine-tune").id
    request = JobRequest("gpt-4o-mini", train_id, validation_file=valid_id, data_kind="chat")
    submitted = submit_job(client, request, ledger=ledger, estimated_cost=0.01, retry=retry)
    return client, submitted.record


def test_success_lifecycle_with_events_metrics_checkpoints_and_result_file(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    watcher = JobWatcher(client, ledger, record.id, retry=retry)
    first = watcher.poll_once()
    assert first.job.status == "validating_files" and not first.status_changed
    assert [e.message for e in first.new_events][-1].startswith("Created fine-tuning job")
    assert first.changed and not first.finished

    openai_standin.advance(steps=4)  # validated, queued -> running, 2 training steps
    mid = watcher.poll_once()
    assert mid.status_changed and mid.job.status == "running"
    assert [p.step for p in mid.new_metrics] == [1, 2]
    assert mid.new_metrics[1].valid_loss is not None and mid.new_metrics[0].valid_loss is None
    assert mid.progress == (2, 4)
    assert mid.estimated_finish == mid.new_metrics[1].at + 2 * 60  # 60 s a step, 2 to go
    assert mid.job.hyperparameters == {"n_epochs": 3, "batch_size": 1, "learning_rate_multiplier": 1.8}
    assert [c.step for c in mid.new_checkpoints] == [2]

    quiet = watcher.poll_once()
    assert not quiet.changed and quiet.new_events == []

    openai_standin.run_to_end()
    done = watcher.poll_once()
    job = openai_standin.jobs[0]
    assert done.finished and done.job.status == "succeeded" and done.results_imported
    assert done.job.fine_tuned_model == job.fine_tuned_model and done.job.trained_tokens == job.trained_tokens
    assert done.actual_cost == pytest.approx(actual_cost("gpt-4o-mini", job.trained_tokens))
    assert done.job.estimated_cost == 0.01 and done.estimated_finish is None
    assert [c.step for c in ledger.checkpoints(record.id)] == [2, 3, 4]
    assert [(p.step, p.train_loss) for p in ledger.metrics(record.id, "result_file")] == \
        [(m["step"], m["train_loss"]) for m in job.metrics]
    assert ledger.metrics(record.id) == ledger.metrics(record.id, "result_file")
    assert [e.provider_event_id for e in ledger.events(record.id)] == [e["id"] for e in job.events]

    before = len(openai_standin.requests)
    again = watcher.poll_once()  # finished: nothing to ask
    assert again.finished and not again.changed and len(openai_standin.requests) == before


def test_file_error_fails_with_the_line(openai_standin, ledger, tmp_path, retry):
    openai_standin.set_scenario(Scenario.FILE_ERROR)
    bad = write_jsonl(tmp_path / "train.jsonl", [{"messages": []}, {"messages": []}, {"prompt": "x"}])
    client, record = _submit(openai_standin, ledger, tmp_path, validation=False, train=bad, retry=retry)
    openai_standin.run_to_end()
    result = JobWatcher(client, ledger, record.id, retry=retry).poll_once()
    assert result.finished and result.job.status == "failed"
    assert result.job.error_code == "invalid_training_file" and result.job.error_line == 3
    assert "Line 3" in result.job.last_error
    assert result.new_events[-1].level == "error"


def test_cancelled_elsewhere(openai_standin, ledger, tmp_path, retry):
    openai_standin.set_scenario(Scenario.CANCELLED)
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    assert openai_standin.run_to_end() == "cancelled"
    result = JobWatcher(client, ledger, record.id, retry=retry).poll_once()
    assert result.finished and result.job.status == "cancelled" and result.job.fine_tuned_model is None
    assert ledger.running_jobs() == []


def test_cancel_pause_and_resume(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    watcher = JobWatcher(client, ledger, record.id, retry=retry)
    openai_standin.advance(steps=3)
    assert watcher.pause().paused
    assert openai_standin.advance() == "running" and openai_standin.jobs[0].step == 1  # paused: no progress
    assert not watcher.resume().paused
    assert watcher.poll_once().job.paused is False
    cancelled = watcher.cancel()
    assert cancelled.status == "cancelled" and cancelled.terminal
    assert watcher.cancel().status == "cancelled"  # cancelling twice is no error
    assert watcher.poll_once().finished


def test_a_finished_job_cannot_be_cancelled(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.run_to_end()
    watcher = JobWatcher(client, ledger, record.id, retry=retry)
    with pytest.raises(JobWatchError, match="Could not cancel ftjob-.*refused.*already succeeded"):
        watcher.cancel()
    with pytest.raises(JobWatchError, match="Could not pause"):
        watcher.pause()


def test_a_retried_cancel_whose_reply_was_lost_counts_as_done(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.faults.fail("/fine_tuning/jobs/*/cancel", method="POST")  # first a 500 before acting
    assert JobWatcher(client, ledger, record.id, retry=retry).cancel().status == "cancelled"


def test_500_then_success_on_retrieve_and_list(openai_standin, ledger, tmp_path, retry, sleeps):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.faults.fail("/fine_tuning/jobs/*", method="GET", times=1)
    openai_standin.faults.fail("/fine_tuning/jobs/*/events", times=2, status=503)
    result = JobWatcher(client, ledger, record.id, retry=retry).poll_once()
    assert result.problem is None and result.new_events
    assert sleeps.calls == [1, 1, 2]


def test_429_waits_for_retry_after(openai_standin, ledger, tmp_path, retry, sleeps):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.faults.rate_limit("/fine_tuning/jobs/*", retry_after="7", method="GET")
    assert JobWatcher(client, ledger, record.id, retry=retry).poll_once().problem is None
    assert sleeps.calls == [7]


def test_slow_replies_time_out_and_the_poll_goes_on(openai_standin, ledger, tmp_path, sleeps):
    _, record = _submit(openai_standin, ledger, tmp_path)
    client = openai_standin.client(timeout=0.2)
    openai_standin.faults.slow("/fine_tuning/jobs/*", 3.0, times=2, method="GET")
    watcher = JobWatcher(client, ledger, record.id, retry=RetryPolicy(attempts=2, sleep=sleeps))
    troubled = watcher.poll_once()
    assert troubled.problem and "did not answer in time" in troubled.problem and "Still watching" in troubled.problem
    assert troubled.job.status == "validating_files" and not troubled.finished
    ok = watcher.poll_once()
    assert ok.problem is None and ok.new_events


def test_a_rejected_key_stops_the_watch(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.set_scenario(Scenario.INVALID_KEY)
    with pytest.raises(JobWatchError, match="rejected the API key"):
        JobWatcher(client, ledger, record.id, retry=retry).poll_once()


def test_events_are_paged_with_the_after_cursor(openai_standin, ledger, tmp_path, retry, monkeypatch):
    monkeypatch.setattr(watch_mod, "EVENT_PAGE", 3)
    openai_standin.set_scenario(Scenario.SUCCESS, Plan(steps=6))
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    watcher = JobWatcher(client, ledger, record.id, retry=retry)
    watcher.poll_once()
    openai_standin.advance(steps=5)
    watcher.poll_once()
    job = openai_standin.jobs[0]
    assert [e.provider_event_id for e in ledger.events(record.id)] == [e["id"] for e in job.events]
    pages = [r.query for r in openai_standin.requests_to("/fine_tuning/jobs/*/events")]
    assert any("after" in q for q in pages)
    assert all(q["limit"] == ["3"] for q in pages)


def test_result_file_that_cannot_be_read_keeps_the_event_metrics(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.run_to_end()
    result_id = openai_standin.jobs[0].result_files[0]
    openai_standin.state.files[result_id].content = b"%%% garbage %%%"
    result = JobWatcher(client, ledger, record.id, retry=retry).poll_once()
    assert result.finished and "Could not read the metrics" in result.problem
    assert len(ledger.metrics(record.id)) == 4  # from the metric events


def test_a_result_download_that_fails_for_now_is_tried_again(openai_standin, ledger, tmp_path, sleeps):
    client, record = _submit(openai_standin, ledger, tmp_path)
    openai_standin.run_to_end()
    openai_standin.faults.fail("/files/*/content", times=2)
    watcher = JobWatcher(client, ledger, record.id, retry=RetryPolicy(attempts=2, sleep=sleeps))
    first = watcher.poll_once()
    assert first.job.status == "succeeded" and not first.finished and first.problem
    second = watcher.poll_once()
    assert second.finished and second.results_imported


def test_watch_until_done_backs_off_without_real_sleeps(openai_standin, ledger, tmp_path, retry, sleeps):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    watcher = JobWatcher(client, ledger, record.id, retry=retry)
    polls = []

    def on_poll(result):
        polls.append(result.changed)
        if len(polls) in (3, 6):  # the job moves only now and then
            openai_standin.run_to_end() if len(polls) == 6 else openai_standin.advance()

    final = watch_until_done(watcher, sleep=sleeps, on_poll=on_poll)
    assert final.status == "succeeded"
    assert polls == [True, False, False, True, False, False, True]
    assert sleeps.calls == [2, 4, 8, 2, 4, 8]


def test_history_survives_a_restart_and_running_jobs_are_reattached(openai_standin, workspace_path, tmp_path, retry):
    with Workspace.open(workspace_path) as ws:
        ledger = Ledger(ws)
        client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
        openai_standin.advance(steps=3)
        JobWatcher(client, ledger, record.id, retry=retry).poll_once()
        seen = len(ledger.events(record.id))
    openai_standin.run_to_end()  # the app was closed meanwhile
    with Workspace.open(workspace_path) as ws:
        ledger = Ledger(ws)
        (watcher,) = reattach(ledger, lambda rec: openai_standin.client(), retry=retry)
        assert watcher.job_id == record.id and len(ledger.events(record.id)) == seen
        result = watcher.poll_once()
        assert result.finished and result.job.status == "succeeded"
        events = [e.provider_event_id for e in ledger.events(record.id)]
        assert events == [e["id"] for e in openai_standin.jobs[0].events]  # each once
        assert reattach(ledger, lambda rec: openai_standin.client()) == []


def test_a_submission_whose_reply_was_never_seen_is_resolved(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    ghost = ledger.new_job(base_model="gpt-4o-mini", submission_tag="wb-never-sent")
    lost = ledger.new_job(base_model="gpt-4o-mini", submission_tag="wb-lost")
    ledger.update_job(record.id, provider_job_id=None, status="submitting")  # as if the reply never came
    # (the job on the service carries record's tag; "wb-lost" and "wb-never-sent" are unknown there)
    results = {r.id: JobWatcher(client, ledger, r.id, retry=retry).poll_once() for r in (ledger.job(record.id), ghost)}
    assert results[record.id].job.provider_job_id == openai_standin.jobs[0].id
    assert results[ghost.id].job.status == NOT_CREATED and "not created" in results[ghost.id].job.last_error
    assert results[ghost.id].finished
    assert [r.id for r in ledger.running_jobs()] == [record.id, lost.id]


def test_watching_a_job_made_elsewhere_adds_it_to_the_ledger(openai_standin, ledger, tmp_path, retry):
    client = openai_standin.client()
    train = chat_file(tmp_path / "t.jsonl")
    file_id = client.files.create(file=("t.jsonl", train.read_bytes()), purpose="fine-tune").id
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=file_id)
    watcher = JobWatcher.for_provider_job(client, ledger, job.id, profile="Team", retry=retry)
    record = watcher.job
    assert record.provider_job_id == job.id and record.profile == "Team" and record.submission_tag == f"adopted-{job.id}"
    assert JobWatcher.for_provider_job(client, ledger, job.id).job_id == record.id
    with pytest.raises(JobWatchError, match="Could not find job ftjob-nope"):
        JobWatcher.for_provider_job(client, ledger, "ftjob-nope", retry=retry)


def test_monitor_polls_due_jobs_and_stops_when_nothing_runs(openai_standin, ledger, tmp_path, retry):
    now = [1000.0]
    monitor = JobMonitor(ledger, lambda rec: openai_standin.client(), clock=lambda: now[0], retry=retry)
    assert monitor.reattach() == [] and monitor.next_delay() is None and monitor.poll_due() == []
    _, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    monitor.attach(record.id)
    assert monitor.next_delay() == 0
    assert [r.job.id for r in monitor.poll_due()] == [record.id]
    assert monitor.next_delay() == 2 and monitor.poll_due() == []  # not due yet
    now[0] += 2
    assert not monitor.poll_due()[0].changed and monitor.next_delay() == 4
    openai_standin.run_to_end()
    now[0] += 4
    (result,) = monitor.poll_due()
    assert result.finished and monitor.job_ids == [] and monitor.next_delay() is None


def test_monitor_drops_jobs_it_cannot_follow(openai_standin, ledger, tmp_path, retry):
    _, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    monitor = JobMonitor(ledger, lambda rec: openai_standin.client(), retry=retry)
    assert monitor.reattach() == [record.id]
    openai_standin.set_scenario(Scenario.INVALID_KEY)
    assert monitor.poll_due() == [] and monitor.job_ids == []
    assert "rejected the API key" in monitor.errors[record.id]


def test_schedule_is_injectable():
    assert PollSchedule(initial=1, maximum=3).next_delay(False) == 1


def test_when_the_provider_is_gone_the_history_stays(openai_standin, workspace_path, tmp_path, retry, sleeps):
    import openai

    with Workspace.open(workspace_path) as ws:
        ledger = Ledger(ws)
        _, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
        openai_standin.advance(steps=4)
        client = openai.OpenAI(api_key=openai_standin.api_key, base_url=openai_standin.base_url, max_retries=0)
        watcher = JobWatcher(client, ledger, record.id, retry=retry)
        watcher.poll_once()
        openai_standin.stop()  # the service shuts down (or drops the account) mid-job
        result = watcher.poll_once()
        client.close()
        assert result.problem and "could not reach" in result.problem.lower() and not result.finished
        assert result.job.status == "running"
    with Workspace.open(workspace_path) as ws:
        ledger = Ledger(ws)
        job = ledger.job(record.id)
        assert job.status == "running" and job.provider_job_id and ledger.running_jobs() == [job]
        assert [p.step for p in ledger.metrics(record.id)] == [1, 2]
        assert ledger.checkpoints(record.id) and len(ledger.events(record.id)) >= 6


def test_estimate_after_the_first_step_measures_from_the_training_start(openai_standin, ledger, tmp_path, retry):
    client, record = _submit(openai_standin, ledger, tmp_path, retry=retry)
    openai_standin.advance(steps=3)  # validated, started, step 1 (60 s apart on the server's clock)
    result = JobWatcher(client, ledger, record.id, retry=retry).poll_once()
    (point,) = result.new_metrics
    assert result.progress == (1, 4)
    assert result.estimated_finish == point.at + 3 * 60  # not counting validation and queueing
    assert ledger.job(record.id).estimated_finish == int(result.estimated_finish)
