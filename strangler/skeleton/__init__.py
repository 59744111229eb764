"""Runnable service skeletons for a cut, and the monolith patch that calls them (`generate_skeletons`).

generate.py reads the tree once and builds every output: layout.py and closure.py decide what each
service moves, vendors and calls remotely; service_tree.py writes `services/<name>/` (moving.py and
its helpers rewrite imports; client.py, webapp.py, fastapi_app.py, django_project.py and project.py
generate code and project files); monolith_patch.py writes `monolith_patch/` (the monolith's clients
and internal API, mounted by monolith_frameworks.py). wire_runtime.py is copied verbatim into both sides.
"""

from strangler.skeleton.generate import (
    apply_patch,
    build_skeletons,
    generate_skeletons,
    plan_skeletons,
)
from strangler.skeleton.layout import SkeletonError, SkeletonOptions
from strangler.skeleton.stats import read_stats

__all__ = [
    "SkeletonError",
    "SkeletonOptions",
    "apply_patch",
    "build_skeletons",
    "generate_skeletons",
    "plan_skeletons",
    "read_stats",
]
