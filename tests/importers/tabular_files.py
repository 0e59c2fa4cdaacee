"""Small spreadsheet files written into tmp_path, and a helper that runs the tabular importer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.core.importers import tabular
from workbench.core.importers.base import ImportedExample, ImportReport

HELPDESK_CSV = (
    "Ticket ID,Question,Answer,Category\n"
    "101,Where is my order?,It ships tomorrow.,Shipping\n"
    "102,Can I get a refund?,\"Yes, within 30 days.\",Billing\n"
)


def write_text(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, name: str, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    path = tmp_path / name
    wb.save(path)
    return path


def run_import(paths: list[Path] | Path, options: tabular.TabularOptions | None = None, **kw) -> tuple[list[ImportedExample], ImportReport]:
    report = ImportReport()
    if isinstance(paths, Path):
        paths = [paths]
    items = list(tabular.run(paths, options or tabular.TabularOptions(), report, **kw))
    return items, report


def pairs(items: list[ImportedExample]) -> list[tuple[str, ...]]:
    """Each example's message texts, without the system prompt."""
    return [tuple(m["content"] for m in i.example["messages"] if m["role"] != "system") for i in items]


def mapped(**kw: str) -> tabular.TabularOptions:
    return tabular.TabularOptions(mapping=tabular.ColumnMapping(**kw))
