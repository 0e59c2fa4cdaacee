"""`workbench import`: filled in with the importers (see workbench/core/importers)."""

from __future__ import annotations


def add_import_parser(sub) -> None:
    pass


def run_import_command(args) -> int:
    return 2
