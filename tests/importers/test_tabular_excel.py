"""Excel workbooks: sheets, typed cells, and files that only look like workbooks."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.importers.tabular_files import mapped, pairs, run_import, write_text, write_xlsx
from workbench.core.importers.base import ImportFailed
from workbench.core.importers.tabular import TabularOptions, preview


def _workbook(tmp_path):
    return write_xlsx(
        tmp_path,
        "support.xlsx",
        {
            "Summary": [["Exported by Helpdesk"]],
            "Tickets": [
                [None],
                ["Ticket", "Question", "Answer", "When", "Score", None, None],  # header on row 2
                [1001, "Is it waterproof?", "Yes, to 30 m.", dt.datetime(2024, 5, 1, 9, 30), 4.5],
                [1002, "Do you ship to Norway?", "We do.", dt.datetime(2024, 5, 2), 5.0],
                [None, None, None, None, None],
                [1003, "Café?", None],
            ],
        },
    )


def test_a_chosen_sheet_is_read_with_spreadsheet_row_numbers(tmp_path):
    path = _workbook(tmp_path)
    options = mapped(customer="Question", agent="Answer")
    options.sheet = "Tickets"
    items, report = run_import(path, options)
    assert pairs(items) == [("Is it waterproof?", "Yes, to 30 m."), ("Do you ship to Norway?", "We do.")]
    assert [i.source for i in items] == [
        {"file": str(path), "row": 3, "format": "excel", "sheet": "Tickets"},
        {"file": str(path), "row": 4, "format": "excel", "sheet": "Tickets"},
    ]
    assert report.dropped["empty agent reply"].first_ids == ["row 6"]
    assert report.source_format == "excel"


def test_typed_cells_read_as_a_person_sees_them(tmp_path):
    path = _workbook(tmp_path)
    options = TabularOptions(sheet="Tickets", system_prompt="Ticket {Ticket} from {When}, score {Score}.")
    items, _ = run_import(path, options)
    assert [i.example["messages"][0]["content"] for i in items] == [
        "Ticket 1001 from 2024-05-01 09:30:00, score 4.5.",
        "Ticket 1002 from 2024-05-02, score 5.",
    ]


def test_the_first_sheet_is_the_default_and_a_missing_sheet_lists_the_sheets(tmp_path):
    path = _workbook(tmp_path)
    with pytest.raises(ImportFailed, match="no rows below the column names"):
        run_import(path, mapped(customer="Exported by Helpdesk", agent="Exported by Helpdesk"))
    with pytest.raises(ImportFailed) as err:
        run_import(path, TabularOptions(sheet="Sheet1"))
    assert "'Sheet1'" in str(err.value) and "'Summary', 'Tickets'" in err.value.hint


def test_an_empty_sheet_fails_plainly(tmp_path):
    path = write_xlsx(tmp_path, "e.xlsx", {"Empty": []})
    with pytest.raises(ImportFailed, match="the sheet 'Empty' is empty"):
        run_import(path)


def test_preview_lists_sheets_and_the_header_row(tmp_path):
    path = _workbook(tmp_path)
    shown = preview(path, sheet="Tickets")
    assert shown.format == "excel" and shown.sheets == ["Summary", "Tickets"] and shown.sheet == "Tickets"
    assert shown.columns == ["Ticket", "Question", "Answer", "When", "Score"]
    assert shown.header_row == 2 and shown.row_numbers == [3, 4, 5, 6]
    assert shown.rows[0] == ["1001", "Is it waterproof?", "Yes, to 30 m.", "2024-05-01 09:30:00", "4.5"]
    assert shown.suggested is not None and (shown.suggested.customer, shown.suggested.agent) == ("Question", "Answer")


def test_progress_for_a_workbook_reaches_the_end(tmp_path):
    rows = [["Question", "Answer"]] + [[f"q{i}", f"a{i}"] for i in range(600)]
    path = write_xlsx(tmp_path, "big.xlsx", {"Data": rows})
    seen: list[tuple[int, int]] = []
    items, _ = run_import(path, progress=lambda d, t: seen.append((d, t)))
    assert len(items) == 600
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_workbook_renamed_to_csv_is_still_read(tmp_path):
    xlsx = write_xlsx(tmp_path, "real.xlsx", {"S": [["Question", "Answer"], ["q", "a"]]})
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(xlsx.read_bytes())
    items, _ = run_import(renamed)
    assert pairs(items) == [("q", "a")]


def test_a_text_file_named_xls_is_read_as_text_and_said_so(tmp_path):
    path = write_text(tmp_path, "export.xls", "Question\tAnswer\nq\ta\n")
    items, report = run_import(path)
    assert pairs(items) == [("q", "a")]
    assert any("read as CSV" in n for n in report.notes)


def test_a_web_page_named_xls_fails_with_what_to_do(tmp_path):
    path = write_text(tmp_path, "export.xls", "<html><table><tr><td>q</td></tr></table></html>")
    with pytest.raises(ImportFailed, match="web page") as err:
        run_import(path)
    assert "save it as .xlsx" in err.value.hint


def test_a_corrupt_workbook_fails_without_a_traceback(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFailed, match="cannot be read as an Excel workbook"):
        run_import(path)


def test_an_old_xls_without_xlrd_says_how_to_convert_it(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ImportFailed) as err:
        run_import(path)
    assert err.value.file == str(path)
    assert ".xlsx" in err.value.hint
