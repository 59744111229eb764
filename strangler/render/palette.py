"""Colours of the views, chosen to stay distinguishable under colour-blindness.

Services take the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008) in order of
their sorted names, with light tints of the same hues as node fills so black text stays legible.
Vermillion is kept out of the service colours: it marks dependency cycles only, so a cycle
never looks like "just another service". The shared kernel is neutral grey.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Okabe–Ito hues for services (vermillion and black left out on purpose, see module docstring).
SERVICE_HUES: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)

CYCLE = "#D55E00"  # Okabe–Ito vermillion: dependency cycles
KERNEL_STROKE = "#6E6E6E"
KERNEL_FILL = "#EDEDED"
INK = "#1B1B1B"  # text
MUTED = "#8C8C8C"  # secondary text, kernel edges
FAINT = "#C8C8C8"  # intra-service edges at module level
DATA = "#7A5195"  # shared-table edges (dashed, so they also differ by pattern)


@dataclass(frozen=True, slots=True)
class Swatch:
    """The stroke (edges, borders) and fill (node background) colour of one service."""

    stroke: str
    fill: str


KERNEL = Swatch(KERNEL_STROKE, KERNEL_FILL)


def tint(hex_colour: str, amount: float) -> str:
    """Mix `hex_colour` with white; `amount` 0 keeps the colour, 1 gives white."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02X}" for c in mixed)


#: Okabe–Ito yellow is too light for lines on white; its edges and borders use a darker shade.
LINE_SHADES = {"#F0E442": "#B3A600"}


def swatch(index: int) -> Swatch:
    """The swatch of the `index`-th service (sorted by name); hues repeat after six services."""
    hue = SERVICE_HUES[index % len(SERVICE_HUES)]
    return Swatch(LINE_SHADES.get(hue, hue), tint(hue, 0.78))


def swatches(names: tuple[str, ...]) -> dict[str, Swatch]:
    """A swatch per service name, assigned in sorted order so colours are stable across runs."""
    return {name: swatch(i) for i, name in enumerate(sorted(names))}
