"""What the PII scan looks for, kept in the workspace (``meta`` key ``pii.settings``, JSON).

Settings are not part of the undo history: they describe how to scan, not the data.
"""

from __future__ import annotations

import json
import locale
import re
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.pii.kinds import BUILTIN_KINDS, label

META_KEY = "pii.settings"
FALLBACK_REGION = "US"
MAX_PATTERN_NAME = 40


class PatternError(ValueError):
    """A custom pattern cannot be used; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class CustomPattern:
    """A user's own kind of personal data, e.g. ``CustomPattern("order number", r"ORD-\\d{6}")``."""

    name: str
    regex: str

    @property
    def kind(self) -> str:
        return self.name

    def compile(self) -> re.Pattern[str]:
        return compile_custom(self.name, self.regex)


def compile_custom(name: str, regex: str) -> re.Pattern[str]:
    """The compiled pattern, or ``PatternError`` with a sentence a person can act on."""
    shown = name.strip() or "(no name)"
    if not regex:
        raise PatternError(f"The pattern '{shown}' is empty. Type a regular expression, e.g. ORD-\\d{{6}}.")
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        where = f" at character {exc.pos + 1}" if exc.pos is not None else ""
        raise PatternError(
            f"The pattern '{shown}' is not a valid regular expression: {exc.msg}{where}. "
            "Check brackets and escape special characters such as . + ( with a backslash."
        ) from exc
    if compiled.search("") is not None:
        raise PatternError(
            f"The pattern '{shown}' matches empty text, so it would match everywhere. "
            "Make it require at least one character (use + instead of *)."
        )
    return compiled


def check_pattern_name(name: str, others: tuple[str, ...] = ()) -> str:
    """The cleaned name, or ``PatternError``: names become placeholders like ``[ORDER_NUMBER]``."""
    clean = " ".join(name.split())
    if not clean:
        raise PatternError("Give the pattern a name, e.g. 'order number'; it becomes the placeholder [ORDER_NUMBER].")
    if len(clean) > MAX_PATTERN_NAME:
        raise PatternError(f"The pattern name '{clean[:20]}...' is too long; use at most {MAX_PATTERN_NAME} characters.")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _\-]*", clean):
        raise PatternError(f"The pattern name '{clean}' may only use letters, digits, spaces, - and _.")
    taken = {label(k) for k in (*BUILTIN_KINDS, *others)}
    if label(clean) in taken:
        raise PatternError(f"The name '{clean}' is already used (placeholder [{label(clean)}]); choose another name.")
    return clean


def default_region() -> str:
    """The phone region of the computer's locale (``en_GB`` -> ``GB``), else ``US``."""
    import phonenumbers

    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    m = re.search(r"_([A-Za-z]{2})\b", name)
    region = m.group(1).upper() if m else ""
    return region if region in phonenumbers.SUPPORTED_REGIONS else FALLBACK_REGION


def check_region(region: str) -> str:
    import phonenumbers

    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"'{region}' is not a region code phone numbers know; use two letters such as US, GB or DE.")
    return code


@dataclass(frozen=True)
class PiiSettings:
    """kinds: the built-in kinds to look for; region: how numbers without +country are read;
    patterns: the user's own kinds; names: known customer names (besides those an import recorded
    per example); numbered: ``[EMAIL_1]`` instead of ``[EMAIL]``; allowed: values that are never
    personal data here (the company's own support address, the hotline number)."""

    kinds: frozenset[str] = frozenset(BUILTIN_KINDS)
    region: str = field(default_factory=default_region)
    patterns: tuple[CustomPattern, ...] = ()
    names: tuple[str, ...] = ()
    numbered: bool = False
    allowed: tuple[str, ...] = ()

    def with_pattern(self, name: str, regex: str) -> PiiSettings:
        """A copy with one more custom pattern; ``PatternError`` if the name or regex is unusable."""
        clean = check_pattern_name(name, tuple(p.name for p in self.patterns))
        compile_custom(clean, regex)
        return replace(self, patterns=(*self.patterns, CustomPattern(clean, regex)))

    def without_pattern(self, name: str) -> PiiSettings:
        return replace(self, patterns=tuple(p for p in self.patterns if p.name != name))

    def with_allowed(self, *values: str) -> PiiSettings:
        """A copy that never flags ``values`` (e.g. after a reviewer rejected a finding as not personal)."""
        merged = dict.fromkeys((*self.allowed, *(v.strip() for v in values if v and v.strip())))
        return replace(self, allowed=tuple(merged))

    def all_kinds(self) -> tuple[str, ...]:
        return (*(k for k in BUILTIN_KINDS if k in self.kinds), *(p.name for p in self.patterns))

    def to_json(self) -> dict[str, Any]:
        return {
            "kinds": [k for k in BUILTIN_KINDS if k in self.kinds],
            "region": self.region,
            "patterns": [{"name": p.name, "regex": p.regex} for p in self.patterns],
            "names": list(self.names),
            "numbered": self.numbered,
            "allowed": list(self.allowed),
        }

    @classmethod
    def from_json(cls, obj: Any) -> PiiSettings:
        """Tolerant: anything unusable (a hand-edited file, an older version) falls back to defaults."""
        if not isinstance(obj, dict):
            return cls()
        kinds = obj.get("kinds")
        region = obj.get("region")
        try:
            region = check_region(region) if isinstance(region, str) else default_region()
        except ValueError:
            region = default_region()
        patterns: list[CustomPattern] = []
        for item in obj.get("patterns") or ():
            if not isinstance(item, dict):
                continue
            try:
                name = check_pattern_name(str(item.get("name", "")), tuple(p.name for p in patterns))
                compile_custom(name, str(item.get("regex", "")))
            except PatternError:
                continue  # validated when saved; a damaged entry is dropped rather than breaking every scan
            patterns.append(CustomPattern(name, str(item["regex"])))
        return cls(
            kinds=frozenset(k for k in kinds if k in BUILTIN_KINDS) if isinstance(kinds, list) else frozenset(BUILTIN_KINDS),
            region=region,
            patterns=tuple(patterns),
            names=tuple(str(n) for n in obj.get("names") or () if isinstance(n, str) and n.strip()),
            numbered=bool(obj.get("numbered", False)),
            allowed=tuple(str(v) for v in obj.get("allowed") or () if isinstance(v, str) and v.strip()),
        )


def load_settings(ws) -> PiiSettings:
    """The workspace's PII settings (defaults when none were saved)."""
    raw = ws.get_meta(META_KEY)
    if not raw:
        return PiiSettings()
    try:
        return PiiSettings.from_json(json.loads(raw))
    except ValueError:
        return PiiSettings()


def save_settings(ws, settings: PiiSettings) -> None:
    ws.set_meta(META_KEY, json.dumps(settings.to_json(), ensure_ascii=False))
