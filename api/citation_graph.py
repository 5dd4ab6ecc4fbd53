"""Shortest citation chains and citation neighbourhoods over the direct citation edges, in plain Python.

The edges are small (one pair per citing and cited document) and are read
from the store once per store version, so breadth-first search runs in
memory instead of as one SPARQL query per frontier.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

Edge = tuple[str, str]


@dataclass(frozen=True)
class CitationGraph:
    """Directed ``citing -> cited`` edges with their occurrence counts, indexed both ways."""

    counts: dict[Edge, int]
    cites: dict[str, tuple[str, ...]]
    cited_by: dict[str, tuple[str, ...]]

    @classmethod
    def from_counts(cls, counts: dict[Edge, int]) -> CitationGraph:
        out: dict[str, list[str]] = defaultdict(list)
        into: dict[str, list[str]] = defaultdict(list)
        for source, target in sorted(counts):
            out[source].append(target)
            into[target].append(source)
        return cls(dict(counts), {k: tuple(v) for k, v in out.items()}, {k: tuple(v) for k, v in into.items()})


_cache: dict[int, tuple[str, CitationGraph]] = {}
_lock = threading.Lock()


def cached_citation_graph(owner: object, version: str, load: Callable[[], dict[Edge, int]]) -> CitationGraph:
    """The citation graph of ``owner``'s store at ``version``, loaded again only when the store changed."""
    with _lock:
        hit = _cache.get(id(owner))
        if hit and hit[0] == version:
            return hit[1]
    built = CitationGraph.from_counts(load())
    with _lock:
        _cache[id(owner)] = (version, built)
    return built


def shortest_paths(graph: CitationGraph, start: str, goal: str, max_depth: int,
                   cap: int = 50) -> tuple[list[list[str]], bool]:
    """All shortest chains ``start`` cites ... cites ``goal`` of at most ``max_depth`` steps (at most ``cap``).

    Returns the paths (empty when there is none within the depth) and whether
    more than ``cap`` shortest paths exist.  ``start == goal`` is the chain of
    length 0.
    """
    if start == goal:
        return [[start]], False
    parents: dict[str, list[str]] = {start: []}
    frontier = [start]
    depth = 0
    while frontier and goal not in parents and depth < max_depth:
        depth += 1
        layer: dict[str, list[str]] = {}
        for node in frontier:
            for nxt in graph.cites.get(node, ()):
                if nxt not in parents:
                    layer.setdefault(nxt, []).append(node)
        parents.update(layer)
        frontier = sorted(layer)
    if goal not in parents:
        return [], False
    paths: list[list[str]] = []
    truncated = False

    def walk(node: str, suffix: list[str]) -> None:
        nonlocal truncated
        if len(paths) >= cap:
            truncated = True
            return
        if node == start:
            paths.append([start, *suffix])
            return
        for parent in parents[node]:
            walk(parent, [node, *suffix])

    walk(goal, [])
    return paths, truncated


def neighbourhood(graph: CitationGraph, start: str, depth: int, max_nodes: int = 500) -> tuple[set[str], bool]:
    """Documents within ``depth`` citation steps of ``start``, following citations both ways.

    Returns the nodes and whether ``max_nodes`` stopped the walk early.
    """
    seen = {start}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    while queue:
        node, distance = queue.popleft()
        if distance == depth:
            continue
        for nxt in (*graph.cites.get(node, ()), *graph.cited_by.get(node, ())):
            if nxt in seen:
                continue
            if len(seen) >= max_nodes:
                return seen, True
            seen.add(nxt)
            queue.append((nxt, distance + 1))
    return seen, False


def edges_among(graph: CitationGraph, nodes: set[str]) -> list[tuple[str, str, int]]:
    """The citation edges whose both ends are in ``nodes``, with counts, in a stable order."""
    return [(s, t, n) for (s, t), n in sorted(graph.counts.items()) if s in nodes and t in nodes]
