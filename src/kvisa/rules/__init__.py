"""kvisa.rules — every programme's criteria as code, cited and dated.

Public API (used by the CLI, the web service, pathways and population)::

    evaluate(frame, programmes=None, on=date, scenario=None) -> polars.DataFrame
    explain(profile, programmes=None, on=date, scenario=None) -> Assessment
"""

from kvisa.rules.engine import (
    Assessment,
    CriterionResult,
    ProgrammeAssessment,
    evaluate,
    evaluate_lazy,
    explain,
    programme_ids,
)
from kvisa.rules.errors import ProfileError, RulesError
from kvisa.rules.facts import FACTS, POLARS_SCHEMA, profile_json_schema, validate_profile
from kvisa.rules.programmes import PROGRAMMES
from kvisa.rules.scenario import Scenario, load_scenario, scenario_from_dict

__all__ = [
    "FACTS",
    "POLARS_SCHEMA",
    "PROGRAMMES",
    "Assessment",
    "CriterionResult",
    "ProfileError",
    "ProgrammeAssessment",
    "RulesError",
    "Scenario",
    "evaluate",
    "evaluate_lazy",
    "explain",
    "load_scenario",
    "profile_json_schema",
    "programme_ids",
    "scenario_from_dict",
    "validate_profile",
]
