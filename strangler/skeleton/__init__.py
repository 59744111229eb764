"""Runnable service skeletons for a cut, and the monolith patch that calls them (`generate_skeletons`)."""

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
