"""Validation: per-example checks, dataset-level facts kept current incrementally, file reports."""

from workbench.core.validation.issues import CODES, Issue, Severity, make_issue

__all__ = ["CODES", "Issue", "Severity", "make_issue"]
