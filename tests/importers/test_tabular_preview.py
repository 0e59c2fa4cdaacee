"""What the import wizard shows before anything is imported."""

from __future__ import annotations

import pytest

from tests.importers.tabular_files import HELPDESK_CSV, write_text
from workbench.core.importers.base import ImportFailed
from workbench.core.importers.tabular import preview


def test_preview_of_a_small_csv_is_exact(tmp_path):
    path = write_text(tmp_path, "h.csv", HELPDESK_CSV)
    shown = preview(path)
    assert shown.format == "csv" and shown.encoding == "utf-8" and shown.delimiter == ","
    assert shown.columns == ["Ticket ID", "Question", "Answer", "Category"]
    assert shown.rows == [
        ["101", "Where is my order?", "It ships tomorrow.", "Shipping"],
        ["102", "Can I get a refund?", "Yes, within 30 days.", "Billing"],
    ]
    assert (shown.total_rows_estimate, shown.estimate_exact) == (2, True)
    assert shown.row_numbers == [2, 3] and shown.problems == [None, None]
    assert shown.suggested is not None and shown.suggested.category == "Category"


def test_preview_reads_only_the_start_and_estimates_the_rest(tmp_path):
    body = "".join(f"question number {i},answer number {i}\n" for i in range(20_000))
    path = write_text(tmp_path, "big.csv", "Question,Answer\n" + body)
    shown = preview(path, rows=5)
    assert len(shown.rows) == 5 and not shown.estimate_exact
    assert 18_000 <= shown.total_rows_estimate <= 22_000


def test_preview_marks_rows_the_import_would_skip(tmp_path):
    path = write_text(tmp_path, "r.csv", "Question,Answer\nq,a\nq,a,extra\n")
    assert preview(path).problems == [None, "row has 3 fields, expected 2"]


def test_blank_header_cells_and_duplicates_get_usable_names(tmp_path):
    path = write_text(tmp_path, "d.csv", "Question,,Question,answer\nq,x,q2,a\n")
    assert preview(path).columns == ["Question", "Column B", "Question (2)", "answer"]


def test_preview_of_an_empty_file_fails_plainly(tmp_path):
    path = write_text(tmp_path, "e.csv", "")
    with pytest.raises(ImportFailed, match="the file is empty"):
        preview(path)
