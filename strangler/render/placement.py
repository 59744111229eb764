"""Positions for the interactive graph: services placed by their coupling, labels kept apart.

The report's graph library draws what it is given; placing the nodes here keeps the picture the
same on every run and costs the browser nothing at load (no physics simulation), whatever the size.

- `layout_boxes`: a force-directed layout (Fruchterman & Reingold 1991) of boxes of known size,
  coupled by weight, started from a compact grid in an order that keeps coupled services together,
  then `separate` pushes overlapping boxes apart (plus a gap) until no two labels touch.
- `grid_block`: the modules of one service in a compact block of columns, sorted by name (a
  package's modules stay together), placed around the service when it is expanded.

Pure arithmetic on floats in a fixed order, so the same input gives the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

#: Average width of a character as a share of the font size (sans-serif, a little generous so the
#: estimated box is never narrower than the drawn text).
CHAR_WIDTH = 0.62
#: Line height as a share of the font size.
LINE_HEIGHT = 1.25
#: Force-directed iterations; the service graph has tens of nodes, so this is milliseconds.
ITERATIONS = 250
#: Passes of overlap removal before giving up (each pass moves every overlapping pair apart).
SEPARATION_PASSES = 400
#: Width over height the layout is squeezed towards: screens (and the report's canvas) are wide.
ASPECT = 1.6

Point = tuple[float, float]
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Box:
    """A node to place: its name and the size of its drawn box."""

    name: str
    width: float
    height: float


def text_size(lines: Sequence[str], font: float, margin: float) -> tuple[float, float]:
    """Width and height of a box holding `lines` of text at `font` px with `margin` on each side."""
    longest = max((len(line) for line in lines), default=0)
    width = longest * font * CHAR_WIDTH + 2 * margin
    height = max(1, len(lines)) * font * LINE_HEIGHT + 2 * margin
    return round(width, 1), round(height, 1)


def chain_order(names: Sequence[str], weights: Mapping[Pair, float]) -> list[str]:
    """Names in an order where each follows the one it is most coupled to (greedy, deterministic)."""
    strength: dict[str, float] = dict.fromkeys(names, 0.0)
    link: dict[Pair, float] = {}
    for (a, b), w in weights.items():
        if a in strength and b in strength and a != b:
            strength[a] += w
            strength[b] += w
            key = (min(a, b), max(a, b))
            link[key] = link.get(key, 0.0) + w
    order: list[str] = []
    left = sorted(names, key=partial(_strongest_first, strength))
    while left:
        best = _most_linked(order, left, link) if order else left[0]
        order.append(best)
        left.remove(best)
    return order


def _most_linked(placed: list[str], left: list[str], link: Mapping[Pair, float]) -> str:
    """The unplaced name most coupled to the recently placed ones (the latest counts most)."""
    scores = dict.fromkeys(left, 0.0)
    for age, anchor in enumerate(reversed(placed[-6:])):
        for name in left:
            scores[name] += link.get((min(anchor, name), max(anchor, name)), 0.0) / (1 + age)
    return max(left, key=partial(_best_then_first, scores, left))


def _grid_start(order: list[str], boxes: Mapping[str, Box]) -> dict[str, Point]:
    """A compact grid, rows filled in `order`, as the starting point."""
    columns = max(1, math.ceil(math.sqrt(len(order) * 1.4)))
    cell_w = max(b.width for b in boxes.values()) + 40
    cell_h = max(b.height for b in boxes.values()) + 40
    return {
        name: ((i % columns) * cell_w + (i // columns % 2) * cell_w / 3, (i // columns) * cell_h)
        for i, name in enumerate(order)
    }


def _repulsion(names: list[str], pos: dict[str, Point], k: float) -> dict[str, list[float]]:
    force = {n: [0.0, 0.0] for n in names}
    for i, a in enumerate(names):
        ax, ay = pos[a]
        for b in names[i + 1 :]:
            dx, dy = ax - pos[b][0], ay - pos[b][1]
            dist2 = max(dx * dx + dy * dy, 1.0)
            push = k * k / dist2
            force[a][0] += dx * push
            force[a][1] += dy * push
            force[b][0] -= dx * push
            force[b][1] -= dy * push
    return force


def _attraction(
    force: dict[str, list[float]], pos: dict[str, Point], links: Mapping[Pair, float], k: float
) -> None:
    for (a, b), strength in links.items():
        dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
        dist = math.sqrt(dx * dx + dy * dy) or 1.0
        pull = dist * strength / k
        force[a][0] -= dx * pull
        force[a][1] -= dy * pull
        force[b][0] += dx * pull
        force[b][1] += dy * pull


def _normalised_links(names: Sequence[str], weights: Mapping[Pair, float]) -> dict[Pair, float]:
    """Undirected link strengths in (0.2, 1]: the log of the summed weight of both directions."""
    known = set(names)
    summed: dict[Pair, float] = {}
    for (a, b), w in sorted(weights.items()):
        if a in known and b in known and a != b and w > 0:
            key = (min(a, b), max(a, b))
            summed[key] = summed.get(key, 0.0) + w
    top = max((math.log1p(w) for w in summed.values()), default=1.0) or 1.0
    return {pair: 0.2 + 0.8 * math.log1p(w) / top for pair, w in sorted(summed.items())}


def _relax(
    order: list[str], pos: dict[str, Point], links: Mapping[Pair, float], k: float, iterations: int
) -> dict[str, Point]:
    """Fruchterman–Reingold steps with linear cooling and a weak pull to the centre."""
    current = dict(pos)
    start = k * math.sqrt(len(order))
    for step in range(iterations):
        heat = start * (1 - step / iterations) + 1.0
        force = _repulsion(order, current, k)
        _attraction(force, current, links, k)
        cx = sum(p[0] for p in current.values()) / len(current)
        cy = sum(p[1] for p in current.values()) / len(current)
        for name in order:
            fx = force[name][0] - 0.05 * (current[name][0] - cx)
            fy = force[name][1] - 0.05 * (current[name][1] - cy)
            length = math.sqrt(fx * fx + fy * fy)
            if length > heat:
                fx, fy = fx * heat / length, fy * heat / length
            current[name] = (current[name][0] + fx, current[name][1] + fy)
    return current


def _push_apart(a: Box, b: Box, pa: Point, pb: Point, gap: float, tie: int) -> tuple[Point, Point] | None:
    """New positions for two overlapping boxes (moved apart along the cheaper axis), else None."""
    dx, dy = pb[0] - pa[0], pb[1] - pa[1]
    over_x = (a.width + b.width) / 2 + gap - abs(dx)
    over_y = (a.height + b.height) / 2 + gap * 0.6 - abs(dy)
    if over_x <= 0 or over_y <= 0:
        return None
    if over_x * 0.6 < over_y:  # moving sideways is cheaper (boxes are wide)
        sign = 1.0 if dx > 0 or (dx == 0 and tie % 2 == 0) else -1.0
        shift = sign * (over_x / 2 + 0.5)
        return (pa[0] - shift, pa[1]), (pb[0] + shift, pb[1])
    sign = 1.0 if dy > 0 or (dy == 0 and tie % 2 == 0) else -1.0
    shift = sign * (over_y / 2 + 0.5)
    return (pa[0], pa[1] - shift), (pb[0], pb[1] + shift)


def separate(boxes: Sequence[Box], pos: Mapping[str, Point], gap: float) -> dict[str, Point]:
    """Move boxes apart until no two overlap (with `gap` between them), or the passes run out."""
    current = dict(pos)
    for _ in range(SEPARATION_PASSES):
        moved = False
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                b = boxes[j]
                apart = _push_apart(a, b, current[a.name], current[b.name], gap, i + j)
                if apart is not None:
                    current[a.name], current[b.name] = apart
                    moved = True
        if not moved:
            break
    return current


def overlapping(boxes: Sequence[Box], pos: Mapping[str, Point]) -> list[Pair]:
    """Pairs of boxes whose rectangles overlap (the check the tests and `separate` rely on)."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = abs(pos[a.name][0] - pos[b.name][0])
            dy = abs(pos[a.name][1] - pos[b.name][1])
            if dx < (a.width + b.width) / 2 and dy < (a.height + b.height) / 2:
                found.append((a.name, b.name))
    return found


def bounds(boxes: Sequence[Box], pos: Mapping[str, Point]) -> tuple[float, float, float, float]:
    """Left, top, right, bottom of the drawn boxes."""
    return (
        min(pos[b.name][0] - b.width / 2 for b in boxes),
        min(pos[b.name][1] - b.height / 2 for b in boxes),
        max(pos[b.name][0] + b.width / 2 for b in boxes),
        max(pos[b.name][1] + b.height / 2 for b in boxes),
    )


def widen(boxes: Sequence[Box], pos: Mapping[str, Point], gap: float) -> dict[str, Point]:
    """Squeeze a layout taller than ASPECT vertically (then separate again): a wide picture fits a
    screen at a larger, more readable scale."""
    left, top, right, bottom = bounds(boxes, pos)
    aspect = (right - left) / max(bottom - top, 1.0)
    if aspect >= ASPECT:
        return dict(pos)
    factor = aspect / ASPECT
    squeezed = {name: (x, y * factor) for name, (x, y) in pos.items()}
    return separate(boxes, squeezed, gap)


def layout_boxes(
    boxes: Sequence[Box], weights: Mapping[Pair, float], *, gap: float = 56.0, iterations: int = ITERATIONS
) -> dict[str, Point]:
    """Centre of every box: coupled boxes near each other, none overlapping, centred on (0, 0)."""
    if not boxes:
        return {}
    by_name = {b.name: b for b in boxes}
    order = chain_order([b.name for b in boxes], weights)
    ordered = [by_name[n] for n in order]
    links = _normalised_links(order, weights)
    k = sum(math.hypot(b.width, b.height) for b in boxes) / len(boxes) * 1.1
    start = _grid_start(order, by_name)
    relaxed = _relax(order, start, links, k, iterations) if len(order) > 1 else start
    placed = widen(ordered, separate(ordered, relaxed, gap), gap)
    left, top, right, bottom = bounds(ordered, placed)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    return {name: (round(x - cx, 1), round(y - cy, 1)) for name, (x, y) in sorted(placed.items())}


def grid_block(
    widths: Sequence[tuple[str, float]], row_height: float, gap: float = 14.0
) -> tuple[dict[str, Point], tuple[float, float]]:
    """Offsets from the block's centre for boxes of the given widths, in columns of equal width,
    filled down each column in the given order; and the block's width and height.

    The number of columns makes the block about 1.6 times wider than tall.
    """
    if not widths:
        return {}, (0.0, 0.0)
    cell_w = max(w for _, w in widths) + gap
    cell_h = row_height + gap
    count = len(widths)
    columns = max(1, min(count, round(math.sqrt(1.6 * count * cell_h / cell_w))))
    rows = math.ceil(count / columns)
    width, height = columns * cell_w - gap, rows * cell_h - gap
    offsets = {
        name: (
            round(-width / 2 + (i // rows) * cell_w + cell_w / 2 - gap / 2, 1),
            round(-height / 2 + (i % rows) * cell_h + cell_h / 2 - gap / 2, 1),
        )
        for i, (name, _) in enumerate(widths)
    }
    return offsets, (round(width, 1), round(height, 1))


def _strongest_first(strength: Mapping[str, float], name: str) -> tuple[float, str]:
    return -strength[name], name


def _best_then_first(scores: Mapping[str, float], left: list[str], name: str) -> tuple[float, int]:
    """The highest score; of equal ones, the first in `left`."""
    return scores[name], -left.index(name)
