"""ARI, AMI and MoJoFM: against scikit-learn (the test-only oracle), brute force, and hand-worked cases."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Sequence

import pytest
from sklearn.metrics import (  # type: ignore[import-untyped]
    adjusted_mutual_info_score,
    adjusted_rand_score,
)

from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.metrics import (
    adjusted_mutual_info,
    adjusted_rand_index,
    compare,
    max_mojo_distance,
    mojo_distance,
    mojofm,
    scored_modules,
)


def _random_partition(rng: random.Random, n: int, k: int) -> list[str]:
    return [f"c{rng.randrange(k)}" for _ in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_ari_and_ami_agree_with_scikit_learn_on_random_partitions(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 120)
    a = _random_partition(rng, n, rng.randint(1, 12))
    b = _random_partition(rng, n, rng.randint(1, 12))
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-9)
    assert adjusted_mutual_info(a, b) == pytest.approx(adjusted_mutual_info_score(a, b), abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_ami_agrees_on_large_partitions_with_many_equal_sized_clusters(seed: int) -> None:
    # Equal-sized clusters exercise the grouping of equal sizes in the expected mutual information.
    rng = random.Random(1000 + seed)
    n = 600
    a = [f"a{i % 30}" for i in range(n)]
    rng.shuffle(a)
    b = _random_partition(rng, n, 25)
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-9)
    assert adjusted_mutual_info(a, b) == pytest.approx(adjusted_mutual_info_score(a, b), abs=1e-9)


EDGE_CASES: list[tuple[str, list[int], list[int]]] = [
    ("one object", [0], [0]),
    ("both single cluster", [0] * 7, [5] * 7),
    ("both all singletons", list(range(7)), list(range(10, 17))),
    ("two singletons", [0, 1], [1, 0]),
    ("single cluster vs singletons", [0] * 6, list(range(6))),
    ("singletons vs single cluster", list(range(6)), [0] * 6),
    ("identical, relabelled", [0, 0, 1, 1, 2, 2, 2], [9, 9, 8, 8, 7, 7, 7]),
    ("one cluster vs two", [0, 0, 0, 0], [0, 0, 1, 1]),
    ("split off one", [0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 2]),
]


@pytest.mark.parametrize(("name", "a", "b"), EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_edge_cases_agree_with_scikit_learn(name: str, a: list[int], b: list[int]) -> None:
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-9)
    assert adjusted_mutual_info(a, b) == pytest.approx(adjusted_mutual_info_score(a, b), abs=1e-9)


def test_identical_partitions_score_one() -> None:
    a = ["x", "x", "y", "z", "z", "z"]
    assert adjusted_rand_index(a, a) == 1.0
    assert adjusted_mutual_info(a, a) == pytest.approx(1.0, abs=1e-12)
    assert mojofm(a, a) == 1.0


def test_ari_hand_worked() -> None:
    # a = {0,1,2},{3,4,5}; b = {0,1},{2,3},{4,5}.
    # sum C(n_ij,2) = C(2,2)+C(2,2) = 2; sum C(a_i,2) = 3+3 = 6; sum C(b_j,2) = 1+1+1 = 3;
    # expected = 6*3/C(6,2) = 18/15 = 1.2; max = (6+3)/2 = 4.5; ARI = (2-1.2)/(4.5-1.2) = 8/33.
    a = [0, 0, 0, 1, 1, 1]
    b = [0, 0, 1, 1, 2, 2]
    assert adjusted_rand_index(a, b) == pytest.approx(8 / 33, abs=1e-12)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="length"):
        adjusted_rand_index([1, 2], [1])


# --- MoJo ------------------------------------------------------------------------------------


def _brute_force_mno(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Fewest Move/Join operations from partition a to partition b, by breadth-first search.

    A move takes one object to another cluster or to a new one; a join merges two clusters.
    States are partitions as frozensets of frozensets of object indices (labels do not matter).
    """

    def partition(labels: Sequence[Hashable]) -> frozenset[frozenset[int]]:
        groups: dict[Hashable, set[int]] = {}
        for index, label in enumerate(labels):
            groups.setdefault(label, set()).add(index)
        return frozenset(frozenset(g) for g in groups.values())

    start, goal = partition(a), partition(b)
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        state, depth = queue.popleft()
        if state == goal:
            return depth
        clusters = list(state)
        successors = []
        for i, ci in enumerate(clusters):
            for cj in clusters[i + 1 :]:
                successors.append(state - {ci, cj} | {ci | cj})
            for obj in ci:
                rest = state - {ci} | ({ci - {obj}} if len(ci) > 1 else set())
                successors.append(rest | {frozenset({obj})})
                for cj in clusters:
                    if cj is not ci:
                        successors.append(rest - {cj} | {cj | {obj}})
        for nxt in successors:
            frozen = frozenset(nxt)
            if frozen not in seen:
                seen.add(frozen)
                queue.append((frozen, depth + 1))
    raise AssertionError("goal unreachable")


@pytest.mark.parametrize("seed", range(60))
def test_mojo_distance_is_the_true_minimum_on_small_partitions(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 6)
    a = _random_partition(rng, n, rng.randint(1, 4))
    b = _random_partition(rng, n, rng.randint(1, 4))
    assert mojo_distance(a, b) == _brute_force_mno(a, b)


def test_max_mojo_distance_is_reached_and_never_exceeded_on_small_partitions() -> None:
    # For every B of 5 objects, max over all A of mno(A, B) equals n - g.
    def all_partitions(n: int) -> list[list[int]]:
        if n == 0:
            return [[]]
        result = []
        for p in all_partitions(n - 1):
            for label in range(max(p, default=-1) + 2):
                result.append([*p, label])
        return result

    partitions = all_partitions(5)
    assert len(partitions) == 52  # Bell(5)
    for b in partitions:
        assert max(mojo_distance(a, b) for a in partitions) == max_mojo_distance(b)


def test_mojofm_hand_worked_move() -> None:
    # A = {1,2,3},{4,5,6}; B = {1,2},{3,4,5,6}. A1 tags B1 (shares 2), 3 moves: M = 1.
    # A2 tags B2 (shares 3): M += 0. Distinct tags, J = 0: mno = 1.
    # max: B sizes sorted [2, 4]: g = 2, so max = 6 - 2 = 4. MoJoFM = 1 - 1/4 = 0.75.
    a = ["A1", "A1", "A1", "A2", "A2", "A2"]
    b = ["B1", "B1", "B2", "B2", "B2", "B2"]
    assert mojo_distance(a, b) == 1
    assert max_mojo_distance(b) == 4
    assert mojofm(a, b) == pytest.approx(0.75)


def test_mojofm_singletons_against_one_cluster_is_zero() -> None:
    # A = four singletons, B = one cluster: no moves, 3 joins: mno = 3; max = 4 - 1 = 3.
    a = ["p", "q", "r", "s"]
    b = ["B"] * 4
    assert mojo_distance(a, b) == 3
    assert mojofm(a, b) == 0.0


def test_mojofm_one_cluster_against_three() -> None:
    # A = {1..5}; B = {1,2,3},{4},{5}. A tags B1, moves 4 and 5 out: mno = 2.
    # B sizes sorted [1, 1, 3]: g = 1 (0<1), stays 1 (1<1 false), 2 (1<3): max = 5 - 2 = 3.
    # MoJoFM = 1 - 2/3.
    a = ["A"] * 5
    b = ["B1", "B1", "B1", "B2", "B3"]
    assert mojo_distance(a, b) == 2
    assert mojofm(a, b) == pytest.approx(1 / 3)


def test_mojo_ties_are_resolved_by_matching_not_first_best() -> None:
    # A = {1,2},{3,4}; B = {1,3},{2,4}: every A cluster shares one object with each B cluster.
    # Tagging both with B1 would cost 2 moves + 1 join; matching A1-B1, A2-B2 costs 2 moves only.
    a = ["A1", "A1", "A2", "A2"]
    b = ["B1", "B2", "B1", "B2"]
    assert mojo_distance(a, b) == 2


def test_mojofm_of_a_single_object_is_one() -> None:
    assert mojofm(["a"], ["b"]) == 1.0
    assert mojofm([], []) == 1.0


# --- compare ---------------------------------------------------------------------------------


def test_compare_scores_only_modules_both_know_and_the_reference_scores() -> None:
    reference = {
        "o1": "orders",
        "o2": "orders",
        "c1": "catalog",
        "c2": "catalog",
        "util": SHARED_KERNEL,  # not scored
        "settings": "",  # labelled, not scored
        "gone": "orders",  # not in the proposal
    }
    proposal = {
        "o1": "s1",
        "o2": "s1",
        "c1": "s2",
        "c2": SHARED_KERNEL,  # the proposal's kernel is one more cluster: scored
        "util": "s2",
        "settings": "s1",
        "new": "s2",  # not in the reference
    }
    assert scored_modules(proposal, reference) == ["c1", "c2", "o1", "o2"]
    result = compare(proposal, reference)
    truth = ["catalog", "catalog", "orders", "orders"]
    proposed = ["s2", SHARED_KERNEL, "s1", "s1"]
    assert result["scored_modules"] == 4.0
    assert result["ari"] == pytest.approx(adjusted_rand_score(truth, proposed), abs=1e-9)
    assert result["ami"] == pytest.approx(adjusted_mutual_info_score(truth, proposed), abs=1e-9)
    # A = {c1},{c2},{o1,o2} against B = {c1,c2},{o1,o2}: one join; max = 4 - 2 = 2.
    assert result["mojofm"] == pytest.approx(0.5)


def test_compare_a_renamed_copy_is_perfect() -> None:
    reference = {f"m{i}": f"svc{i % 3}" for i in range(12)}
    proposal = {m: s.upper() for m, s in reference.items()}
    assert compare(proposal, reference) == {
        "ari": 1.0,
        "ami": pytest.approx(1.0, abs=1e-12),
        "mojofm": 1.0,
        "scored_modules": 12.0,
    }
