"""Near-duplicate clustering of word sequences: MinHash signatures + LSH banding, verified pairwise.

Everything heavy runs in numpy over one flat array of shingle hashes for the whole corpus, so
50,000 conversations take seconds, not the minutes a Python loop per document per permutation
would. Candidate pairs from LSH are verified with the exact Jaccard similarity of the two
shingle sets, so a reported pair is always at or above the threshold (LSH may only miss pairs;
with the band layout chosen below that happens for under 0.5% of pairs exactly at the threshold,
and far fewer above it).

Hashes are derived from blake2b and a fixed seed (never Python's salted ``hash``), so the same
texts give the same groups in every process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.quality.base import CancelFn, check_cancel

_SEED = 0x5EED_F1E1
_MASK64 = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
_PAD = 0x9E37_79B9_7F4A_7C15  # stands in for missing words of a text shorter than one shingle


class WordHashes(dict):
    """Word -> stable 64-bit hash, computed once per distinct word (a corpus has few)."""

    def __missing__(self, word: str) -> int:
        value = int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        self[word] = value
        return value


@dataclass(frozen=True)
class LshLayout:
    bands: int
    rows: int

    @property
    def permutations(self) -> int:
        return self.bands * self.rows

    def candidate_probability(self, similarity: float) -> float:
        """The chance two texts of this Jaccard similarity share at least one band."""
        return 1.0 - (1.0 - similarity ** self.rows) ** self.bands


def choose_layout(threshold: float, permutations: int = 128, min_recall: float = 0.995) -> LshLayout:
    """The most selective banding (fewest false candidates) that still finds pairs at ``threshold``."""
    layouts = [LshLayout(permutations // r, r) for r in range(1, permutations + 1)]
    good = [lay for lay in layouts if lay.candidate_probability(threshold) >= min_recall]
    if not good:
        return LshLayout(permutations, 1)
    return max(good, key=lambda lay: lay.rows)


class ShingleCorpus:
    """Word-id sequences added one text at a time, turned into shingle hashes in bulk."""

    def __init__(self, shingle: int = 2) -> None:
        if shingle < 1:
            raise ValueError("shingle must be at least 1 word")
        self.shingle = shingle
        self.words = WordHashes()
        self._chunks: list[np.ndarray] = []
        self._pending: list[int] = []
        self._lengths: list[int] = []
        self._shingles: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, words: Sequence[str]) -> None:
        """One text's words (already normalised). An empty text has no shingles and matches nothing."""
        if self._shingles is not None:
            raise RuntimeError("the corpus was already turned into shingles")
        ids = list(map(self.words.__getitem__, words))
        if ids and len(ids) < self.shingle:
            ids += [_PAD] * (self.shingle - len(ids))
        self._pending += ids
        self._lengths.append(len(ids))
        if len(self._pending) > 1_000_000:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._chunks.append(np.array(self._pending, dtype=np.uint64))
            self._pending = []

    def shingles(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(hashes, starts, counts): text i's shingle hashes are hashes[starts[i]:starts[i] + counts[i]]."""
        if self._shingles is None:
            self._shingles = self._build()
        return self._shingles

    def _build(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._flush()
        words = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.uint64)
        self._chunks = []
        lengths = np.array(self._lengths, dtype=np.int64)
        k = self.shingle
        ends = np.cumsum(lengths)
        counts = np.where(lengths > 0, lengths - (k - 1), 0)
        if len(words) < k:
            hashes = np.zeros(0, dtype=np.uint64)
        else:
            span = len(words) - k + 1
            rng = np.random.default_rng(_SEED)
            multipliers = rng.integers(1, 2**63, size=k, dtype=np.uint64) | np.uint64(1)
            hashes = np.zeros(span, dtype=np.uint64)
            tmp = np.empty(span, dtype=np.uint64)  # one scratch array: the corpus can be 10M words
            with np.errstate(over="ignore"):
                for t in range(k):
                    np.multiply(words[t:t + span], multipliers[t], out=tmp)
                    hashes += tmp
                del words
                _mix(hashes, tmp)
            del tmp
            keep = np.ones(span, dtype=bool)
            for t in range(1, k):  # shingles that would run into the next text
                cut = ends[lengths > 0] - t
                keep[cut[cut < span]] = False
            hashes = hashes[keep]
        starts = np.zeros(len(counts), dtype=np.int64)
        if len(counts):
            starts[1:] = np.cumsum(counts)[:-1]
        return hashes, starts, counts


def _mix(x: np.ndarray, tmp: np.ndarray | None = None) -> np.ndarray:
    """splitmix64's finaliser, in place: spreads the combined word hashes over all 64 bits."""
    tmp = np.empty_like(x) if tmp is None else tmp
    with np.errstate(over="ignore"):
        for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, None)):
            np.right_shift(x, np.uint64(shift), out=tmp)
            np.bitwise_xor(x, tmp, out=x)
            if factor is not None:
                np.multiply(x, np.uint64(factor), out=x)
    return x


def signatures(hashes: np.ndarray, starts: np.ndarray, counts: np.ndarray, permutations: int,
               cancel: CancelFn | None = None, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """MinHash signatures (texts x permutations, uint32) of the texts with at least one shingle."""
    present = counts > 0
    offsets = starts[present]
    sig = np.empty((int(present.sum()), permutations), dtype=np.uint32)
    if not len(offsets):
        return sig
    rng = np.random.default_rng(_SEED + 1)
    a = rng.integers(1, 2**63, size=permutations, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=permutations, dtype=np.uint64)
    buf = np.empty_like(hashes)
    shift = np.uint64(32)
    with np.errstate(over="ignore"):
        for p in range(permutations):
            if p % 8 == 0:
                check_cancel(cancel)
                if progress is not None:
                    progress(p, permutations)
            # Multiply-shift hashing: the top 32 bits of a*x + b are a universal hash of x.
            np.multiply(hashes, a[p], out=buf)
            np.add(buf, b[p], out=buf)
            np.right_shift(buf, shift, out=buf)
            sig[:, p] = np.minimum.reduceat(buf, offsets)
    if progress is not None:
        progress(permutations, permutations)
    return sig


def candidate_buckets(sig: np.ndarray, layout: LshLayout, cancel: CancelFn | None = None) -> list[np.ndarray]:
    """Groups of row indexes of ``sig`` that agree on every row of at least one band."""
    rng = np.random.default_rng(_SEED + 2)
    weights = rng.integers(1, 2**63, size=layout.rows, dtype=np.uint64) | np.uint64(1)
    buckets: list[np.ndarray] = []
    for band in range(layout.bands):
        check_cancel(cancel)
        cols = sig[:, band * layout.rows:(band + 1) * layout.rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            keys = _mix((cols * weights).sum(axis=1, dtype=np.uint64) + np.uint64(band))
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        change = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        bounds = np.concatenate(([0], change, [len(ordered)]))
        sizes = np.diff(bounds)
        for i in np.flatnonzero(sizes > 1):
            buckets.append(order[bounds[i]:bounds[i + 1]])
    return buckets


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            root = min(rx, ry)
            self.parent[max(rx, ry)] = root
            self.parent.setdefault(root, root)


@dataclass
class Clusters:
    groups: list[list[int]]  # text indexes, ascending; only groups of two or more
    sets: dict[int, np.ndarray]  # sorted unique shingle hashes of every text in a group

    def jaccard(self, i: int, j: int) -> float:
        return jaccard(self.sets[i], self.sets[j])


def jaccard(a, b) -> float:
    """Jaccard similarity of two shingle sets: Python sets, or sorted unique numpy arrays."""
    if isinstance(a, np.ndarray):
        if not len(a) and not len(b):
            return 1.0
        inter = len(np.intersect1d(a, b, assume_unique=True))
    else:
        if not a and not b:
            return 1.0
        inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def cluster(corpus: ShingleCorpus, threshold: float, *, permutations: int = 128,
            cancel: CancelFn | None = None, progress: Callable[[int, int], None] | None = None) -> Clusters:
    """Texts whose shingle sets have Jaccard similarity >= ``threshold``, joined transitively."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be above 0 and at most 1")
    hashes, starts, counts = corpus.shingles()
    present = np.flatnonzero(counts > 0)
    sig = signatures(hashes, starts, counts, permutations, cancel, progress)
    layout = choose_layout(threshold, permutations)
    buckets = candidate_buckets(sig, layout, cancel)
    del sig
    # Sorted unique arrays, not Python sets: 8 bytes a shingle instead of ~70, for every text that
    # is ever a candidate (with much shared boilerplate, that can be most of them).
    sets: dict[int, np.ndarray] = {}

    def shingle_set(i: int) -> np.ndarray:
        s = sets.get(i)
        if s is None:
            s = sets[i] = np.unique(hashes[starts[i]:starts[i] + counts[i]])
        return s

    uf = _UnionFind()
    checked: set[tuple[int, int]] = set()
    for n, bucket in enumerate(buckets):
        if n % 256 == 0:
            check_cancel(cancel)
        members = sorted(int(present[r]) for r in bucket)
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if (i, j) in checked or uf.find(i) == uf.find(j):
                    continue
                checked.add((i, j))
                if jaccard(shingle_set(i), shingle_set(j)) >= threshold:
                    uf.union(i, j)
    by_root: dict[int, list[int]] = {}
    for i in list(uf.parent):
        by_root.setdefault(uf.find(i), []).append(i)
    groups = sorted((sorted(g) for g in by_root.values() if len(g) > 1), key=lambda g: g[0])
    kept = {i for g in groups for i in g}
    return Clusters(groups, {i: s for i, s in sets.items() if i in kept})
