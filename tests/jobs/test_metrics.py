"""Result-file CSV and metric events -> MetricPoints; estimated finish from progress."""

from __future__ import annotations

import base64

import pytest

from workbench.core.metrics import (
    MetricPoint,
    MetricsFormatError,
    estimate_finish,
    parse_result_csv,
    point_from_event,
    total_steps_from_events,
)

OPENAI_CSV = (
    "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n"
    "1,2.1,0.41,,\n"
    "2,1.5,0.52,1.7,0.47\n"
    "3,1.1,0.63,,\n"
)


def test_openai_result_file_with_blank_cells():
    points = parse_result_csv(OPENAI_CSV)
    assert [p.step for p in points] == [1, 2, 3]
    assert points[0] == MetricPoint(step=1, train_loss=2.1, train_accuracy=0.41)
    assert points[1].valid_loss == 1.7 and points[1].valid_accuracy == 0.47
    assert points[2].valid_loss is None and points[2].valid_accuracy is None


def test_base64_content_as_openai_serves_it():
    encoded = base64.b64encode(OPENAI_CSV.encode())
    assert parse_result_csv(encoded) == parse_result_csv(OPENAI_CSV)
    wrapped = b"\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60)) + b"\n"
    assert parse_result_csv(wrapped) == parse_result_csv(OPENAI_CSV)


def test_columns_are_read_by_name_whatever_their_order_or_extras():
    reordered = (
        "valid_mean_token_accuracy,elapsed_tokens,train_loss,step,full_valid_loss,train_mean_token_accuracy,"
        "full_valid_mean_token_accuracy\n"
        "0.47,100,1.5,2,1.6,0.52,0.5\n"
    )
    (point,) = parse_result_csv(reordered)
    assert point == MetricPoint(step=2, train_loss=1.5, train_accuracy=0.52, valid_accuracy=0.47,
                                full_valid_loss=1.6, full_valid_accuracy=0.5)


def test_bom_crlf_whitespace_and_odd_rows():
    text = "\ufeffStep , Train_Loss\r\n1, 0.5\r\n\r\nnot-a-step,0.4\r\n2,nan\r\n3,\r\n2.0,0.3\r\n"
    points = parse_result_csv(text.encode("utf-8"))
    assert [(p.step, p.train_loss) for p in points] == [(1, 0.5), (2, 0.3), (3, None)]


def test_single_column_table_is_not_mistaken_for_base64():
    assert parse_result_csv("step\n1\n2\n") == [MetricPoint(1), MetricPoint(2)]


@pytest.mark.parametrize("content", [b"", "a,b\n1,2\n", b"%%%not base64%%%", base64.b64encode(b"\xff\xfe\x00")])
def test_not_a_metrics_table(content):
    with pytest.raises(MetricsFormatError):
        parse_result_csv(content)


def test_metric_events():
    event = {"type": "metrics", "created_at": 1700000060,
             "data": {"step": 3, "train_loss": 0.9, "train_mean_token_accuracy": 0.7, "total_steps": 10}}
    assert point_from_event(event) == MetricPoint(step=3, train_loss=0.9, train_accuracy=0.7, at=1700000060)
    assert point_from_event({"type": "message", "data": {"step": 3}}) is None
    assert point_from_event({"type": "metrics", "data": {"train_loss": 1}}) is None
    assert total_steps_from_events([event, {"data": {}}, {"data": {"total_steps": 12}}]) == 12
    assert total_steps_from_events([]) is None


def test_estimated_finish_from_pace_between_steps():
    # steps 2 and 4 reported 60 s apart: 30 s a step, 6 steps to go
    assert estimate_finish([(4, 1060.0), (2, 1000.0)], 10) == 1060.0 + 6 * 30


def test_estimated_finish_with_one_step_uses_the_start_time():
    assert estimate_finish([(2, 1100.0)], 10, started_at=1000.0) == 1100.0 + 8 * 50


def test_estimated_finish_unknown_or_done():
    assert estimate_finish([], 10) is None
    assert estimate_finish([(1, 5.0)], None) is None
    assert estimate_finish([(1, 5.0)], 10) is None  # one step, no start time
    assert estimate_finish([(10, 500.0)], 10) == 500.0
