"""`strangler check`: keep the monolith from growing back together while it is taken apart.

`policy` reads the committed decomposition (with the optional `depends_on` and `exposes` keys),
`rules` finds every cross-boundary dependency it does not allow, `baseline` ratchets them, and
`report` renders them as text, JSON (`strangler.check/1`), SARIF 2.1.0 or GitHub annotations.
"""

from strangler.check.findings import CheckReport, Finding, FindingKind, Policy
from strangler.check.rules import find_violations

__all__ = ["CheckReport", "Finding", "FindingKind", "Policy", "find_violations"]
