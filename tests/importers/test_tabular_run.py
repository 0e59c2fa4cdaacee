"""CSV / TSV import: what a user gets from their spreadsheet, and what the report tells them."""

from __future__ import annotations

import codecs

import pytest

from tests.importers.tabular_files import HELPDESK_CSV, mapped, pairs, run_import, write_text
from workbench.core.importers.base import ImportCancelled, ImportFailed
from workbench.core.importers.tabular import TabularOptions, fill_template


def test_one_example_per_row_with_provenance_and_category_tag(tmp_path):
    path = write_text(tmp_path, "helpdesk.csv", HELPDESK_CSV)
    items, report = run_import(path, mapped(customer="Question", agent="Answer", category="Category"))
    assert [i.example for i in items] == [
        {"messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "It ships tomorrow."}]},
        {"messages": [{"role": "user", "content": "Can I get a refund?"}, {"role": "assistant", "content": "Yes, within 30 days."}]},
    ]
    assert [i.source for i in items] == [
        {"file": str(path), "row": 2, "format": "csv"},
        {"file": str(path), "row": 3, "format": "csv"},
    ]
    assert [i.tags for i in items] == [["Shipping"], ["Billing"]]
    assert (report.items_read, report.produced, report.item_name, report.files) == (2, 2, "rows", [str(path)])
    assert report.dropped == {}


def test_without_a_mapping_the_columns_are_guessed_and_the_guess_is_reported(tmp_path):
    path = write_text(tmp_path, "h.csv", "Question,Answer\nhi,hello\n")
    items, report = run_import(path)
    assert pairs(items) == [("hi", "hello")]
    assert any("customer = 'Question', agent = 'Answer'" in n for n in report.notes)


def test_a_mapping_that_cannot_be_guessed_fails_naming_the_columns(tmp_path):
    path = write_text(tmp_path, "h.csv", "Frage,Antwort\nhi,hello\n")
    with pytest.raises(ImportFailed, match="'Frage', 'Antwort'") as err:
        run_import(path)
    assert err.value.file == str(path)


def test_missing_mapped_column_fails_before_anything_is_produced(tmp_path):
    path = write_text(tmp_path, "h.csv", "Question,Reply\nhi,hello\n")
    with pytest.raises(ImportFailed, match=r"no column 'Answer'.*'Question', 'Reply'"):
        run_import(path, mapped(customer="Question", agent="Answer"))


def test_windows_1252_file_keeps_its_accents_and_says_how_it_was_read(tmp_path):
    text = "Question,Answer\nMon colis est arrivé abîmé,Désolé ! Nous renvoyons l’article – gratuitement.\n"
    path = write_text(tmp_path, "fr.csv", text, encoding="cp1252")
    items, report = run_import(path)
    assert pairs(items) == [("Mon colis est arrivé abîmé", "Désolé ! Nous renvoyons l’article – gratuitement.")]
    assert any("Windows-1252" in n for n in report.notes)


def test_utf8_with_bom_does_not_leak_into_the_first_column_name(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "Question,Answer\nça,oui\n".encode())
    items, report = run_import(path, mapped(customer="Question", agent="Answer"))
    assert pairs(items) == [("ça", "oui")]
    assert any("byte-order mark" in n for n in report.notes)


def test_utf16_export_from_excel(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("Question\tAnswer\n日本語\tはい\n".encode("utf-16"))
    items, _ = run_import(path)
    assert pairs(items) == [("日本語", "はい")]


def test_semicolon_csv_as_written_by_european_excel(tmp_path):
    path = write_text(tmp_path, "de.csv", "Frage;Antwort\nKostet das 1,50 €?;Ja, 1,50 €.\n")
    items, report = run_import(path, mapped(customer="Frage", agent="Antwort"))
    assert pairs(items) == [("Kostet das 1,50 €?", "Ja, 1,50 €.")]
    assert any("semicolons" in n for n in report.notes)


def test_tsv(tmp_path):
    path = write_text(tmp_path, "t.tsv", "prompt\tcompletion\nhello, there\tgeneral, Kenobi\n")
    items, _ = run_import(path)
    assert pairs(items) == [("hello, there", "general, Kenobi")]


def test_encoding_and_delimiter_overrides_win(tmp_path):
    path = write_text(tmp_path, "o.csv", "q|a\nh\u00e9|ok\n", encoding="latin-1")
    with pytest.raises(ImportFailed, match="not valid UTF-8") as err:
        run_import(path, TabularOptions(mapping=mapped(customer="q", agent="a").mapping, encoding="utf-8"))
    assert err.value.line == 2 and "encoding" in err.value.hint
    options = mapped(customer="q", agent="a")
    options.encoding, options.delimiter = "latin-1", "|"
    items, _ = run_import(path, options)
    assert pairs(items) == [("hé", "ok")]


def test_unknown_encoding_override_is_a_plain_failure(tmp_path):
    path = write_text(tmp_path, "o.csv", "q,a\nx,y\n")
    with pytest.raises(ImportFailed, match="not an encoding"):
        run_import(path, TabularOptions(encoding="klingon-8"))


def test_cells_spanning_lines_and_quotes_count_as_one_spreadsheet_row(tmp_path):
    text = 'Question,Answer\n"first line\nsecond line","He said ""hi"""\nq2,a2\n'
    path = write_text(tmp_path, "m.csv", text)
    items, _ = run_import(path)
    assert pairs(items) == [("first line\nsecond line", 'He said "hi"'), ("q2", "a2")]
    assert [i.source["row"] for i in items] == [2, 3]


def test_empty_cells_are_reported_never_silently_dropped(tmp_path):
    text = "Question,Answer,Notes\nq1,a1,\nq2,,x\n,a3,\n,,only notes\n,,\nq6,a6,\n"
    path = write_text(tmp_path, "e.csv", text)
    items, report = run_import(path, mapped(customer="Question", agent="Answer"))
    assert pairs(items) == [("q1", "a1"), ("q6", "a6")]
    assert report.dropped["empty agent reply"].first_ids == ["row 3"]
    assert report.dropped["empty customer message"].first_ids == ["row 4"]
    assert report.dropped["no customer message and no agent reply"].first_ids == ["row 5"]
    assert any("skipped 1 blank rows" in n for n in report.notes)  # row 6: nothing in it at all
    assert report.items_read == 5


def test_ragged_rows_are_skipped_and_counted_with_their_rows(tmp_path):
    text = "Question,Answer\nq1,a1\nq2,a2,surprise\nq3,a3,,\nq4\n\"multi\nline\",a5,x,y\n"
    path = write_text(tmp_path, "r.csv", text)
    items, report = run_import(path, mapped(customer="Question", agent="Answer"))
    assert pairs(items) == [("q1", "a1"), ("q3", "a3")]  # trailing empty fields are harmless
    assert report.dropped["row has 3 fields, expected 2"].first_ids == ["row 3"]
    assert report.dropped["row has 4 fields, expected 2"].first_ids == ["row 6"]
    assert report.dropped["empty agent reply"].first_ids == ["row 5"]  # a short row is padded, as in Excel


def test_ragged_row_after_a_multiline_cell_names_its_line_too(tmp_path):
    text = 'Question,Answer\n"two\nlines",a\nq,a,extra\n'
    path = write_text(tmp_path, "r.csv", text)
    _, report = run_import(path, mapped(customer="Question", agent="Answer"))
    assert report.dropped["row has 3 fields, expected 2"].first_ids == ["row 3 (line 4)"]


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_an_empty_file_fails_plainly(tmp_path, data):
    path = tmp_path / "empty.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFailed, match="the file is empty"):
        run_import(path, mapped(customer="q", agent="a"))


def test_a_header_without_rows_fails_plainly(tmp_path):
    path = write_text(tmp_path, "h.csv", "Question,Answer\n\n")
    with pytest.raises(ImportFailed, match="no rows below the column names"):
        run_import(path)


def test_an_unclosed_quote_fails_at_the_line_where_the_cell_starts(tmp_path):
    path = write_text(tmp_path, "q.csv", 'Question,Answer\nq1,a1\n"oops,a2\nq3,a3\n')
    with pytest.raises(ImportFailed, match="closing quote") as err:
        run_import(path)
    assert err.value.line == 3 and err.value.file == str(path)


def test_a_missing_file_fails_plainly(tmp_path):
    with pytest.raises(ImportFailed, match="does not exist"):
        run_import(tmp_path / "nope.csv")


def test_system_prompt_template_uses_row_values_and_leaves_unknown_names(tmp_path):
    text = "Question,Answer,Product Name,Category\nq,a,Widget,Billing\n"
    path = write_text(tmp_path, "s.csv", text)
    options = mapped(customer="Question", agent="Answer", category="Category")
    options.system_prompt = 'You support {Product Name} ({category}). Reply as JSON {"ok": true}. {unknown}'
    items, _ = run_import(path, options)
    assert items[0].example["messages"][0] == {
        "role": "system",
        "content": 'You support Widget (Billing). Reply as JSON {"ok": true}. {unknown}',
    }


def test_a_system_column_wins_over_the_template_when_filled(tmp_path):
    path = write_text(tmp_path, "s.csv", "Question,Answer,System\nq1,a1,Be brief.\nq2,a2,\n")
    options = mapped(customer="Question", agent="Answer", system="System")
    options.system_prompt = "Default."
    items, _ = run_import(path, options)
    assert [i.example["messages"][0]["content"] for i in items] == ["Be brief.", "Default."]


def test_tags_are_split_and_merged_with_the_category(tmp_path):
    path = write_text(tmp_path, "t.csv", 'Question,Answer,Tags,Category\nq,a,"vip, refund;urgent|refund",Billing\n')
    items, _ = run_import(path, mapped(customer="Question", agent="Answer", tags="Tags", category="Category"))
    assert items[0].tags == ["vip", "refund", "urgent", "Billing"]


def test_fill_template_never_raises_on_braces():
    assert fill_template("{a} {b.c} {0} {{x}} {", {"a": "1"}) == "1 {b.c} {0} {{x}} {"


def test_progress_ends_at_the_total_and_cancel_stops_the_import(tmp_path):
    rows = "".join(f"q{i},a{i}\n" for i in range(2000))
    path = write_text(tmp_path, "big.csv", "Question,Answer\n" + rows)
    seen: list[tuple[int, int]] = []
    items, _ = run_import(path, progress=lambda d, t: seen.append((d, t)))
    assert len(items) == 2000
    size = path.stat().st_size
    assert seen[-1] == (size, size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(ImportCancelled):
        run_import(path, cancel=lambda: True)


def test_several_files_are_imported_in_order(tmp_path):
    a = write_text(tmp_path, "a.csv", "Question,Answer\nqa,aa\n")
    b = write_text(tmp_path, "b.tsv", "Question\tAnswer\nqb\tab\n")
    items, report = run_import([a, b])
    assert pairs(items) == [("qa", "aa"), ("qb", "ab")]
    assert report.files == [str(a), str(b)]


@pytest.mark.parametrize("given", ["\\t", "tab", "\t"])
def test_a_tab_delimiter_can_be_typed_on_a_command_line(tmp_path, given):
    path = write_text(tmp_path, "t.txt", "Question\tAnswer\nq, 1\ta, 2\n")
    items, _ = run_import(path, TabularOptions(delimiter=given))
    assert pairs(items) == [("q, 1", "a, 2")]


def test_an_impossible_delimiter_is_refused(tmp_path):
    path = write_text(tmp_path, "t.csv", "Question,Answer\nq,a\n")
    with pytest.raises(ImportFailed, match="cannot be the delimiter"):
        run_import(path, TabularOptions(delimiter='"'))


def test_when_no_row_fits_the_header_the_delimiter_is_suspected(tmp_path):
    path = write_text(tmp_path, "w.csv", "Question,Answer\nq,a,b\nq,a,b,c\n")
    with pytest.raises(ImportFailed, match="none of the 2 rows has the 2 fields") as err:
        run_import(path, TabularOptions(delimiter=","))
    assert "separated by commas" in err.value.hint


def test_blank_lines_before_the_header_are_skipped_even_past_the_sample(tmp_path):
    path = write_text(tmp_path, "b.csv", "\n" * 70_000 + "Question,Answer\nq,a\n")
    items, _ = run_import(path)
    assert pairs(items) == [("q", "a")]
    assert items[0].source["row"] == 70_002
