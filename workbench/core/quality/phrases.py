"""Finding the greeting that opens an assistant reply and the sign-off that closes it.

Precision over recall: a span is reported only when it is a whole opening segment (up to the
first comma, stop or line break) or a whole closing line / last sentence, made of a known
greeting or sign-off phrase, optionally followed by a name ("Hi Anna,", "Best regards,\\nAnna",
"Cheers!"). Misspellings ("Best reagrds") are matched with rapidfuzz, word by word, so a name is
never taken for part of the phrase. Nothing else in a text is ever touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

GREETINGS = (
    "hi", "hello", "hey", "hiya", "heya", "howdy", "dear", "greetings", "hi there", "hello there", "hey there",
    "good morning", "good afternoon", "good evening", "good day", "morning", "hallo",
)
SIGN_OFFS = (
    "regards", "best regards", "kind regards", "kindest regards", "warm regards", "warmest regards",
    "with regards", "with kind regards", "many regards", "best wishes", "all the best", "best", "cheers",
    "thanks", "thank you", "many thanks", "thanks again", "thank you again", "thanks so much",
    "thank you so much", "with thanks", "thx", "sincerely", "yours sincerely", "yours truly",
    "yours faithfully", "take care", "have a great day", "have a nice day", "have a good day",
    "have a great weekend", "have a nice weekend", "talk soon", "speak soon", "warmly", "respectfully",
)
KINDS = ("greeting", "sign-off")
_LEXICON = {"greeting": frozenset(GREETINGS), "sign-off": frozenset(SIGN_OFFS)}
_LEXICON_WORDS = {kind: tuple(sorted({w for p in phrases for w in p.split()})) for kind, phrases in _LEXICON.items()}
_MAX_HEAD_WORDS = 4
_MAX_NAME_WORDS = 4
_NAME_JOINERS = frozenset({"the", "from", "of", "and", "&", "at", "team", "support"})
_HONORIFIC = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Mme|Sr|Sra)\."
# An opening segment: up to the first comma/stop/colon (an honorific's dot does not end it).
_OPENING = re.compile(rf"(?:{_HONORIFIC}|[^,!.:;?\n])*[,!.:;?]*")
_TRAILING_PUNCT = ",!.:;?"
_SENTENCE_END = re.compile(r"[.!?]\s+")
_WORD_CHARS = re.compile(r"[^\w\s]+")
FUZZY_SCORE = 85  # rapidfuzz ratio a misspelt word needs to count as the lexicon word


@dataclass(frozen=True)
class PhraseSpan:
    kind: str  # "greeting" | "sign-off"
    start: int  # the span in the text: text[start:end] is replaced, nothing else
    end: int
    key: str  # the phrase as written, normalised ("best reagrds"): identifies the variant
    phrase: str  # the lexicon phrase it stands for ("best regards")
    name: str  # the name that followed, or ""
    form: str  # the span with the name as {name}: how the variant looks ("Best regards,\n{name}")


def _norm(text: str) -> str:
    return " ".join(_WORD_CHARS.sub(" ", text.casefold()).split())


@lru_cache(maxsize=4096)
def _match_word(word: str, kind: str) -> str | None:
    if len(word) < 4:
        return None  # short words are too easy to mistake for one another
    hit = process.extractOne(word, _LEXICON_WORDS[kind], scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
    return hit[0] if hit else None


def match_phrase(words: list[str], kind: str) -> str | None:
    """The lexicon phrase these words spell (allowing a misspelt word), or None."""
    key = _norm(" ".join(words))
    if key in _LEXICON[kind]:
        return key
    fixed = []
    for raw, word in zip(words, key.split(), strict=False):
        if raw[:1].isupper() and fixed:
            return None  # a capitalised word after the first is a name, never a misspelling
        fixed.append(word if word in _LEXICON_WORDS[kind] else _match_word(word, kind))
        if fixed[-1] is None:
            return None
    phrase = " ".join(fixed)  # type: ignore[arg-type]
    return phrase if phrase in _LEXICON[kind] and len(key.split()) == len(words) else None


def is_name(words: list[str]) -> bool:
    if not 1 <= len(words) <= _MAX_NAME_WORDS or len(" ".join(words)) > 40:
        return False
    capitalised = 0
    for w in words:
        if w[:1].isupper() and not any(c.isdigit() for c in w):
            capitalised += 1
        elif w.casefold() not in _NAME_JOINERS:
            return False
    return capitalised > 0


def _parse_segment(segment: str, kind: str, *, allow_name: bool = True) -> tuple[str, str, str] | None:
    """(key, phrase, name) if the whole segment is a phrase of ``kind`` plus an optional name."""
    body = segment.strip().rstrip(_TRAILING_PUNCT).rstrip()
    if not body:
        return None
    head_part, comma, name_part = body.partition(",")
    words = head_part.split()
    name_words = name_part.split()
    if comma and not name_words:
        return None  # "Thanks, ." and the like
    for h in range(min(_MAX_HEAD_WORDS, len(words)), 0, -1):
        phrase = match_phrase(words[:h], kind)
        if phrase is None:
            continue
        rest = words[h:] + name_words
        if rest and not (allow_name and is_name(rest)):
            return None
        return _norm(" ".join(words[:h])), phrase, " ".join(rest)
    return None


def _form(text: str, name: str) -> str:
    if not name:
        return text
    idx = text.rfind(name.split()[-1])
    first = text.find(name.split()[0])
    return text[:first] + "{name}" + text[idx + len(name.split()[-1]):] if 0 <= first <= idx else text


def find_greeting(text: str) -> PhraseSpan | None:
    start = len(text) - len(text.lstrip())
    m = _OPENING.match(text, start)
    segment = m.group(0) if m else ""
    end = start + len(segment)
    if not segment.strip() or len(segment.split()) > _MAX_HEAD_WORDS + _MAX_NAME_WORDS:
        return None
    if segment[-1] not in _TRAILING_PUNCT and end < len(text) and text[end] != "\n":
        return None
    parsed = _parse_segment(segment, "greeting")
    if parsed is None:
        return None
    key, phrase, name = parsed
    return PhraseSpan("greeting", start, end, key, phrase, name, _form(segment, name))


def find_sign_off(text: str) -> PhraseSpan | None:
    end = len(text.rstrip())
    if not end:
        return None
    line_start = text.rfind("\n", 0, end) + 1
    last = text[line_start:end]
    # "Best regards,\nAnna": a sign-off line, then a line with only a name.
    if line_start > 0 and is_name(last.strip().rstrip(".").split()):
        prev_end = line_start - 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        prev = text[prev_start:prev_end]
        parsed = _parse_segment(prev, "sign-off", allow_name=False)
        if parsed is not None and prev.strip():
            start = prev_start + len(prev) - len(prev.lstrip())
            name = last.strip().rstrip(".")
            form = text[start:prev_end] + "\n" + last[:len(last) - len(last.lstrip())] + "{name}" + last.strip()[len(name):]
            return PhraseSpan("sign-off", start, end, parsed[0], parsed[1], name, form)
    # The whole last line, or else its last sentence ("... let me know. Cheers!").
    start = line_start + len(last) - len(last.lstrip())
    candidates = [start]
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    if ends:
        candidates.append(ends[-1])
    for s in candidates:
        segment = text[s:end]
        if len(segment.split()) > _MAX_HEAD_WORDS + _MAX_NAME_WORDS + 1:
            continue
        parsed = _parse_segment(segment, "sign-off")
        if parsed is not None:
            key, phrase, name = parsed
            return PhraseSpan("sign-off", s, end, key, phrase, name, _form(segment, name))
    return None


def find_span(text: str, kind: str) -> PhraseSpan | None:
    return find_greeting(text) if kind == "greeting" else find_sign_off(text)


def fill(replacement: str, name: str) -> str:
    """The replacement with ``{name}`` filled in; without a name, "Hi {name}," becomes "Hi,"."""
    if "{name}" not in replacement:
        return replacement
    if name:
        return replacement.replace("{name}", name)
    return re.sub(r"\s*\{name\}", "", replacement)
