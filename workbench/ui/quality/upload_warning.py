"""The sentence the Jobs tab shows before an upload when personal data is still in the examples."""

from __future__ import annotations

from collections.abc import Mapping

from workbench.core.pii import title


def counts_text(counts: Mapping[str, int]) -> str:
    """"Email addresses: 12, Phone numbers: 3", most first."""
    items = sorted(((k, n) for k, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{title(kind)}: {n:,}" for kind, n in items)


def pii_warning(counts: Mapping[str, int]) -> str:
    """Empty when nothing was found."""
    total = sum(counts.values())
    if not total:
        return ""
    return (f"Personal data is not redacted yet: {total:,} finding{'s' if total != 1 else ''} "
            f"({counts_text(counts)}). It would be uploaded to the provider as it is. Review it in "
            "Data quality > Personal data, or submit anyway.")
