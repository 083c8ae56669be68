"""推荐场景's rows, rendered once per company, language and address (?page=, ?page_size=) and kept in
the cache (core.page_cache) until something they show changes. Issue #20: the page cost about 32 ms
of Python a request, its rows' templates and their queries most of it, and a company reads its
recommendations far more often than they change.

What is stored is the same for every member of the company who may see the page: the rows (each
side's answer to a pair is the company's, not the person's) and the pagination. What depends on the
person or on the time is put in on every request: the CSRF token of the answer forms (stored as a
placeholder) and other apps' calls to action per scenario (contests' 我要揭榜: whether the person's
company has entered, whether registration is open now), stored as a marker per row. Which scenarios
have calls at all is stored with the rows (scenarios.extensions), so that a page with none — most
pages — asks nothing. Who may see the rows is checked by the view on every request, as before: the
key holds the company's id.

The rows go stale when
- a scenario, an organisation (a publisher's name) or a district changes: RECOMMENDED_SCENARIOS, the
  scope of every company's rows (models registered below; a rematch of a scenario, which follows
  its save, and a rebuild call `recommendations_changed_everywhere`);
- one of the company's entries changes or goes, one of their matches gets an answer from either
  side (the signals below), or a rematch of one of its entries rewrites their matches
  (matching.engine.rematch calls `recommendations_changed`): the company's own scope.
Which scenarios have calls goes stale when a model the calls read changes (SCENARIO_CALLS) and when
a moment passes that changes them (a contest opens its challenges): stored no longer than that.
"""

import hashlib
import re

from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.navigation import scopes_read_with_menu
from core.page_cache import (
    NOT_STORED,
    TOKEN_PLACEHOLDER,
    pages_changed,
    register_page_scope,
    scope_store,
    seconds_until,
)
from scenarios.extensions import SCENARIO_CALLS, scenario_calls, scenario_calls_change_at

RECOMMENDED_SCENARIOS = "recommendations"
RECOMMENDED_SCENARIOS_SHOW = ("scenarios.Scenario", "accounts.Organisation", "accounts.District")
_CALLS_MARKER = re.compile(r"@@scenario-calls-(\d+)@@")


def company_scope(company_id: int) -> str:
    return f"{RECOMMENDED_SCENARIOS}:{company_id}"


def recommendations_changed(*company_ids: int) -> None:
    """These companies' stored rows are stale (now and again at commit)."""
    pages_changed(*(company_scope(company_id) for company_id in company_ids if company_id is not None))


def recommendations_changed_everywhere() -> None:
    pages_changed(RECOMMENDED_SCENARIOS)


def recommendation_rows(request, company_id: int | None, render_rows) -> tuple[SafeString, SafeString]:
    """(the table's rows, the pagination) of the company's 推荐场景 at this address, for this person.
    `render_rows()` returns (rows, pagination, scenario ids on the page) rendered for any member of
    the company: CSRF token placeholder, a calls marker per row (see the module)."""
    key = None
    if company_id is not None:  # (no company: an empty list, nothing worth storing)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"recommendation-rows:{company_id}:{get_language()}:{address}"
        scopes = (RECOMMENDED_SCENARIOS, SCENARIO_CALLS, company_scope(company_id))
        stored, versions = scopes_read_with_menu(request, {key: scopes})[key]  # the menu in the same read
    if key is None or stored is NOT_STORED:
        rows, pagination, scenario_ids = render_rows()
        calls = scenario_calls(request.user, scenario_ids)
        with_calls = sorted(calls)
        if key is not None:
            seconds = seconds_until(scenario_calls_change_at(scenario_ids) if scenario_ids else None)
            if seconds > 0:
                scope_store(key, versions, (rows, pagination, with_calls), seconds)
    else:
        rows, pagination, with_calls = stored
        calls = scenario_calls(request.user, with_calls) if with_calls else {}
    rows = _CALLS_MARKER.sub(lambda marker: _calls_html(calls.get(int(marker.group(1)), [])), rows)
    if TOKEN_PLACEHOLDER in rows:
        rows = rows.replace(TOKEN_PLACEHOLDER, get_token(request))
    return mark_safe(rows), mark_safe(pagination)  # noqa: S308  # nosec B308 B703 — our own templates' output, escaped when rendered


def _calls_html(calls: list[dict]) -> str:
    return "".join(render_to_string("includes/_scenario_call.html", {"call": call}) for call in calls)


def _entry_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        recommendations_changed(instance.company_id)


def _answer_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        from capability_list.models import CapabilityEntry

        company_id = CapabilityEntry.objects.filter(pk=instance.entry_id).values_list("company_id", flat=True).first()
        recommendations_changed(company_id)


def connect() -> None:
    """Called by MatchingConfig.ready()."""
    from capability_list.models import CapabilityEntry
    from matching.models import MatchFeedback

    register_page_scope(RECOMMENDED_SCENARIOS, *RECOMMENDED_SCENARIOS_SHOW)
    for signal in (post_save, post_delete):
        uid = "saved" if signal is post_save else "deleted"
        signal.connect(_entry_changed, sender=CapabilityEntry, dispatch_uid=f"recommendations-entry-{uid}")
        signal.connect(_answer_changed, sender=MatchFeedback, dispatch_uid=f"recommendations-answer-{uid}")
