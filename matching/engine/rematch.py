"""One scenario or one entry, matched after it is saved (a task queued on commit), and a
scenario's full ranking for evaluation. The document is compared with every document of the other
side in the active model (those saved since the fit are read and vectorised on the fly, once per
worker until they are saved again); only the most relevant are read from the database, checked
against the hard filters, scored and explained."""

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from scipy import sparse

from capability_list.choices import EntryStatus
from capability_list.models import CapabilityEntry
from matching.engine import similarity, store
from matching.engine.documents import OPEN_SCENARIO_STATUSES, entry_docs, scenario_docs
from matching.engine.matches import NeedVectors, match_rows, score_pairs, signatures
from matching.engine.rebuild import SCORED_PER_ENTRY, SCORED_PER_SCENARIO
from matching.engine.scoring import ENTRY_SHOWS, SCENARIO_SHOWS, passes_hard_filters
from matching.engine.text import document_tokens
from matching.models import Match
from matching.recommendation_rows import recommendations_changed, recommendations_changed_everywhere


def _scenarios():
    from scenarios.models import Scenario

    return Scenario.objects


def _most_relevant(model, kind: str, vector, embedded, limit: int, allowed=None):
    """(docs, vectors, embedded, relevance) of the `limit` documents of one side (kind "entry" or
    "scenario") most relevant to one document, best first; `allowed` narrows to these ids. The
    model's rows and the rows of documents saved since the fit are compared separately (copying
    a city's matrix per rematch would cost more than the comparison)."""
    manager = CapabilityEntry.objects if kind == "entry" else _scenarios()
    ids = model.entry_ids if kind == "entry" else model.scenario_ids
    vectors = model.entry_vectors if kind == "entry" else model.scenario_vectors
    stored = model.entry_embedded if kind == "entry" else model.scenario_embedded
    read = entry_docs if kind == "entry" else scenario_docs
    changed = _saved_since_fit(model, kind, manager)
    fresh_ids, fresh_vectors, fresh_embedded, fresh_hubs = _vectorised(model, kind, changed, manager, read)
    relevance = similarity.all_similarities(vector, embedded, vectors, stored)[0]
    fresh_relevance = similarity.all_similarities(vector, embedded, fresh_vectors, fresh_embedded)[0]
    if kind == "entry":
        relevance -= similarity.HUB_DISCOUNT * model.entry_hubs
        fresh_relevance -= similarity.HUB_DISCOUNT * fresh_hubs
    relevance[_rows_of(ids, np.array([key[0] for key in changed], dtype=np.int64))] = -np.inf  # text in fresh rows
    all_ids = np.concatenate([ids, fresh_ids])
    relevance = np.concatenate([relevance, fresh_relevance])
    if allowed is not None:
        relevance[~np.isin(all_ids, list(allowed))] = -np.inf
    rows = np.flatnonzero(relevance > -np.inf)
    if len(rows) > limit:  # the best `limit` first, then only those sorted
        rows = rows[np.argpartition(-relevance[rows], limit - 1)[:limit]]
    rows = rows[np.lexsort((all_ids[rows], -relevance[rows]))]
    current = manager.filter(pk__in=all_ids[rows].tolist())
    if kind == "entry":
        current = current.filter(status=EntryStatus.LISTED)
    else:
        current = current.filter(status__in=OPEN_SCENARIO_STATUSES)
    docs = {doc.id: doc for doc in read(current)}
    rows = np.array([row for row in rows if all_ids[row] in docs], dtype=np.int64)
    fitted, later = rows[rows < len(ids)], rows[rows >= len(ids)] - len(ids)
    order = np.argsort(np.concatenate([np.flatnonzero(rows < len(ids)), np.flatnonzero(rows >= len(ids))]))
    chosen_vectors = sparse.vstack([vectors[fitted], fresh_vectors[later]], format="csr")[order]
    chosen_embedded = np.vstack([stored[fitted], fresh_embedded[later]])[order]
    return [docs[all_ids[row]] for row in rows], chosen_vectors, chosen_embedded, relevance[rows]


def _rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The rows of `ids` (sorted, as a model's ids are: documents are read in id order) holding one
    of `wanted`, by binary search: np.isin compared each of 100,000 ids with every wanted one."""
    if not len(ids):
        return np.zeros(0, np.int64)
    at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return at[ids[at] == wanted]


def _saved_since_fit(model, kind: str, manager) -> list[tuple]:
    """A key per document of the side saved since the fit, by id: (id, updated_at), and for a
    scenario the count and last id of its needs (the scenario service writes them with the
    scenario's save, replacing them all, so a changed list always changes the key)."""
    # Unordered: the models' default order would make SQLite walk another index instead of updated_at's.
    since_fit = manager.filter(updated_at__gte=model.fitted_at).order_by()
    if kind == "entry":
        return sorted(since_fit.values_list("pk", "updated_at"))
    since_fit = since_fit.annotate(need_count=Count("need_items"), last_need=Max("need_items__pk"))
    return sorted(since_fit.values_list("pk", "updated_at", "need_count", "last_need"))


# (model version, kind, the document's key from _saved_since_fit) → (vector, embedded, hub), per worker
_fresh_rows: dict[tuple, tuple] = {}


def _vectorised(model, kind: str, changed: list[tuple], manager, read):
    """(ids, vectors, embedded, hub levels — for entries) of the documents saved since the fit,
    in id order. Kept per worker by the document's key: every rematch until the next rebuild
    compares with them, and reading and tokenising them again each time would cost the most (a
    rematch read every document saved since the fit, with its needs or credentials, to compare
    their digests)."""
    missing = [key for key in changed if (model.version, kind, key) not in _fresh_rows]
    if missing:
        if len(_fresh_rows) > 20_000:
            _fresh_rows.clear()
        by_id = {key[0]: key for key in missing}
        docs = read(manager.filter(pk__in=list(by_id)))
        vectors = model.text.vectors([document_tokens(doc.primary, doc.rest) for doc in docs])
        embedded = model.text.embed(vectors)
        hubs = _hubs(model, vectors, embedded) if kind == "entry" else np.zeros(len(docs))
        for row, doc in enumerate(docs):
            _fresh_rows[(model.version, kind, by_id[doc.id])] = (vectors[row], embedded[row], hubs[row])
    # A document deleted since the query above has no row: it is left out.
    keys = [key for key in changed if (model.version, kind, key) in _fresh_rows]
    rows = [_fresh_rows[(model.version, kind, key)] for key in keys]
    ids = np.array([key[0] for key in keys], dtype=np.int64)
    if not rows:
        empty = model.text.vectors([])
        return ids, empty, model.text.embed(empty), np.zeros(0)
    vectors = sparse.vstack([row[0] for row in rows], format="csr")
    return ids, vectors, np.vstack([row[1] for row in rows]), np.array([row[2] for row in rows])


def _hubs(model, vectors, embedded) -> np.ndarray:
    """Hub levels of entries the model has not seen: the mean of their best similarities to scenarios."""
    if not vectors.shape[0] or not len(model.scenario_ids):
        return np.zeros(vectors.shape[0])
    against = similarity.all_similarities(vectors, embedded, model.scenario_vectors, model.scenario_embedded)
    return -np.sort(-against, axis=1)[:, : similarity.HUB_NEIGHBOURS].mean(axis=1)


def _explained(model, scenarios, entries, pairs, needs, e_vectors, e_embedded) -> list[Match]:
    """Every pair of a rematch's small pool scored and explained (unsaved rows)."""
    scored = score_pairs(scenarios, entries, *pairs, needs, e_vectors, e_embedded)
    every = np.arange(len(scored.score))
    return match_rows(model.version, scored, every, signatures(scored, every, scenarios, entries), scenarios, entries)


def _scored_for_scenario(model, scenario_id: int, pool: int) -> list[Match]:
    """The scenario's `pool` most relevant eligible entries, scored, best first."""
    found = scenario_docs(_scenarios().filter(pk=scenario_id))
    if not found or not found[0].is_open:
        return []
    scenario = found[0]
    allowed = None
    if scenario.required_credential or scenario.local_only:  # narrow filters: read the few that pass first
        query = CapabilityEntry.objects.filter(status=EntryStatus.LISTED)
        if scenario.required_credential:
            query = query.filter(credentials__kind=scenario.required_credential)
        if scenario.local_only:
            query = query.filter(company__district_id=scenario.district_id)
        allowed = set(query.values_list("pk", flat=True))
    vector = model.text.vectors([document_tokens(scenario.primary, scenario.rest)])
    entries, e_vectors, e_embedded, relevance = _most_relevant(
        model, "entry", vector, model.text.embed(vector), pool, allowed
    )
    keep = np.array([passes_hard_filters(scenario, entry) for entry in entries], dtype=bool)
    entries = [entry for entry, kept in zip(entries, keep) if kept]
    pairs = (np.zeros(len(entries), np.int64), np.arange(len(entries)), relevance[keep])
    needs = NeedVectors(model.text, [scenario])
    scored = _explained(model, [scenario], entries, pairs, needs, e_vectors[keep], e_embedded[keep])
    return sorted(scored, key=lambda match: (-match.score, match.entry_id))


def ranked_entries(scenario_id: int, limit: int = 50) -> list[Match]:
    """A scenario's eligible suppliers best first (unsaved rows), beyond those stored: for
    evaluation and tuning."""
    model = store.active_model()
    if model is None:
        return []
    # Up to 20, the pool a rebuild and a rematch score (so the first 20 are what they store).
    return _scored_for_scenario(model, scenario_id, max(2 * limit, SCORED_PER_SCENARIO))[:limit]


def _entering_their_best(rows: list[Match], side: str, limit: int) -> list[Match]:
    """The rows that enter the other side's own best `limit` (what it has stays until the next rebuild)."""
    column = f"{side}_id"
    floors: dict[int, list[float]] = {}
    ids = {getattr(row, column) for row in rows}
    for pk, score in Match.objects.filter(**{f"{column}__in": ids}).values_list(column, "score"):
        floors.setdefault(pk, []).append(score)
    return [
        row
        for row in rows
        if len(floors.get(getattr(row, column), [])) < limit or row.score > min(floors[getattr(row, column)])
    ]


def _store(scored: list[Match], own_limit: int, other: str, other_limit: int) -> int:
    kept = {id(row) for row in scored[:own_limit]}
    kept |= {id(row) for row in _entering_their_best(scored, other, other_limit)}
    rows = [row for row in scored if id(row) in kept]
    store.insert(rows, replace=True)
    return len(rows)


@transaction.atomic
def rematch_scenario(scenario_id: int) -> int:
    """Recompute one scenario's suppliers with the active model; returns the matches stored."""
    model = store.active_model()
    if model is None:
        return 0
    store.lock_matches(exclusive=False)
    Match.objects.filter(scenario_id=scenario_id).delete()
    # Its matches are in many companies' 推荐场景; the scenario's save made them all stale already.
    recommendations_changed_everywhere()
    return _store(_scored_for_scenario(model, scenario_id, SCORED_PER_SCENARIO), SCENARIO_SHOWS, "entry", ENTRY_SHOWS)


@transaction.atomic
def rematch_entry(entry_id: int) -> int:
    """Recompute one entry's scenarios with the active model; returns the matches stored."""
    model = store.active_model()
    if model is None:
        return 0
    store.lock_matches(exclusive=False)
    Match.objects.filter(entry_id=entry_id).delete()
    found = entry_docs(CapabilityEntry.objects.filter(pk=entry_id))
    if found:
        recommendations_changed(found[0].company_id)  # (a deleted entry's company: at its deletion)
    if not found or not found[0].is_listed:
        return 0
    entry = found[0]
    vector = model.text.vectors([document_tokens(entry.primary, entry.rest)])
    embedded = model.text.embed(vector)
    hub = _hubs(model, vector, embedded)[0]
    scenarios, s_vectors, s_embedded, relevance = _most_relevant(
        model, "scenario", vector, embedded, 4 * SCORED_PER_ENTRY
    )
    keep = [index for index, scenario in enumerate(scenarios) if passes_hard_filters(scenario, entry)][
        :SCORED_PER_ENTRY
    ]
    scenarios = [scenarios[index] for index in keep]
    pairs = (np.arange(len(keep)), np.zeros(len(keep), np.int64), relevance[keep] - similarity.HUB_DISCOUNT * hub)
    scored = _explained(model, scenarios, [entry], pairs, NeedVectors(model.text, scenarios), vector, embedded)
    scored.sort(key=lambda match: (-match.score, match.scenario_id))
    return _store(scored, ENTRY_SHOWS, "scenario", SCENARIO_SHOWS)
