"""Personal data in training examples: find it, review it, replace it with typed placeholders.

    settings = load_settings(ws)                      # or PiiSettings(region="GB", ...)
    result = scan_workspace(ws, settings, progress=..., cancel=...)
    accepted = [f for f in result.findings if f.key not in rejected]
    apply_redactions(ws, accepted, numbered=settings.numbered)   # one undo step + audit row
    unredacted_pii_summary(ws)                        # {"email": 3, ...} before an upload

Pure Python (no Qt); ``phonenumbers`` reads phone numbers. Raw values exist only in memory
(``Finding.value`` for the review); the audit log and every printed form hold counts and masks.
"""

from workbench.core.pii.apply import DEFAULT_LABEL, RedactionResult, apply_redactions
from workbench.core.pii.audit import AuditEntry, read_log
from workbench.core.pii.engine import Detector
from workbench.core.pii.finding import Finding, mask
from workbench.core.pii.kinds import (
    BUILTIN_KINDS,
    CARD,
    EMAIL,
    IBAN,
    IP,
    NAME,
    PHONE,
    URL,
    label,
    placeholder,
    title,
)
from workbench.core.pii.placeholders import placeholders_for, redact_example
from workbench.core.pii.redact_file import FileRedaction, UnreadableLines, redact_jsonl
from workbench.core.pii.scanner import (
    PROVENANCE_NAMES,
    ScanResult,
    findings_in,
    names_from_source,
    scan_examples,
    scan_jsonl,
    scan_workspace,
    unredacted_pii_summary,
)
from workbench.core.pii.settings import (
    CustomPattern,
    PatternError,
    PiiSettings,
    compile_custom,
    default_region,
    load_settings,
    save_settings,
)

__all__ = [
    "BUILTIN_KINDS", "CARD", "DEFAULT_LABEL", "EMAIL", "IBAN", "IP", "NAME", "PHONE", "PROVENANCE_NAMES", "URL",
    "AuditEntry", "CustomPattern", "Detector", "FileRedaction", "Finding", "PatternError", "PiiSettings",
    "RedactionResult", "ScanResult", "UnreadableLines", "apply_redactions", "compile_custom", "default_region",
    "findings_in", "label", "load_settings", "mask", "names_from_source", "placeholder", "placeholders_for", "read_log",
    "redact_example", "redact_jsonl", "save_settings", "scan_examples", "scan_jsonl", "scan_workspace", "title",
    "unredacted_pii_summary",
]
