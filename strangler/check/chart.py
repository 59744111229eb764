"""The progress of a migration as an SVG line chart: cross-boundary findings left, commit by commit.

One line for the total and one per service (the findings it takes part in, as user or as used),
oldest commit on the left. Plain SVG built from sorted data, no script, no external font: it opens
in a browser, renders on GitHub and is byte-identical for the same history.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from strangler.check.trend import CommitProgress, by_service
from strangler.render.palette import swatches

WIDTH, HEIGHT = 900, 420
LEFT, RIGHT, TOP, BOTTOM = 60, 200, 30, 60


def progress_svg(rows: Sequence[CommitProgress]) -> str:
    """The chart of `rows` (oldest first) as an SVG document."""
    services = sorted({name for row in rows for name in by_service(row)})
    series = {"total": [row.findings for row in rows]}
    for name in services:
        series[name] = [by_service(row).get(name, 0) for row in rows]
    top = max([1, *(v for values in series.values() for v in values)])
    parts = [_header(), *_axes(rows, top)]
    colours = {name: swatch.stroke for name, swatch in swatches(tuple(services)).items()}
    colours["total"] = "#222222"
    ordered = ["total", *services]
    for index, name in enumerate(ordered):
        parts += _line(name, series[name], top, colours[name], index)
    parts.append("</svg>\n")
    return "\n".join(parts)


def _header() -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">\n'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>\n'
        f'<text x="{LEFT}" y="18" font-size="14">Cross-boundary findings left, per commit</text>'
    )


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: int, top: int) -> float:
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top


def _axes(rows: Sequence[CommitProgress], top: int) -> list[str]:
    base = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#888"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#888"/>',
        f'<text x="{LEFT - 8}" y="{base + 4}" text-anchor="end">0</text>',
        f'<text x="{LEFT - 8}" y="{TOP + 4}" text-anchor="end">{top}</text>',
    ]
    for index, row in enumerate(rows):
        x = _x(index, len(rows))
        label = escape(f"{row.commit[:7]} {row.date[:10]}")
        parts.append(
            f'<text x="{x:.1f}" y="{base + 14}" font-size="10" text-anchor="end" '
            f'transform="rotate(-30 {x:.1f} {base + 14})">{label}</text>'
        )
    return parts


def _line(name: str, values: Sequence[int], top: int, colour: str, index: int) -> list[str]:
    points = " ".join(f"{_x(i, len(values)):.1f},{_y(v, top):.1f}" for i, v in enumerate(values))
    width = 3 if name == "total" else 2
    legend_y = TOP + 16 * index
    legend_x = WIDTH - RIGHT + 16
    return [
        f'<polyline data-series="{escape(name)}" points="{points}" fill="none" '
        f'stroke="{colour}" stroke-width="{width}"/>',
        f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="4" fill="{colour}"/>',
        f'<text x="{legend_x + 18}" y="{legend_y - 4}">{escape(name)} ({values[-1] if values else 0})</text>',
    ]
