"""Encoding and delimiter guesses for delimited text files."""

from __future__ import annotations

import codecs

import pytest

from workbench.core.importers.base import ImportFailed
from workbench.core.importers.tabular_sniff import (
    SAMPLE_BYTES,
    check_text,
    detect_encoding,
    sniff_delimiter,
    sniff_encoding,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"question,answer\nhello,world\n", "utf-8"),
        ("question,answer\nGrüße,Ça va\n".encode(), "utf-8"),
        (codecs.BOM_UTF8 + b"q,a\nx,y\n", "utf-8-sig"),
        ("q,a\ncafé,naïve – “quoted”\n".encode("cp1252"), "cp1252"),
        (b"q,a\n\x81\x8d,x\n", "latin-1"),  # bytes cp1252 leaves undefined
        ("q,a\nx,y\n".encode("utf-16"), "utf-16"),
    ],
)
def test_encodings_are_tried_in_order(data, expected):
    assert sniff_encoding(data) == expected


def test_a_multibyte_character_cut_by_the_sample_is_still_utf8():
    data = ("q,a\n" + "é" * 10).encode()
    assert sniff_encoding(data[:-1]) == "utf-8"


def test_the_whole_file_decides_not_just_its_start(tmp_path):
    # UTF-8-looking for the whole sample, one Windows-1252 byte far beyond it
    body = b"q,a\n" + b"hello,world\n" * (SAMPLE_BYTES // 12 + 100) + "caf\u00e9,ok\n".encode("cp1252")
    path = tmp_path / "late.csv"
    path.write_bytes(body)
    head = body[:SAMPLE_BYTES]
    assert sniff_encoding(head) == "utf-8"
    assert detect_encoding(path, head) == "cp1252"


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("question,answer\nhi; there,ok; fine\nx,y\n", ".csv", ","),
        ("Frage;Antwort;Preis\nWie viel?;Es kostet;1,50\nA;B;2,75\n", ".csv", ";"),
        ("q\ta\nhello, there\tok, sure\n", ".txt", "\t"),
        ("q|a\nx|y\n", ".csv", "|"),
        ("only one column\nvalue\n", ".csv", ","),
        ("q,a\n", ".tsv", "\t"),
        ('q,a\n"a ; b ; c",d\n', ".csv", ","),
    ],
)
def test_delimiter_is_the_one_that_makes_a_consistent_table(text, suffix, expected):
    assert sniff_delimiter(text, suffix) == expected


def test_binary_files_are_refused_with_what_they_are(tmp_path):
    path = tmp_path / "x.csv"
    with pytest.raises(ImportFailed, match="Excel workbook"):
        check_text(path, b"PK\x03\x04\x00\x00rest")
    with pytest.raises(ImportFailed, match="not a text file"):
        check_text(path, b"\x7fELF\x00\x01\x02")
    check_text(path, "q,a".encode("utf-16"))  # NUL bytes, but a BOM says it is text


@pytest.mark.parametrize("chunk", [1, 3, 1024 * 1024])
def test_first_undecodable_finds_the_line_even_across_chunks(tmp_path, monkeypatch, chunk):
    from workbench.core.importers import tabular_sniff

    monkeypatch.setattr(tabular_sniff, "_SCAN_CHUNK", chunk)
    path = tmp_path / "x.csv"
    path.write_bytes("é\n".encode() * 10 + b"ok \xc3\xa9\xe9\n")
    assert tabular_sniff.first_undecodable(path, "utf-8") == (11, 0xE9)
    path.write_bytes("é\n".encode() * 5)
    assert tabular_sniff.first_undecodable(path, "utf-8") is None
    assert tabular_sniff.detect_encoding(path, path.read_bytes()) == "utf-8"
