"""How close one partition of modules is to another: ARI, AMI and MoJoFM.

These score a proposal against a reference decomposition (business ground truth, or today's package
layout). They are written here rather than taken from scikit-learn because scikit-learn is a test-only
dependency; the tests hold them to scikit-learn's values to 1e-9.

Every function takes two equally long label sequences (`a[i]` and `b[i]` label the same object) and
is pure and deterministic: labels are only compared for equality, never ordered by value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from math import exp, lgamma, log

import networkx as nx

from strangler.boundaries.decomposition import SHARED_KERNEL

__all__ = [
    "adjusted_mutual_info",
    "adjusted_rand_index",
    "compare",
    "max_mojo_distance",
    "mojo_distance",
    "mojofm",
    "scored_modules",
]

_EPS = 2.220446049250313e-16  # float64 machine epsilon, as numpy.finfo("float64").eps

#: Reference labels that mark a module as not scored: the shared kernel, and "" (labelled, unscored).
UNSCORED = frozenset({SHARED_KERNEL, ""})


def scored_modules(assignment: Mapping[str, str], reference: Mapping[str, str]) -> list[str]:
    """The modules `compare` scores, sorted: in both mappings, and not unscored in `reference`.

    A module the reference calls shared kernel (or labels "") is no business capability, so where
    the proposal puts it says nothing about the proposal. A module the *proposal* puts in the kernel
    stays scored: the kernel is then one more cluster, and hiding a capability there costs.
    """
    return sorted(m for m in assignment.keys() & reference.keys() if reference[m] not in UNSCORED)


def compare(assignment: Mapping[str, str], reference: Mapping[str, str]) -> dict[str, float]:
    """ARI, AMI and MoJoFM (a fraction 0..1) of `assignment` against `reference`.

    Scored over `scored_modules(assignment, reference)`; `scored_modules` in the result is their
    count, so a caller can tell a perfect score from an empty comparison (which scores 1.0 on all
    three, as scikit-learn does for ARI and AMI).
    """
    modules = scored_modules(assignment, reference)
    proposed = [assignment[m] for m in modules]
    truth = [reference[m] for m in modules]
    return {
        "ari": adjusted_rand_index(truth, proposed),
        "ami": adjusted_mutual_info(truth, proposed),
        "mojofm": mojofm(proposed, truth),
        "scored_modules": float(len(modules)),
    }


def _check(a: Sequence[Hashable], b: Sequence[Hashable]) -> None:
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} != {len(b)}")


def adjusted_rand_index(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Hubert & Arabie's adjusted Rand index; 1.0 for identical partitions, about 0 for chance.

    Computed from the pair confusion matrix in exact integers (as scikit-learn does), so it is
    symmetric and free of overflow; an empty input or full agreement is 1.0.
    """
    _check(a, b)
    n = len(a)
    cells = Counter(zip(a, b))
    sum_squares = sum(c * c for c in cells.values())
    rows_squares = sum(c * c for c in Counter(a).values())
    cols_squares = sum(c * c for c in Counter(b).values())
    tp = sum_squares - n
    fp = cols_squares - sum_squares
    fn = rows_squares - sum_squares
    tn = n * n - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def _entropy(sizes: Sequence[int], n: int) -> float:
    if len(sizes) <= 1:
        return 0.0
    return float(-sum((c / n) * (log(c) - log(n)) for c in sizes))


def _mutual_information(
    cells: Mapping[tuple[Hashable, Hashable], int],
    rows: Mapping[Hashable, int],
    cols: Mapping[Hashable, int],
    n: int,
) -> float:
    if len(rows) == 1 or len(cols) == 1:
        return 0.0
    total = 0.0
    for (x, y), nij in cells.items():
        p = nij / n
        term = p * (log(nij) - log(n)) + p * (-log(rows[x] * cols[y]) + log(n) + log(n))
        if abs(term) >= _EPS:
            total += term
    return max(total, 0.0)


def _expected_mutual_information(rows: Sequence[int], cols: Sequence[int], n: int) -> float:
    """E[MI] under the hypergeometric model of random partitions with these cluster sizes.

    The exact formula of Vinh, Epps & Bailey (2010), in log space to avoid overflow. Clusters of
    equal size contribute equally, so each distinct (row size, column size) pair is summed once and
    weighted by how often it occurs: the same value, far fewer terms on large codebases.
    """
    if len(rows) == 1 or len(cols) == 1:
        return 0.0
    log_n = log(n)
    lg_n = lgamma(n + 1)
    emi = 0.0
    row_sizes = Counter(rows)
    col_sizes = Counter(cols)
    for a, a_count in sorted(row_sizes.items()):
        for b, b_count in sorted(col_sizes.items()):
            base = lgamma(a + 1) + lgamma(b + 1) + lgamma(n - a + 1) + lgamma(n - b + 1) - lg_n
            cell = 0.0
            for nij in range(max(1, a + b - n), min(a, b) + 1):
                term2 = log_n + log(nij) - log(a) - log(b)
                gln = (
                    base
                    - lgamma(nij + 1)
                    - lgamma(a - nij + 1)
                    - lgamma(b - nij + 1)
                    - lgamma(n - a - b + nij + 1)
                )
                cell += (nij / n) * term2 * exp(gln)
            emi += cell * a_count * b_count
    return emi


def adjusted_mutual_info(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Adjusted mutual information with arithmetic-mean normalisation (scikit-learn's default).

    AMI = (MI - E[MI]) / (mean(H(a), H(b)) - E[MI]). Limit cases follow scikit-learn: both
    partitions one cluster (or empty) is 1.0; exactly one of them one cluster is 0.0; both all
    singletons is 1.0 (there 0/0, scikit-learn reaches 1.0 through its epsilon clamps).
    """
    _check(a, b)
    n = len(a)
    rows = Counter(a)
    cols = Counter(b)
    if (len(rows) == len(cols) == 1) or n == 0:
        return 1.0
    if len(rows) == 1 or len(cols) == 1:
        return 0.0
    if len(rows) == len(cols) == n:
        return 1.0
    cells = Counter(zip(a, b))
    mi = _mutual_information(cells, rows, cols, n)
    emi = _expected_mutual_information(list(rows.values()), list(cols.values()), n)
    normalizer = (_entropy(list(rows.values()), n) + _entropy(list(cols.values()), n)) / 2
    denominator = normalizer - emi
    denominator = min(denominator, -_EPS) if denominator < 0 else max(denominator, _EPS)
    numerator = mi - emi
    numerator = min(numerator, -_EPS) if numerator < 0 else max(numerator, _EPS)
    return float(numerator / denominator)


def mojo_distance(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """mno(A, B): the fewest Move and Join operations that turn partition A into partition B.

    The optimal algorithm of Wen & Tzerpos (2003): tag each cluster of A with a cluster of B it
    shares the most objects with; every object outside its cluster's tag moves (M); clusters of A
    with the same tag are joined (J = |A| - g). Among equally good tags, g is the size of a maximum
    bipartite matching between A's clusters and their best B clusters, which minimises the joins.
    mno is one-way: mno(A, B) != mno(B, A) in general.
    """
    _check(a, b)
    overlap: dict[Hashable, Counter[Hashable]] = {}
    for x, y in zip(a, b):
        overlap.setdefault(x, Counter())[y] += 1
    moves = 0
    matching_graph = nx.Graph()
    clusters = [("A", index) for index in range(len(overlap))]
    matching_graph.add_nodes_from(clusters)
    b_index: dict[Hashable, int] = {}
    for index, shares in enumerate(overlap.values()):
        best = max(shares.values())
        moves += sum(shares.values()) - best
        for label, count in shares.items():
            if count == best:
                target = b_index.setdefault(label, len(b_index))
                matching_graph.add_edge(("A", index), ("B", target))
    matching = nx.bipartite.maximum_matching(matching_graph, top_nodes=clusters)
    groups = sum(1 for node in clusters if node in matching)
    return moves + len(overlap) - groups


def max_mojo_distance(b: Sequence[Hashable]) -> int:
    """max over all partitions A of mno(A, B): n - g, Wen & Tzerpos (2004).

    g grows by one for each cluster of B, taken from the smallest, whose size exceeds the g so far
    (as in the reference MoJo implementation).
    """
    groups = 0
    for size in sorted(Counter(b).values()):
        if groups < size:
            groups += 1
    return len(b) - groups


def mojofm(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """MoJoFM(A, B) = 1 - mno(A, B) / max(mno(∀A, B)), a fraction in [0, 1] (x100 for percent).

    A is the partition being judged, B the authoritative one. 1.0 means A is B; 0.0 means no
    partition is farther from B. With at most one object every partition is B, which scores 1.0.
    """
    distance = mojo_distance(a, b)
    worst = max_mojo_distance(b)
    if worst == 0:
        return 1.0
    return 1.0 - distance / worst
