"""The extraction plan: waves, steps, interfaces, data ownership and hazards (`make_plan`)."""

from strangler.plan.model import ExtractionPlan, PlanOptions
from strangler.plan.planner import make_plan

__all__ = ["ExtractionPlan", "PlanOptions", "make_plan"]
