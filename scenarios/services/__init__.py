"""Every write to scenarios, one module per topic. Import from here: `from scenarios.services import scenario_save`."""

from .instruments import instrument_request_answer, instrument_request_create, instrument_save
from .reference import domain_save, zone_save
from .scenarios import (
    EDITABLE_FIELDS,
    MAX_ATTACHMENTS,
    MAX_NEED_ITEMS,
    ScenarioSaveResult,
    refresh_search_text,
    scenario_attachment_add,
    scenario_attachment_remove,
    scenario_create,
    scenario_enter_contest,
    scenario_save,
    scenario_transition,
    scenario_transition_many,
    scenario_update,
    submission_problems,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_ATTACHMENTS",
    "MAX_NEED_ITEMS",
    "ScenarioSaveResult",
    "domain_save",
    "instrument_request_answer",
    "instrument_request_create",
    "instrument_save",
    "refresh_search_text",
    "scenario_attachment_add",
    "scenario_attachment_remove",
    "scenario_create",
    "scenario_enter_contest",
    "scenario_save",
    "scenario_transition",
    "scenario_transition_many",
    "scenario_update",
    "submission_problems",
    "zone_save",
]
