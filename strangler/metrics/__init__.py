"""Decomposition quality metrics: how good a cut is, and how close it is to a reference.

- `structure_metrics` judges one decomposition on the coupling graph and the facts (modularity, ICP,
  SM, IFN, NED, cross-service call sites, shared tables).
- `compare` scores it against a reference decomposition (ARI, AMI, MoJoFM).
- `load_reference` reads a reference: today's package layout or a JSON/TOML file.

Conventions (scope, exclusions, limit cases) are in docs/metrics.md.
"""

from __future__ import annotations

from strangler.metrics.partition import (
    UNSCORED,
    adjusted_mutual_info,
    adjusted_rand_index,
    compare,
    max_mojo_distance,
    mojo_distance,
    mojofm,
    scored_modules,
)
from strangler.metrics.reference import (
    PACKAGES,
    ReferenceLoad,
    load_reference,
    package_layout,
    read_reference,
)
from strangler.metrics.structure import (
    NED_BOUNDS,
    ServiceCoupling,
    service_coupling,
    structure_metrics,
)

__all__ = [
    "NED_BOUNDS",
    "PACKAGES",
    "UNSCORED",
    "ReferenceLoad",
    "ServiceCoupling",
    "adjusted_mutual_info",
    "adjusted_rand_index",
    "compare",
    "load_reference",
    "max_mojo_distance",
    "mojo_distance",
    "mojofm",
    "package_layout",
    "read_reference",
    "scored_modules",
    "service_coupling",
    "structure_metrics",
]
