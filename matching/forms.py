"""matching has no Django form of its own.

Its pages post buttons, not forms: on 推荐供应商 and 推荐场景 a side answers a match (its id, the
decision and, to decline, a reason code), checked by matching.services.match_answer, whose
Chinese refusal the page shows; on the match table an operator puts a match on an event's agenda
(capability_list.services.agenda_add) or starts the rebuild job. The table's filters are
matching.filters.MatchFilterSet.
"""
