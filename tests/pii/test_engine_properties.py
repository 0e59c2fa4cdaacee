"""Whatever the text, findings are well-formed: inside their text, sorted, never overlapping."""

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.pii import Detector, PiiSettings

PIECES = st.sampled_from([
    "a", "Z", " ", "\n", "0", "7", "12", "415", "555-0132", "(", ")", "+", "+44 ", ".", "-", "/", ":", "::", "@",
    "x@y.co", "https://", "?token=", "abc123def456ghi789", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
    "Carla", "Moreno", "é", "🙂", "\x00", "IBAN", "192.168.", "1.2", "ü@ä.de",
])
TEXTS = st.lists(st.lists(PIECES, max_size=30).map("".join), min_size=1, max_size=4)
DETECTOR = Detector(PiiSettings(region="US", names=tuple(f"Name{c} Carla" for c in "abcdefgh"))
                    .with_pattern("ref", r"REF-\d+"))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_findings_are_well_formed(texts):
    hits = DETECTOR.scan(texts, ["Carla Moreno"])
    assert hits == sorted(hits)
    for i, start, end, _kind in hits:
        assert 0 <= start < end <= len(texts[i])
        assert texts[i][start:end].strip() == texts[i][start:end]
    for a, b in zip(hits, hits[1:], strict=False):
        assert a[0] < b[0] or a[2] <= b[1]
