"""Data quality: duplicates, canned answers, consistent greetings / sign-offs, splits, balance.

Pure Python (numpy and rapidfuzz for the heavy lifting), no Qt. Every scan takes examples as
``QualityRecord`` iterables (``WorkspaceRecords(ws)`` or ``JsonlRecords(path)``), an optional
``progress(done, total)`` and ``cancel()`` callable, and returns plain dataclasses that name
example ids. Every apply (``remove_duplicates``, ``standardise``, ``apply_splits``) is one undo step.
"""

from workbench.core.quality.balance import BalanceReport, SegmentStats, balance_report
from workbench.core.quality.base import CancelFn, ProgressFn, QualityCancelled, QualityRecord
from workbench.core.quality.canned import CannedAnswer, find_canned_answers
from workbench.core.quality.consistency import (
    ConsistencyReport,
    Variant,
    VariantFamily,
    find_variants,
    standardise,
    standardise_example,
)
from workbench.core.quality.duplicates import (
    find_duplicates,
    find_exact_duplicates,
    removal_ids,
    remove_duplicates,
)
from workbench.core.quality.groups import KEEP_POLICIES, DuplicateGroup, DuplicateReport
from workbench.core.quality.near_duplicates import find_near_duplicates
from workbench.core.quality.sources import JsonlRecords, UnreadableInput, WorkspaceRecords
from workbench.core.quality.splits import SplitPlan, SplitRatios, apply_splits, plan_splits, stratum_of

__all__ = [
    "KEEP_POLICIES", "BalanceReport", "CancelFn", "CannedAnswer", "ConsistencyReport", "DuplicateGroup",
    "DuplicateReport", "JsonlRecords", "ProgressFn", "QualityCancelled", "QualityRecord", "SegmentStats",
    "SplitPlan", "SplitRatios", "UnreadableInput", "Variant", "VariantFamily", "WorkspaceRecords",
    "apply_splits", "balance_report", "find_canned_answers", "find_duplicates", "find_exact_duplicates",
    "find_near_duplicates", "find_variants", "plan_splits", "remove_duplicates", "removal_ids", "standardise",
    "standardise_example", "stratum_of",
]
