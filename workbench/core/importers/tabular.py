"""CSV / TSV / Excel import: one example per row, or one conversation per conversation id.

Reading (encodings, delimiters, Excel) lives in ``tabular_read``; which column is what lives in
``tabular_mapping``. This module turns rows into examples and says in the report what it left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.formats import chat_example
from workbench.core.importers import tabular_sniff as sniff
from workbench.core.importers.base import (
    CancelFn,
    ImportedExample,
    ImportFailed,
    ImportReport,
    ProgressFn,
    check_cancel,
)
from workbench.core.importers.tabular_mapping import ColumnMapping, guess_mapping, list_columns, resolve
from workbench.core.importers.tabular_read import Row, Table, open_table

__all__ = ["ColumnMapping", "TablePreview", "TabularOptions", "guess_mapping", "preview", "run"]

_TICK = 256  # rows between cancel checks / progress reports
_TAG_SPLIT = re.compile(r"[,;|]")
_FIELD = re.compile(r"\{([^{}]+)\}")


@dataclass
class TabularOptions:
    mapping: ColumnMapping | None = None  # None: guessed from the header names (noted in the report)
    system_prompt: str = ""  # template: {Column name} and {category} are replaced per row
    sheet: str | None = None  # Excel: the sheet to read; None = the first
    encoding: str | None = None  # override the detected encoding
    delimiter: str | None = None  # override the detected delimiter


@dataclass
class TablePreview:
    path: str
    format: str  # "csv" or "excel"
    columns: list[str]
    rows: list[list[str]]  # the first data rows, one string per column
    row_numbers: list[int] = field(default_factory=list)  # spreadsheet row number of each shown row
    problems: list[str | None] = field(default_factory=list)  # per shown row, e.g. "row has 5 fields, expected 3"
    encoding: str | None = None  # CSV: e.g. "utf-8", "cp1252"
    delimiter: str | None = None  # CSV: one of , ; \t |
    total_rows_estimate: int = 0  # data rows (without the header)
    estimate_exact: bool = False
    sheets: list[str] = field(default_factory=list)  # Excel: every sheet, in workbook order
    sheet: str | None = None  # Excel: the sheet shown
    header_row: int = 1  # the row the column names were found on
    notes: list[str] = field(default_factory=list)
    suggested: ColumnMapping | None = None  # guess_mapping(columns)


def preview(
    path: str | Path,
    rows: int = 20,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> TablePreview:
    """The first rows for the import wizard; reads only the start of the file."""
    path = Path(path)
    with open_table(path, sheet=sheet, encoding=encoding, delimiter=delimiter, check_whole_file=False) as table:
        shown: list[Row] = []
        stream = table.rows()
        for row in stream:
            shown.append(row)
            if len(shown) >= rows:
                break
        stream.close()
        estimate, exact = table.estimate_rows(len(shown))
        return TablePreview(
            path=str(path),
            format=table.format,
            columns=list(table.columns),
            rows=[r.cells for r in shown],
            row_numbers=[r.number for r in shown],
            problems=[r.problem for r in shown],
            encoding=table.encoding,
            delimiter=table.delimiter,
            total_rows_estimate=estimate,
            estimate_exact=exact,
            sheets=list(table.sheets),
            sheet=table.sheet,
            header_row=table.header_row,
            notes=list(table.notes),
            suggested=guess_mapping(table.columns),
        )


def run(
    paths: Iterable[str | Path],
    options: TabularOptions,
    report: ImportReport,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Iterator[ImportedExample]:
    paths = [Path(p) for p in paths]
    report.item_name = "rows"
    sizes = [_size(p) for p in paths]
    meter = _Meter(progress, sum(sizes))
    formats: set[str] = set()
    for path, size in zip(paths, sizes, strict=True):
        check_cancel(cancel)
        with open_table(
            path,
            sheet=options.sheet,
            encoding=options.encoding,
            delimiter=options.delimiter,
            cancel=lambda: check_cancel(cancel),
        ) as table:
            if str(path) not in report.files:  # the runner may have listed them already
                report.files.append(str(path))
            formats.add(table.format)
            report.source_format = "/".join(sorted(formats))
            _note_table(table, options, report)
            mapping = _mapping_for(table, options, report)
            reader = _FileImport(table, resolve(mapping, table.columns, path), options, report, meter, size, cancel)
            yield from reader.run()
        meter.file_done(size)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise ImportFailed("the file does not exist.", file=path) from None
    except OSError as exc:
        raise ImportFailed(f"the file cannot be read ({exc.strerror or exc}).", file=path) from None


def _note_table(table: Table, options: TabularOptions, report: ImportReport) -> None:
    for note in table.notes:
        report.note(note)
    if table.format == "csv" and table.encoding and table.delimiter:
        how = "chosen" if options.encoding else "detected"
        report.note(
            f"{table.path.name}: read as {sniff.encoding_label(table.encoding)} ({how}), "
            f"columns separated by {sniff.DELIMITER_LABELS.get(table.delimiter, repr(table.delimiter))}."
        )


def _mapping_for(table: Table, options: TabularOptions, report: ImportReport) -> ColumnMapping:
    if options.mapping is not None:
        return options.mapping
    guessed = guess_mapping(table.columns)
    if guessed is None:
        raise ImportFailed(
            "it is not clear which column holds the customer's message and which the agent's reply.",
            file=table.path,
            hint=f"Choose them in the column mapping. The columns in this file are: {list_columns(table.columns)}.",
        )
    chosen = ", ".join(f"{role} = '{col}'" for role, col in guessed.roles().items())
    report.note(f"{table.path.name}: columns chosen from their names: {chosen}.")
    return guessed


class _Meter:
    """Progress over all files in bytes; an Excel sheet's share moves with its rows."""

    def __init__(self, progress: ProgressFn | None, total: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.before = 0  # bytes of the files already finished

    def report(self, size: int, fraction: float) -> None:
        if self.progress is not None:
            self.progress(min(self.total, self.before + int(size * min(max(fraction, 0.0), 1.0))), self.total)

    def file_done(self, size: int) -> None:
        self.before += size
        if self.progress is not None:
            self.progress(min(self.before, self.total), self.total)


class _FileImport:
    """Rows of one file -> examples, with every row left out accounted for in the report."""

    def __init__(
        self,
        table: Table,
        index: dict[str, int],
        options: TabularOptions,
        report: ImportReport,
        meter: _Meter,
        size: int,
        cancel: CancelFn | None,
    ) -> None:
        self.table, self.index, self.options, self.report = table, index, options, report
        self.meter, self.size, self.cancel = meter, size, cancel
        self.passes = 2 if "conversation_id" in index else 1
        self.blank_rows = 0
        self.data_rows = 0
        self.malformed = 0

    def run(self) -> Iterator[ImportedExample]:
        if self.passes == 2:
            yield from self._conversations()
        else:
            yield from self._single_rows()
        if self.blank_rows:
            self.report.note(f"{self.table.path.name}: skipped {self.blank_rows:,} blank rows.")
        if not self.data_rows and self.malformed:
            raise ImportFailed(
                f"none of the {self.malformed:,} rows has the {len(self.table.columns)} fields the column names promise.",
                file=self.table.path,
                hint=self._malformed_hint(),
            )
        if not self.data_rows:
            raise ImportFailed(
                "there are no rows below the column names.",
                file=self.table.path,
                hint="Check that you chose the right file" + (" and sheet." if self.table.format == "excel" else "."),
            )

    # --- reading --------------------------------------------------------------------------------

    def _rows(self, pass_index: int) -> Iterator[Row]:
        """Usable rows of one pass; blank and malformed rows are counted on the last pass."""
        counting = pass_index == self.passes - 1
        for n, row in enumerate(self.table.rows(), start=1):
            if n % _TICK == 0:
                check_cancel(self.cancel)
                done, total = self.table.position()
                self.meter.report(self.size, (pass_index + (done / total if total else 0)) / self.passes)
            if row.problem:
                if counting:
                    self.malformed += 1
                    self.report.drop(row.problem, _where(row, with_line=True))
                continue
            if not any(c.strip() for c in row.cells):
                if counting:
                    self.blank_rows += 1
                continue
            if counting:
                self.data_rows += 1
                self.report.items_read += 1
            yield row

    def _malformed_hint(self) -> str:
        sep = self.table.delimiter
        named = sniff.DELIMITER_LABELS.get(sep or "", repr(sep))
        return (
            f"The columns were taken to be separated by {named}; if that is wrong, choose the delimiter "
            "in the import options. Otherwise cells that contain the delimiter must be wrapped in quotes."
        )

    def _cell(self, row: Row, role: str) -> str:
        i = self.index.get(role)
        return row.cells[i].strip() if i is not None else ""

    # --- one example per row --------------------------------------------------------------------

    def _single_rows(self) -> Iterator[ImportedExample]:
        for row in self._rows(0):
            customer, agent = self._cell(row, "customer"), self._cell(row, "agent")
            if not customer and not agent:
                self.report.drop("no customer message and no agent reply", _where(row))
            elif not agent:
                self.report.drop("empty agent reply", _where(row))
            elif not customer:
                self.report.drop("empty customer message", _where(row))
            else:
                messages = [{"role": "user", "content": customer}, {"role": "assistant", "content": agent}]
                source = self._source(row=row.number)
                yield self._emit(messages, [row], source)

    # --- one conversation per id ----------------------------------------------------------------

    def _conversations(self) -> Iterator[ImportedExample]:
        # Pass 1 finds each conversation's last row, so pass 2 can emit a conversation as soon as
        # it is complete: memory holds only the conversations still open, not the whole file.
        last: dict[str, int] = {}
        for row in self._rows(0):
            cid = self._cell(row, "conversation_id")
            if cid:
                last[cid] = row.number
        check_cancel(self.cancel)
        open_rows: dict[str, list[Row]] = {}
        for row in self._rows(1):
            cid = self._cell(row, "conversation_id")
            if not cid:
                self.report.drop("empty conversation id", _where(row))
                continue
            open_rows.setdefault(cid, []).append(row)
            if last.get(cid) == row.number:
                example = self._conversation(cid, open_rows.pop(cid))
                if example is not None:
                    yield example

    def _conversation(self, cid: str, rows: list[Row]) -> ImportedExample | None:
        if "order" in self.index:
            rows.sort(key=lambda r: _order_key(self._cell(r, "order")))  # stable: ties keep file order
        turns: list[tuple[dict, Row]] = []
        for row in rows:
            for role, key in (("user", "customer"), ("assistant", "agent")):
                text = self._cell(row, key)
                if text:  # an empty cell adds no message; the conversation goes on with the next
                    turns.append(({"role": role, "content": text}, row))
        roles = {m["role"] for m, _ in turns}
        if "assistant" not in roles:
            self.report.drop("no agent reply", f"conversation {cid}")
            return None
        if "user" not in roles:
            self.report.drop("no customer message", f"conversation {cid}")
            return None
        while turns[-1][0]["role"] == "user":  # training ignores what follows the last reply
            _, row = turns.pop()
            self.report.drop_comment("customer message after the last agent reply", _where(row))
        source = self._source(rows=[r.number for r in rows], conversation_id=cid)
        return self._emit([m for m, _ in turns], rows, source)

    # --- building -------------------------------------------------------------------------------

    def _emit(self, messages: list[dict], rows: list[Row], source: dict) -> ImportedExample:
        example = chat_example(messages, system_prompt=self._system(rows) or None)
        self.report.produced += 1
        return ImportedExample(example=example, source=source, tags=self._tags(rows))

    def _source(self, **where: object) -> dict:
        source: dict = {"file": str(self.table.path), **where, "format": self.table.format}
        if self.table.sheet is not None:
            source["sheet"] = self.table.sheet
        return source

    def _system(self, rows: list[Row]) -> str:
        for row in rows:
            own = self._cell(row, "system")
            if own:
                return own
        if not self.options.system_prompt:
            return ""
        first = rows[0]
        values = dict(zip(self.table.columns, (c.strip() for c in first.cells), strict=True))
        if "category" in self.index:
            values["category"] = self._cell(first, "category")
        return fill_template(self.options.system_prompt, values).strip()

    def _tags(self, rows: list[Row]) -> list[str]:
        tags: dict[str, None] = {}  # ordered set
        for row in rows:
            for tag in _TAG_SPLIT.split(self._cell(row, "tags")):
                if tag.strip():
                    tags.setdefault(tag.strip())
            category = self._cell(row, "category")
            if category:
                tags.setdefault(category)
        return list(tags)


def fill_template(template: str, values: dict[str, str]) -> str:
    """``{Column}`` -> the row's value. Unlike ``str.format_map``, unknown names and stray braces
    (a JSON snippet in the prompt, say) are left exactly as written instead of raising."""
    lowered = {k.lower(): v for k, v in values.items()}

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).strip()
        if key in values:
            return values[key]
        return lowered.get(key.lower(), match.group(0))

    return _FIELD.sub(replace, template)


def _order_key(value: str) -> tuple[int, float, str]:
    if not value:
        return (2, 0.0, "")  # rows without an order go last, in file order
    try:
        number = float(value)
    except ValueError:
        return (1, 0.0, value)  # text, e.g. ISO timestamps, which sort correctly as text
    if number != number:  # NaN
        return (1, 0.0, value)
    return (0, number, "")


def _where(row: Row, with_line: bool = False) -> str:
    if with_line and row.line is not None and row.line != row.number:
        return f"row {row.number} (line {row.line})"
    return f"row {row.number}"

