"""The extraction plan: in which order the services leave the monolith, and what each cut needs.

`make_plan` (planner) turns the facts and a decomposition into an `ExtractionPlan` (extraction_plan):
waves ordered by entanglement (sequencing), each with its numbered steps (wave_steps), the interface
the new service must offer (interface), who owns each table (ownership), and the hazards of calls
that cross the network (hazards, cross_templates). `document` and `markdown` render the plan as
plan.json and plan.md.
"""

from strangler.plan.extraction_plan import ExtractionPlan, PlanOptions
from strangler.plan.planner import make_plan

__all__ = ["ExtractionPlan", "PlanOptions", "make_plan"]
