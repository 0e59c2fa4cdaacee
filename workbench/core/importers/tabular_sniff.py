"""Guessing how a delimited text file is written: its encoding and its delimiter.

Only the standard library: the encodings a helpdesk or spreadsheet export realistically uses are
few, and trying them in order (UTF-8 first, since anything else that decodes as UTF-8 is almost
certainly UTF-8) is both predictable and explainable to the user, unlike a statistical detector.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from pathlib import Path

from workbench.core.importers.base import ImportFailed

SAMPLE_BYTES = 64 * 1024
_SCAN_CHUNK = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of old .xls workbooks

ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 (with byte-order mark)",
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "iso8859-1": "Latin-1 (ISO-8859-1)",
    "utf-16": "UTF-16",
}
DELIMITER_LABELS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def encoding_label(encoding: str) -> str:
    return ENCODING_LABELS.get(encoding, encoding)


def read_head(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except FileNotFoundError:
        raise ImportFailed("the file does not exist.", file=path) from None
    except IsADirectoryError:
        raise ImportFailed("this is a folder, not a file.", file=path) from None
    except OSError as exc:
        raise ImportFailed(f"the file cannot be read ({exc.strerror or exc}).", file=path) from None


def container_kind(head: bytes) -> str | None:
    """'zip' (an .xlsx, whatever its name), 'ole2' (an old .xls) or None for anything else."""
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE2_MAGIC):
        return "ole2"
    return None


def check_text(path: Path, head: bytes) -> None:
    """Refuse binary files with a sentence that says what the file probably is."""
    if head.startswith(_UTF16_BOMS) or b"\x00" not in head:
        return
    kind = container_kind(head)
    if kind is not None:
        raise ImportFailed(
            "this is an Excel workbook, not a text file.",
            file=path,
            hint="Rename it to .xlsx (or .xls) and import it again, or save it from Excel as CSV.",
        )
    raise ImportFailed(
        "this is not a text file (it contains binary data).",
        file=path,
        hint="Choose a CSV, TSV or Excel file. If it is UTF-16 text without a byte-order mark, "
        "choose the encoding 'utf-16' in the import options.",
    )


def sniff_encoding(head: bytes) -> str:
    """The first encoding in utf-8-sig, utf-8, cp1252, latin-1 that decodes ``head``."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            # final=False: the sample may end in the middle of a multi-byte character
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"  # decodes every byte


def detect_encoding(path: Path, head: bytes, cancel: Callable[[], None] | None = None) -> str:
    """Like ``sniff_encoding`` but checked against the whole file.

    A CSV that is UTF-8 for its first megabytes and has one Windows-1252 byte near the end
    would otherwise fail deep into the import; decoding costs about a second per gigabyte.
    """
    first = sniff_encoding(head)
    if first in ("utf-16", "utf-8-sig", "latin-1"):
        return first  # a BOM is a promise; latin-1 cannot fail
    for encoding in ("utf-8", "cp1252") if first == "utf-8" else ("cp1252",):
        if _decodes(path, encoding, cancel):
            return encoding
    return "latin-1"


def _decodes(path: Path, encoding: str, cancel: Callable[[], None] | None) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                if cancel is not None:
                    cancel()
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as exc:
        raise ImportFailed(f"the file cannot be read ({exc.strerror or exc}).", file=path) from None
    return True


def first_undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """(line, byte value) of the first byte ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    # exc.start counts from the bytes the decoder held back plus this chunk
                    pending = len(exc.object) - len(chunk)
                    return line + chunk.count(b"\n", 0, max(exc.start - pending, 0)), exc.object[exc.start]
                line += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return line, exc.object[exc.start]
    except OSError:
        return None
    return None


def check_encoding_name(encoding: str) -> str:
    """A user's encoding override, checked before any byte is read."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ImportFailed(
            f"'{encoding}' is not an encoding Python knows.",
            hint="Use for example utf-8, cp1252, latin-1 or utf-16.",
        ) from None


def decode_sample(head: bytes, encoding: str, whole_file: bool) -> str:
    """Text of the sample; a partial last line is cut off unless the sample is the whole file."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=whole_file)
    text = text.lstrip("\ufeff")  # an override of plain utf-8 on a file with a BOM
    if not whole_file and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def sniff_delimiter(text: str, suffix: str = "") -> str:
    """The candidate delimiter that splits the sample into the most consistent table.

    ``csv.Sniffer`` alone guesses wrong on short samples and on text full of commas, so each
    candidate is scored by how many rows have the header's width; the Sniffer only breaks ties.
    """
    if suffix.lower() == ".tsv":
        return "\t"
    try:
        sniffed = csv.Sniffer().sniff(text[:SAMPLE_BYTES], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    best, best_score = ",", None
    for index, delimiter in enumerate(DELIMITERS):
        rows = _sample_rows(text, delimiter)
        width = len(rows[0]) if rows else 0
        body = [r for r in rows[1:] if any(c.strip() for c in r)]
        fit = sum(1 for r in body if len(r) == width) / len(body) if body else 1.0
        score = (width > 1, fit, delimiter == sniffed, width, -index)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(text: str, delimiter: str, limit: int = 50) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if not rows and not any(c.strip() for c in row):
                continue  # blank lines before the header
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass  # a sample cut inside a quoted cell; the rows read so far still count
    return rows
