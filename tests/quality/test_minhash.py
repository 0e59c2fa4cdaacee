"""The MinHash + LSH engine: finds what it should, verifies what it reports, gives stable results."""

import pytest

from tests.quality.helpers import text
from workbench.core.quality.minhash import LshLayout, ShingleCorpus, WordHashes, choose_layout, cluster


def _corpus(texts, shingle=2):
    corpus = ShingleCorpus(shingle)
    for t in texts:
        corpus.add(t.lower().split())
    return corpus


def test_near_copies_are_grouped_and_unrelated_texts_are_not():
    base = [text(i, 60) for i in range(200)]
    edited = base[7].split()
    edited[10] = "changed"
    texts = [*base, " ".join(edited), base[42] + " thanks"]
    result = cluster(_corpus(texts), 0.85)
    assert result.groups == [[7, 200], [42, 201]]
    assert result.jaccard(7, 200) >= 0.85


def test_pairs_below_the_threshold_are_never_reported():
    a = text(1, 20).split()
    b = a[:10] + text(2, 10).split()  # half the text differs
    assert cluster(_corpus([" ".join(a), " ".join(b)]), 0.85).groups == []
    assert cluster(_corpus([" ".join(a), " ".join(b)]), 0.3).groups == [[0, 1]]


def test_short_and_empty_texts():
    result = cluster(_corpus(["ok", "ok", "", "", "fine thanks"]), 0.85)
    assert result.groups == [[0, 1]]  # one-word texts compare as a whole; empty ones match nothing


def test_word_hashes_do_not_depend_on_the_process():
    # blake2b, not Python's salted hash(): the same groups in every run and on every machine.
    assert WordHashes()["refund"] == 15685397089556917362


def test_layout_finds_almost_every_pair_at_the_threshold_and_few_far_below():
    layout = choose_layout(0.85)
    assert layout.permutations <= 128
    assert layout.candidate_probability(0.85) >= 0.995
    assert layout.candidate_probability(0.4) < 0.1
    assert LshLayout(16, 8).candidate_probability(1.0) == 1.0


def test_bad_arguments():
    with pytest.raises(ValueError):
        ShingleCorpus(0)
    with pytest.raises(ValueError):
        cluster(_corpus(["a b"]), 0)
