"""Compatibility name: `PlanText` lives in `taxonomy.sections`."""

from taxonomy.sections import PREAMBLE, PlanText, Section

__all__ = ["PREAMBLE", "PlanText", "Section"]
