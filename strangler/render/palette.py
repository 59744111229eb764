"""Colours of the views, chosen to stay distinguishable under colour-blindness.

Services take twelve hues, in order of their sorted names: the four cool Okabe–Ito hues (Okabe &
Ito, "Color Universal Design", 2008) and eight of Paul Tol's qualitative colours (muted, light and
dark schemes). No two of the first twelve services share a colour; from the thirteenth on the hues
repeat with a different border pattern (dashed, then dotted, then bold), so a service never looks
like another in both colour and outline.

Vermillion is reserved: it marks the dependencies that close a dependency cycle, and no service
uses it or a hue that could be taken for it. Okabe–Ito orange and yellow, Tol's olive and green,
and darkened yellows all sit within a few CIELAB units of vermillion for a deuteranope or a
protanope (simulated with the Machado et al. 2009 matrices), so they are left out; every service
stroke stays at least 25 ΔE*ab (CIE76) away from vermillion under normal, protan, deutan and
tritan vision (`tests/strangler/render/test_dot.py` checks it). The shared kernel is neutral grey.

Fills are light tints of the hue so black text stays legible on them; pale hues (cyan, pink,
sand) draw their lines and borders in a darker shade of the same hue, for contrast on white.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Twelve service hues (module docstring); similar pairs are kept far apart in the order.
SERVICE_HUES: tuple[str, ...] = (
    "#0072B2",  # Okabe–Ito blue
    "#009E73",  # Okabe–Ito bluish green
    "#CC79A7",  # Okabe–Ito reddish purple
    "#56B4E9",  # Okabe–Ito sky blue
    "#332288",  # Tol indigo
    "#882255",  # Tol wine
    "#44AA99",  # Tol teal
    "#AA4499",  # Tol purple
    "#225555",  # Tol dark cyan (dark scheme)
    "#DDCC77",  # Tol sand
    "#FFAABB",  # Tol pink (light scheme): after reddish purple, its nearest
    "#88CCEE",  # Tol cyan: after sky blue, its nearest, so the two meet only from 12 services on
)

CYCLE = "#D55E00"  # Okabe–Ito vermillion: dependency cycles, never a service
KERNEL_STROKE = "#6E6E6E"
KERNEL_FILL = "#EDEDED"
INK = "#1B1B1B"  # text
MUTED = "#8C8C8C"  # secondary text, kernel edges
FAINT = "#C8C8C8"  # intra-service edges at module level
DATA = "#7A5195"  # shared-table edges (dashed, so they also differ by pattern)

#: Pale hues draw lines and borders in a darker shade of themselves (contrast on white).
LINE_SHADES = {"#88CCEE": "#5F8FA7", "#FFAABB": "#CC8896", "#DDCC77": "#6E663C"}

Pattern = Literal["solid", "dashed", "dotted", "bold"]
#: Border pattern per round of twelve services: hues repeat only with another outline.
PATTERNS: tuple[Pattern, ...] = ("solid", "dashed", "dotted", "bold")


@dataclass(frozen=True, slots=True)
class Swatch:
    """The stroke (edges, borders) and fill (node background) colour of one service, and its
    border pattern (solid for the first twelve services)."""

    stroke: str
    fill: str
    pattern: Pattern = "solid"


KERNEL = Swatch(KERNEL_STROKE, KERNEL_FILL, "dashed")


def tint(hex_colour: str, amount: float) -> str:
    """Mix `hex_colour` with white; `amount` 0 keeps the colour, 1 gives white."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def swatch(index: int) -> Swatch:
    """The swatch of the `index`-th service (sorted by name): a hue per service up to twelve,
    then the hues again with the next border pattern."""
    hue = SERVICE_HUES[index % len(SERVICE_HUES)]
    pattern = PATTERNS[(index // len(SERVICE_HUES)) % len(PATTERNS)]
    amount = 0.5 if hue in LINE_SHADES else 0.78  # pale hues are light already
    return Swatch(LINE_SHADES.get(hue, hue), tint(hue, amount), pattern)


def swatches(names: tuple[str, ...]) -> dict[str, Swatch]:
    """A swatch per service name, assigned in sorted order so colours are stable across runs."""
    return {name: swatch(i) for i, name in enumerate(sorted(names))}
