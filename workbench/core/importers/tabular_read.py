"""A CSV/TSV file or an Excel sheet as column names plus a stream of rows, one pass at a time.

CSV is parsed with the standard ``csv`` module rather than ``pandas.read_csv``: it streams line by
line, tells on which line each row starts (pandas' ``on_bad_lines`` callable gets only the fields,
never their line), reports rows with too few *and* too many fields, and is faster than pandas'
python engine, the only engine that accepts such a callable. ``.xlsx`` is streamed with openpyxl's
read-only mode; old ``.xls`` goes through pandas (which needs the optional ``xlrd``).

Row numbers are what a spreadsheet shows: the header is row 1 and the first data row is row 2
(blank lines count as rows and a cell spanning several lines is one row, as in Excel).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import warnings
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from workbench.core.importers import tabular_sniff as sniff
from workbench.core.importers.base import ImportFailed

MAX_CELL = 32 * 1024 * 1024  # far above any real cell; reached only when a quote is never closed
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_ENCODING_HINT = "Choose the file's encoding in the import options (for example cp1252 or utf-8)."


@dataclass
class Row:
    number: int  # as a spreadsheet shows it (header = row 1 in the usual case)
    cells: list[str]  # exactly one per column
    line: int | None = None  # CSV: the physical line the row starts on
    problem: str | None = None  # set when the row cannot be used as it is


class Table:
    """Base of the readers. Use as a context manager; ``rows()`` may be called more than once."""

    format = ""
    unit = "bytes"  # what position() counts

    def __init__(self, path: Path) -> None:
        self.path = path
        self.columns: list[str] = []
        self.header_row = 1
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.sheet: str | None = None
        self.sheets: list[str] = []
        self.notes: list[str] = []

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def position(self) -> tuple[int, int]:
        """(done, total) of the current pass, in ``unit``."""
        raise NotImplementedError

    def estimate_rows(self, sampled: int) -> tuple[int, bool]:
        """(data rows, exact?) — exact when the whole file was seen."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    check_whole_file: bool = True,
    cancel: Callable[[], None] | None = None,
) -> Table:
    """Open by content, not by name: an .xlsx renamed .csv still opens, a TSV named .xls too."""
    head = sniff.read_head(path)
    if not head:
        raise ImportFailed("the file is empty.", file=path, hint="Choose the export that contains the data.")
    kind = sniff.container_kind(head)
    if kind == "zip":
        return ExcelTable(path, sheet)
    if kind == "ole2":
        return XlsTable(path, sheet)
    if path.suffix.lower() in EXCEL_SUFFIXES and head.lstrip()[:1] == b"<":
        raise ImportFailed(
            "this file is named like an Excel workbook but is a web page (HTML table).",
            file=path,
            hint="Open it in Excel or LibreOffice and save it as .xlsx or CSV, then import that.",
        )
    table = CsvTable(path, head, encoding, delimiter, check_whole_file, cancel)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table.notes.append(f"{path.name} is named like an Excel workbook but is a text file; it was read as CSV.")
    return table


def clean_header(cells: list[str]) -> list[str]:
    """Unique, non-empty column names, so a mapping can name every column."""
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff").strip() or f"Column {column_letter(index + 1)}"
        unique, n = name, 1
        while unique.lower() in seen:
            n += 1
            unique = f"{name} ({n})"
        seen.add(unique.lower())
        names.append(unique)
    return names


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA: how a spreadsheet names a column (without importing openpyxl for a CSV)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


# --- CSV / TSV ------------------------------------------------------------------------------------


class CsvTable(Table):
    format = "csv"

    def __init__(
        self,
        path: Path,
        head: bytes,
        encoding: str | None,
        delimiter: str | None,
        check_whole_file: bool,
        cancel: Callable[[], None] | None,
    ) -> None:
        super().__init__(path)
        try:
            self.size = path.stat().st_size
        except OSError as exc:
            raise ImportFailed(f"the file cannot be read ({exc.strerror or exc}).", file=path) from None
        if encoding:
            self.encoding = sniff.check_encoding_name(encoding)
        else:
            sniff.check_text(path, head)
            self.encoding = (
                sniff.detect_encoding(path, head, cancel) if check_whole_file else sniff.sniff_encoding(head)
            )
        self.head_size = len(head)
        self.sample = sniff.decode_sample(head, self.encoding, whole_file=len(head) >= self.size)
        if not self.sample.strip() and self.head_size >= self.size:
            raise ImportFailed("the file is empty (it contains only blank lines).", file=path)
        if delimiter:
            self.delimiter = _delimiter_option(delimiter)
        else:
            self.delimiter = sniff.sniff_delimiter(self.sample, path.suffix)
        self._done = 0
        self._read_header()

    def _read_header(self) -> None:
        records = self._records()
        try:
            for number, _line, cells in records:
                if not _blank(cells):
                    self.columns, self.header_row = clean_header(cells), number
                    return
        finally:
            records.close()
        raise ImportFailed("the file is empty (it contains only blank lines).", file=self.path)

    def _records(self) -> Generator[tuple[int, int, list[str]], None, None]:
        # Raising the (process-wide) limit only ever widens it; the default 128 KB is too small
        # for a long ticket thread in one cell.
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
        self._done = 0
        try:
            raw = self.path.open("rb")
        except OSError as exc:
            raise ImportFailed(f"the file cannot be read ({exc.strerror or exc}).", file=self.path) from None
        with raw, io.TextIOWrapper(raw, encoding=self.encoding, newline="") as text:
            # strict: an unclosed quote fails with its line instead of swallowing the rest of the file
            reader = csv.reader(text, delimiter=self.delimiter, strict=True)
            number = 0
            while True:
                line = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    self._done = self.size
                    return
                except csv.Error as exc:
                    raise _quote_problem(self.path, line, exc) from None
                except UnicodeDecodeError:
                    raise self._decode_problem() from None
                except OSError as exc:  # e.g. the drive went away mid-read
                    raise ImportFailed(
                        f"the file could not be read to the end ({exc.strerror or exc}).", file=self.path
                    ) from None
                number += 1
                self._done = raw.tell()
                if number == 1 and cells:
                    cells[0] = cells[0].lstrip("\ufeff")
                yield number, line, cells

    def _decode_problem(self) -> ImportFailed:
        # The text layer decodes ahead in chunks, so the reader's line is not where the bad byte
        # is; find it exactly (this only runs on the way to failing).
        where = sniff.first_undecodable(self.path, self.encoding or "utf-8")
        line, byte = where if where else (None, None)
        return ImportFailed(
            f"the text is not valid {sniff.encoding_label(self.encoding or '')}"
            + (f" (byte 0x{byte:02x})." if byte is not None else "."),
            file=self.path,
            line=line,
            hint=_ENCODING_HINT,
        )

    def rows(self) -> Iterator[Row]:
        width = len(self.columns)
        for number, line, cells in self._records():
            if number <= self.header_row:
                continue
            problem = None
            if len(cells) > width:
                while len(cells) > width and not cells[-1].strip():
                    cells.pop()  # trailing delimiters, as some exporters write them
                if len(cells) > width:
                    problem = f"row has {len(cells)} fields, expected {width}"
            cells = cells[:width] + [""] * (width - len(cells))  # short rows: empty cells, as in Excel
            yield Row(number, cells, line, problem)

    def position(self) -> tuple[int, int]:
        return self._done, self.size

    def estimate_rows(self, sampled: int) -> tuple[int, bool]:
        """From the rows in the first 64 KB: the text layer reads ahead, so position() cannot say."""
        whole = self.head_size >= self.size
        try:
            records = sum(1 for _ in csv.reader(io.StringIO(self.sample, newline=""), delimiter=self.delimiter))
        except csv.Error:  # the sample ends inside a quoted cell
            return sampled, False
        rows = max(records - self.header_row, 0)
        if whole:
            return rows, True
        sample_bytes = len(self.sample.encode(self.encoding or "utf-8", errors="replace")) or 1
        return max(sampled, round(rows * self.size / sample_bytes)), False


_DELIMITER_NAMES = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


def _delimiter_option(value: str) -> str:
    """A delimiter override; also accepts what a command line makes easy to type (\\t, tab, ...)."""
    delimiter = _DELIMITER_NAMES.get(value.lower(), value)
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        raise ImportFailed(
            f"{value!r} cannot be the delimiter.",
            hint="Use one character such as , ; | or a tab (written \\t or tab).",
        )
    return delimiter


def _quote_problem(path: Path, line: int, exc: csv.Error) -> ImportFailed:
    text = str(exc)
    hint = (
        "Open the file in a text editor at that line: a cell that contains a quote, a delimiter or a "
        'line break must be wrapped in quotes, with its own quotes doubled ("").'
    )
    if "end of data" in text or "field limit" in text:
        message = 'a quoted cell starts here but its closing quote (") is missing, so the rest of the file would become one cell.'
    elif "expected after" in text:
        message = "a quoted cell has more text after its closing quote."
    else:
        message = f"this line cannot be read as CSV ({text})."
    return ImportFailed(message, file=path, line=line, hint=hint)


# --- Excel ----------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person sees in it (12345, not 12345.0; dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


class _SheetTable(Table):
    """Shared by both Excel readers: rows come as lists of Python values."""

    format = "excel"
    unit = "rows"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._done = 0
        self._total = 0

    def _values(self) -> Generator[tuple[Any, ...], None, None]:
        raise NotImplementedError

    def _select(self, sheet: str | None) -> str:
        if not self.sheets:
            raise ImportFailed("the workbook has no sheets.", file=self.path)
        if sheet is None:
            return self.sheets[0]
        if sheet not in self.sheets:
            raise ImportFailed(
                f"the workbook has no sheet named '{sheet}'.",
                file=self.path,
                hint="Its sheets are: " + ", ".join(f"'{s}'" for s in self.sheets) + ".",
            )
        return sheet

    def _read_header(self) -> None:
        values = self._values()
        try:
            for number, row in enumerate(values, start=1):
                cells = [cell_text(v) for v in row]
                if not _blank(cells):
                    while cells and not cells[-1].strip():
                        cells.pop()  # formatted but empty cells right of the table
                    self.columns, self.header_row = clean_header(cells), number
                    return
        finally:
            values.close()
        raise ImportFailed(f"the sheet '{self.sheet}' is empty.", file=self.path, hint="Choose the sheet with the data.")

    def rows(self) -> Iterator[Row]:
        width = len(self.columns)
        self._done = 0
        for number, row in enumerate(self._values(), start=1):
            self._done = number
            if number <= self.header_row:
                continue
            cells = [cell_text(v) for v in row[:width]]
            yield Row(number, cells + [""] * (width - len(cells)))
        self._total = max(self._total, self._done)

    def position(self) -> tuple[int, int]:
        return self._done, max(self._total, self._done)

    def estimate_rows(self, sampled: int) -> tuple[int, bool]:
        return max(sampled, self._total - self.header_row), False


class ExcelTable(_SheetTable):
    """.xlsx / .xlsm, streamed row by row in openpyxl's read-only mode."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        super().__init__(path)
        import openpyxl  # only Excel imports pay for it

        self._fh = path.open("rb")
        try:
            with warnings.catch_warnings():
                # e.g. "Workbook contains no default style" / unsupported extensions: harmless here
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                self._wb = openpyxl.load_workbook(self._fh, read_only=True, data_only=True)
        except Exception as exc:  # a corrupt or foreign zip fails in many different ways
            self._fh.close()
            raise _not_a_workbook(path, exc) from None
        try:
            self.sheets = list(self._wb.sheetnames)
            self.sheet = self._select(sheet)
            self._ws = self._wb[self.sheet]
            if not hasattr(self._ws, "iter_rows"):
                raise ImportFailed(f"the sheet '{self.sheet}' is a chart, not a table.", file=path)
            self._total = self._ws.max_row or 0  # declared size, only for progress
            # Some generators write a wrong size, which makes openpyxl cut rows short; ignore it.
            self._ws.reset_dimensions()
            self._read_header()
        except BaseException:
            self.close()
            raise

    def _values(self) -> Generator[tuple[Any, ...], None, None]:
        rows = self._ws.iter_rows(values_only=True)
        while True:
            try:
                batch = list(islice(rows, 512))
            except Exception as exc:  # broken XML inside the zip
                raise _not_a_workbook(self.path, exc) from None
            if not batch:
                return
            yield from batch

    def close(self) -> None:
        self._wb.close()
        self._fh.close()


class XlsTable(_SheetTable):
    """Old binary .xls through pandas, which needs the optional xlrd; loaded whole (at most 65,536 rows)."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        super().__init__(path)
        import pandas as pd

        try:
            book = pd.ExcelFile(path)
        except ImportError:
            raise ImportFailed(
                "this is an old-style .xls workbook, which needs the 'xlrd' package to read; it is not installed.",
                file=path,
                hint="Open it in Excel or LibreOffice and save it as .xlsx or CSV, then import that.",
            ) from None
        except Exception as exc:
            raise _not_a_workbook(path, exc) from None
        with book:
            self.sheets = [str(s) for s in book.sheet_names]
            self.sheet = self._select(sheet)
            try:
                frame = book.parse(self.sheet, header=None, dtype=object, keep_default_na=False)
            except Exception as exc:
                raise _not_a_workbook(path, exc) from None
        self._data = [tuple(r) for r in frame.itertuples(index=False, name=None)]
        self._total = len(self._data)
        self._read_header()

    def _values(self) -> Generator[tuple[Any, ...], None, None]:
        yield from self._data


def _not_a_workbook(path: Path, exc: Exception) -> ImportFailed:
    detail = str(exc).strip() or type(exc).__name__
    return ImportFailed(
        f"the file cannot be read as an Excel workbook ({detail}).",
        file=path,
        hint="Open it in Excel or LibreOffice to check it, and save it again as .xlsx or CSV. "
        "If it is a zipped export, unzip it first.",
    )
