"""The coupling graph: analysis facts turned into one weighted, directed graph of modules.

Every coupling signal is its own float edge attribute, so a renderer or a metric can read one signal
alone, and `weight` is the weighted combination the caller asked for. Nodes are modules (attributes
`loc`, `role`, `package`, `path`); every module whose role is not "code" (tests, migrations,
documentation, examples, project templates, settings variants, entry scripts, modules with no code:
`runtime_roles`) stays out unless `include_tests`.

Directed signals (`imports`, `references`, `inheritance`) are counts from source to target.
Symmetric signals (`data`, `cochange`, `routes`, `names`, `packages`) are similarities and are stored
with the same value on BOTH directions, so one directed edge can be read alone. Because of that,
`undirected()` (used by clustering) adds the directed signals of both directions but takes each
symmetric signal once.

The combination damps counts with log(1 + count) so that one module calling another fifty times does
not outweigh every other signal; similarities enter as they are (0..1).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import networkx as nx

from strangler.graph.signals import (
    COUNT_SIGNALS,
    DATA_MODE_WEIGHTS,
    DEFAULT_WEIGHTS,
    DIRECTED_SIGNALS,
    IMPORT_MARKER_WEIGHTS,
    NAMES_MIN_SIMILARITY,
    NAMES_MIN_TERMS,
    NAMES_TOP_K,
    OBSERVED_SIGNALS,
    REFERENCE_KIND_WEIGHTS,
    SIGNALS,
    SYMMETRIC_SIGNALS,
    _pairs,
    combine,
    data_similarity,
    observed_signals,
)

if TYPE_CHECKING:
    from analyzers.model import Codebase, Module

__all__ = [
    "COUNT_SIGNALS",
    "DATA_MODE_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "DIRECTED_SIGNALS",
    "EMPTY_ROLE",
    "IMPORT_MARKER_WEIGHTS",
    "NAMES_MIN_SIMILARITY",
    "NAMES_MIN_TERMS",
    "NAMES_TOP_K",
    "OBSERVED_SIGNALS",
    "REFERENCE_KIND_WEIGHTS",
    "SIGNALS",
    "SYMMETRIC_SIGNALS",
    "build_graph",
    "combine",
    "data_similarity",
    "defines_tasks",
    "left_out",
    "loose_scripts",
    "runtime_roles",
    "undirected",
]

#: Top-level modules (beside the packages) that are entry scripts, not runtime code: Django's
#: `manage.py`, a packaging `setup.py`, an invoke or fabric `tasks.py`.
ROOT_SCRIPTS = frozenset({"manage", "setup", "tasks"})
#: What a `tasks` module imports when it is a task runner's (invoke, fabric: a script, wherever it is)
#: or a worker's (Celery and its kin: runtime jobs of the application, even at the top level).
RUNNER_IMPORTS = frozenset({"invoke", "fabric"})
WORKER_IMPORTS = frozenset({"celery", "dramatiq", "rq", "huey"})
PACKAGING_IMPORTS = frozenset({"setuptools", "distutils"})
#: Decorators (last dotted name, arguments aside) that make a function a background task:
#: `@shared_task`, `@app.task(...)`, dramatiq's `@actor`.
TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task", "actor"})
#: How to keep the modules `left_out` counts in the graph, for the text reports.
INCLUDE_HINT = "--include-tests keeps them"
#: The role of a module with no code: nothing but blank lines and comments (`loc` 0), read and
#: parsed (an empty package `__init__`). It has no coupling at all: placing it would invent an answer.
EMPTY_ROLE = "empty"


def defines_tasks(module: Module) -> bool:
    """Whether a top-level function of `module` is a background task (see TASK_DECORATORS)."""
    for symbol in module.symbols:
        for decorator in symbol.decorators:
            if decorator.partition("(")[0].rpartition(".")[2] in TASK_DECORATORS:
                return True
    return False


def runtime_roles(codebase: Codebase) -> dict[str, str]:
    """Each module's role in the graph: its role (analyzers.files.discovery.role_of), except that
    a module with no code (`loc` 0: blank lines and comments only, and no diagnostic says its file
    went unread or unparsed) is EMPTY_ROLE, and entry scripts, told from runtime modules of the same
    names by location and content, are "script": a top-level `manage`, a top-level `setup` importing
    setuptools or distutils, a top-level `tasks` that is no worker's (neither imports celery or its
    kin nor defines a task), any `tasks` importing invoke or fabric, and the top-level modules
    nothing uses beside the tree's packages (`loose_scripts`)."""
    imported: dict[str, set[str]] = defaultdict(set)
    for external in codebase.externals:
        imported[external.source].add(external.name)
    unsure = frozenset(d.path for d in codebase.diagnostics)  # (a file not read has `loc` 0 too)
    roles = {
        m.name: _runtime_role(m, imported.get(m.name, set()), m.path in unsure) for m in codebase.modules
    }
    for name in loose_scripts(codebase, roles):
        roles[name] = "script"
    return roles


def loose_scripts(codebase: Codebase, roles: Mapping[str, str]) -> frozenset[str]:
    """Top-level modules beside the tree's packages that are run, never used: they serve no route,
    declare no table, define no task, and no module of the tree imports or references them but
    scripts (CTFd's `export.py`, `import.py`, `populate.py`, `serve.py` beside the `CTFd` package;
    mealie's `dev/code-generation/main.py` and the generators only it imports). A tree with no
    package keeps them: there, top-level modules are the application."""
    if not any(m.is_package and roles[m.name] == "code" for m in codebase.modules):
        return frozenset()
    owners = {r.module for r in codebase.routes} | {t.module for t in codebase.tables}
    candidates = frozenset(
        m.name
        for m in codebase.modules
        if roles[m.name] == "code"
        and "." not in m.name
        and not m.is_package
        and m.name not in owners
        and not defines_tasks(m)
    )
    uses = [(e.source, e.target) for e in codebase.imports] + [
        (r.source, r.target) for r in codebase.references
    ]
    scripts: frozenset[str] = frozenset()
    while True:  # a module used only by scripts is one too
        used = {t for s, t in uses if s != t and s not in scripts and roles.get(s) != "script"}
        found = candidates - used
        if found == scripts:
            return scripts
        scripts = found


def _runtime_role(module: Module, imported: set[str], unsure: bool) -> str:
    if module.role != "code":
        return module.role
    if module.loc == 0 and not unsure:
        return EMPTY_ROLE
    package, _, leaf = module.name.rpartition(".")
    if leaf == "tasks" and imported & RUNNER_IMPORTS:
        return "script"
    if package or leaf not in ROOT_SCRIPTS or module.is_package:
        return "code"
    if leaf == "tasks" and (imported & WORKER_IMPORTS or defines_tasks(module)):
        return "code"
    if leaf == "setup" and not imported & PACKAGING_IMPORTS:
        return "code"
    return "script"


def left_out(codebase: Codebase, include_tests: bool = False) -> dict[str, int]:
    """Role -> how many modules of that role the graph leaves out (none with `include_tests`)."""
    if include_tests:
        return {}
    counts: dict[str, int] = defaultdict(int)
    for role in runtime_roles(codebase).values():
        if role != "code":
            counts[role] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def build_graph(
    codebase: Codebase,
    weights: Mapping[str, float] | None = None,
    *,
    include_tests: bool = False,
) -> nx.DiGraph:
    """The coupling graph of `codebase`; `weights` (signal → weight, missing = 0) else the defaults."""
    used = dict(DEFAULT_WEIGHTS if weights is None else {s: float(weights.get(s, 0.0)) for s in SIGNALS})
    graph = nx.DiGraph(weights=tuple(sorted(used.items())))
    roles = runtime_roles(codebase)
    for module in sorted(codebase.modules):
        if roles[module.name] != "code" and not include_tests:
            continue  # tests, migrations, docs, examples, templates, settings variants, scripts, empty
        graph.add_node(
            module.name,
            loc=module.loc,
            role=roles[module.name],
            package=_package_of(module.name, module.is_package),
            path=module.path,
        )
    nodes = frozenset(graph.nodes)
    values: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)

    def add(source: str, target: str, signal: str, amount: float) -> None:
        if source == target or source not in nodes or target not in nodes or amount <= 0.0:
            return
        entry = values[(source, target)]
        entry[signal] = entry.get(signal, 0.0) + amount

    def add_both(a: str, b: str, signal: str, amount: float) -> None:
        add(a, b, signal, amount)
        add(b, a, signal, amount)

    for pair, observed in observed_signals(codebase, nodes).items():
        values[pair].update(observed)
    for (a, b), amount in route_similarity(codebase, nodes).items():
        add_both(a, b, "routes", amount)
    for (a, b), amount in names_similarity(codebase, nodes).items():
        add_both(a, b, "names", amount)
    for (a, b), amount in package_similarity(nodes).items():
        add_both(a, b, "packages", amount)

    for (source, target), signals in sorted(values.items()):
        attrs = {s: round(signals[s], 6) if s in signals else 0.0 for s in SIGNALS}
        graph.add_edge(source, target, **attrs, weight=combine(attrs, used))
    return graph


def undirected(graph: nx.DiGraph, weights: Mapping[str, float] | None = None) -> nx.Graph:
    """One undirected edge per linked pair, `weight` > 0 only: directed signals of both
    directions added, each symmetric signal taken once. `weights` defaults to the graph's own."""
    used = dict(graph.graph.get("weights", ())) if weights is None else dict(weights)
    result = nx.Graph()
    result.add_nodes_from(graph.nodes(data=True))
    merged: dict[tuple[str, str], dict[str, float]] = {}
    for source, target, attrs in graph.edges(data=True):
        key = (source, target) if source < target else (target, source)
        entry = merged.setdefault(key, {})
        for signal in SIGNALS:
            value = float(attrs.get(signal, 0.0))
            if signal in DIRECTED_SIGNALS:
                entry[signal] = entry.get(signal, 0.0) + value
            else:
                entry[signal] = max(entry.get(signal, 0.0), value)
    for (a, b), signals in sorted(merged.items()):
        weight = combine(signals, used)
        if weight > 0.0:
            result.add_edge(a, b, weight=weight, **signals)
    return result


def _package_of(name: str, is_package: bool) -> str:
    """The package a module belongs to: itself for a package `__init__`, else its parent."""
    if is_package:
        return name
    return name.rpartition(".")[0]


def route_segment(path: str, common: tuple[str, ...] = ()) -> str:
    """The first literal URL segment of `path` after the `common` leading segments ("" if none)."""
    segments = [s for s in path.strip("/^$").split("/") if s]
    index = 0
    while index < len(segments) and index < len(common) and segments[index] == common[index]:
        index += 1
    for segment in segments[index:]:
        if not segment.startswith(("<", "(", "{", "?", "\\")):
            return segment
    return ""


def common_route_prefix(paths: Iterable[str]) -> tuple[str, ...]:
    """Leading segments shared by more than half of all routes (e.g. "api", "v1"): not a capability."""
    split = [[s for s in p.strip("/^$").split("/") if s] for p in paths]
    prefix: list[str] = []
    while split:
        depth = len(prefix)
        counts: dict[str, int] = defaultdict(int)
        for segments in split:
            if len(segments) > depth + 1:
                counts[segments[depth]] += 1
        if not counts:
            break
        segment, count = max(counts.items(), key=lambda item: (item[1], item[0]))
        if count * 2 <= len(split):
            break
        prefix.append(segment)
        split = [s for s in split if len(s) > depth and s[depth] == segment]
    return tuple(prefix)


def route_similarity(codebase: Codebase, nodes: frozenset[str]) -> dict[tuple[str, str], float]:
    """Handler modules serving routes under the same first URL segment, 1/(modules-1) per pair."""
    common = common_route_prefix(r.path for r in codebase.routes)
    groups: dict[str, set[str]] = defaultdict(set)
    for route in codebase.routes:
        segment = route_segment(route.path, common)
        if segment and route.module in nodes:
            groups[segment].add(route.module)
    result: dict[tuple[str, str], float] = defaultdict(float)
    for members in groups.values():
        if len(members) < 2:
            continue
        for a, b in _pairs(members):
            result[(a, b)] += 1.0 / (len(members) - 1)
    return result


def names_similarity(codebase: Codebase, nodes: frozenset[str]) -> dict[tuple[str, str], float]:
    """TF-IDF cosine similarity of the terms inside modules, top-k neighbours per module only.

    Sparse: only pairs sharing a term are scored, and terms found in more than a fifth of the
    modules are dropped (they say nothing about capability and would make the scoring quadratic).
    Ties at the k-th place are all kept, so the result does not depend on module names.
    """
    docs = {m.name: dict(m.terms) for m in codebase.modules if m.name in nodes and m.terms}
    if len(docs) < 2:
        return {}
    frequency: dict[str, int] = defaultdict(int)
    for terms in docs.values():
        for term in terms:
            frequency[term] += 1
    limit = max(3, len(docs) // 5)
    vectors: dict[str, dict[str, float]] = {}
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for name, terms in docs.items():
        vector = {
            t: (1.0 + math.log(c)) * math.log(len(docs) / frequency[t])
            for t, c in terms.items()
            if 1 < frequency[t] <= limit
        }
        norm = math.sqrt(sum(v * v for v in vector.values()))
        if norm == 0.0 or len(vector) < NAMES_MIN_TERMS:
            continue
        vectors[name] = {t: v / norm for t, v in vector.items()}
        for term, value in vectors[name].items():
            postings[term].append((name, value))
    dots: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for entries in postings.values():
        for i, (a, va) in enumerate(entries):
            for b, vb in entries[i + 1 :]:
                dots[a][b] += va * vb
                dots[b][a] += va * vb
    result: dict[tuple[str, str], float] = {}
    for a, scores in dots.items():
        # a score below the floor of similarity cannot reach the k-th place: round the rest only
        kept = {b: round(s, 6) for b, s in scores.items() if s >= NAMES_MIN_SIMILARITY}
        if not kept:
            continue
        floor = heapq.nlargest(NAMES_TOP_K, kept.values())[-1]
        for b, score in kept.items():
            if score >= floor:
                result[(a, b) if a < b else (b, a)] = score
    return result


def package_similarity(nodes: frozenset[str]) -> dict[tuple[str, str], float]:
    """The package tree as a prior: a module and its package `__init__` 1.0, siblings 1/(n-1)."""
    children: dict[str, set[str]] = defaultdict(set)
    for name in nodes:
        parent = name.rpartition(".")[0]
        if parent:
            children[parent].add(name)
    result: dict[tuple[str, str], float] = defaultdict(float)
    for parent, members in children.items():
        if parent in nodes:
            for member in members:
                key = (parent, member) if parent < member else (member, parent)
                result[key] += 1.0
        if len(members) < 2 or len(members) > 60:
            continue
        for a, b in _pairs(members):
            result[(a, b)] += 1.0 / (len(members) - 1)
    return result
