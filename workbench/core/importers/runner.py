"""Run an import end to end: detect the source, run its importer, then commit all or nothing.

The importer's examples are collected first; only a completed import is written (a JSONL file
replaced atomically, or one workspace transaction that is one undo step). A cancelled or failed
import leaves the destination exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.atomic import atomic_writer
from workbench.core.formats import dumps
from workbench.core.gc_pause import collector_paused
from workbench.core.importers.base import CancelFn, ImportedExample, ImportFailed, ImportReport, ProgressFn

SOURCES = ("auto", "csv", "excel", "zendesk", "jsonl")


@dataclass
class ImportSettings:
    source: str = "auto"
    system_prompt: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # tabular: customer=COL, agent=COL, ...
    statuses: set[str] | None = None  # zendesk
    csat: str = "any"  # zendesk: any | good
    convert_legacy: bool = False  # jsonl
    extra: dict[str, Any] = field(default_factory=dict)  # importer-specific options by field name


@dataclass
class ImportResult:
    source: str
    examples: list[ImportedExample]
    report: ImportReport


def run_import(
    paths: list[Path], settings: ImportSettings, progress: ProgressFn | None = None, cancel: CancelFn | None = None
) -> ImportResult:
    paths = [Path(p) for p in paths]
    source = settings.source
    if source == "auto":
        from workbench.core.importers.detect import detect_format

        source = detect_format(paths)
    if source not in SOURCES:
        raise ImportFailed(f"'{source}' is not a source this version can import (choose from {', '.join(SOURCES[1:])}).")
    report = ImportReport(source_format=source, files=[str(p) for p in paths])
    importer, options = _importer_for(source, paths, settings)
    with collector_paused():  # keeping every conversation: spare the collector from re-scanning them
        examples = list(importer.run(paths, options, report, progress, cancel))
    report.produced = len(examples)
    return ImportResult(source, examples, report)


def _importer_for(source: str, paths: list[Path], settings: ImportSettings):
    if source == "zendesk":
        from workbench.core.importers import zendesk

        kwargs: dict[str, Any] = {"csat": settings.csat, "system_prompt": settings.system_prompt, **settings.extra}
        if settings.statuses is not None:
            kwargs["statuses"] = set(settings.statuses)
        return zendesk, zendesk.ZendeskOptions(**kwargs)
    if source in ("csv", "excel"):
        from workbench.core.importers import tabular

        mapping = settings.mapping or {}
        column_mapping = None  # None: the importer guesses per file from the header (noted in the report)
        if mapping:
            unknown = set(mapping) - set(tabular.ColumnMapping.__dataclass_fields__)
            if unknown:
                raise ImportFailed(
                    f"--map does not know {', '.join(sorted(unknown))}; use "
                    + ", ".join(tabular.ColumnMapping.__dataclass_fields__) + "."
                )
            if "customer" not in mapping or "agent" not in mapping:
                raise ImportFailed("--map needs at least customer=COLUMN and agent=COLUMN.")
            column_mapping = tabular.ColumnMapping(**mapping)
        return tabular, tabular.TabularOptions(mapping=column_mapping, system_prompt=settings.system_prompt or "",
                                               **settings.extra)
    from workbench.core.importers import jsonl_source

    return jsonl_source, jsonl_source.JsonlOptions(
        convert_legacy=settings.convert_legacy, system_prompt=settings.system_prompt, **settings.extra
    )


def write_jsonl(result: ImportResult, out: Path) -> None:
    with atomic_writer(out) as fh:
        for item in result.examples:
            fh.write(dumps(item.example) + "\n")


def write_workspace(result: ImportResult, workspace) -> list[int]:
    """All examples in one transaction = one undo step. ``workspace``: core.store.Workspace."""
    from workbench.core.store.workspace import NewExample

    label = f"Import {len(result.examples):,} conversations"
    return workspace.add_examples(
        (NewExample(data=i.example, source=i.source, tags=list(i.tags)) for i in result.examples), label
    )


def preview_import(paths: list[Path], settings: ImportSettings, limit: int = 5,
                   cancel: CancelFn | None = None) -> ImportResult:
    """The first ``limit`` conversations exactly as the import would produce them."""
    from itertools import islice

    paths = [Path(p) for p in paths]
    source = settings.source
    if source == "auto":
        from workbench.core.importers.detect import detect_format

        source = detect_format(paths)
    report = ImportReport(source_format=source, files=[str(p) for p in paths])
    importer, options = _importer_for(source, paths, settings)
    gen = importer.run(paths, options, report, None, cancel)
    try:
        items = list(islice(gen, limit))
    finally:
        gen.close()
    return ImportResult(source, items, report)
