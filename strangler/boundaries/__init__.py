"""Service boundaries: propose which service each module goes to, and describe any such assignment.

`propose` (proposal) finds the shared kernel (kernel), clusters the rest of the coupling graph
(clustering) under the configured constraints (constraints, settings), takes the jobs out of the
clusters they make and merges the small libraries (jobs), takes technical layers apart (layers),
and names the services (naming); where a package level holds the capabilities it starts from it
(structure);
`describe` (description) computes everything a `Decomposition` (decomposition) reports, with the
services' fields (services) and a reason per module (reasons). `describe` also serves an assignment
the user edited (pipeline), read from a boundaries file (decomposition_codec).
"""

from __future__ import annotations

from strangler.boundaries.description import Evidence, describe
from strangler.boundaries.proposal import propose

__all__ = ["Evidence", "describe", "propose"]
