"""The nightly rebuild: refit the model on every open scenario and listed entry, search every
pair once, score and explain the pairs worth showing, and rewrite only the stored matches whose
signature changed — in one transaction with the switch to the new model, so a rebuild that dies
leaves the previous matches and model serving. Accept/decline answers belong to the pair
(MatchFeedback), so a rebuild never touches them."""

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from matching.engine import similarity, store
from matching.engine.documents import EntryDoc, ScenarioDoc, digest64, entry_docs, scenario_docs
from matching.engine.matches import NeedVectors, best_per_side, match_values, score_pairs, signatures
from matching.engine.model import TextModel
from matching.engine.scoring import ENTRY_SHOWS, SCENARIO_SHOWS, credential_bits
from matching.models import Match, MatchingModel
from matching.recommendation_rows import recommendations_changed_everywhere

# Pairs scored in full per side: twice what is shown, since the other parts can reorder the text's best.
SCORED_PER_SCENARIO = 2 * SCENARIO_SHOWS
SCORED_PER_ENTRY = 2 * ENTRY_SHOWS
WRITE_CHUNK = 50_000


class RebuildRunning(Exception):
    pass


def rebuild(report=None) -> MatchingModel:
    """Refit and rebuild every match; returns the new active model. Raises RebuildRunning when
    another rebuild holds the lock."""
    report = report or (lambda percent, message: None)
    if not store.take_rebuild_lock():
        raise RebuildRunning("another rebuild is running")
    try:
        # A rebuild that died (its worker killed) left a 'building' model that was never served.
        abandoned = list(MatchingModel.objects.filter(state="building").values_list("pk", flat=True))
        store.discard_files(abandoned)
        MatchingModel.objects.filter(pk__in=abandoned).update(state="failed")
        row = MatchingModel.objects.create(state="building")
        try:
            # The fitted model's files are written in a thread while the pairs are scored (numpy's
            # writes release the GIL). A failure waits for it. The token cache is loaded and saved
            # in line: beside the read and the fit, its Python held the GIL they wait for.
            with ThreadPoolExecutor(1) as files:
                return _rebuild(row, report, files)
        except BaseException:
            store.discard_files([row.pk])
            MatchingModel.objects.filter(pk=row.pk).update(state="failed")
            raise
    finally:
        store.release_rebuild_lock()


def tokenised(scenarios: list[ScenarioDoc], entries: list[EntryDoc], cache: store.TokenCache):
    """The token ids of the scenarios, the entries and every need phrase (in NeedVectors' order),
    from the cache, after what it lacks is tokenised in one go (on every core when it is much).
    Need phrases are cached like documents, by the phrase's digest: tokenising 40,000 phrases
    again took seconds of every rebuild."""
    need_digests = [(digest64("need", need), need) for doc in scenarios for need in doc.needs]
    cache.tokenise(
        [(doc.digest, doc.primary, doc.rest) for doc in (*scenarios, *entries)]
        + [(digest, "", need) for digest, need in need_digests]
    )
    return (
        [cache.ids(doc.digest) for doc in scenarios],
        [cache.ids(doc.digest) for doc in entries],
        [cache.ids(digest) for digest, _need in need_digests],
    )


def filters_of(scenarios: list[ScenarioDoc], entries: list[EntryDoc]) -> similarity.Filters:
    return similarity.Filters(
        required=np.array([credential_bits([doc.required_credential]) for doc in scenarios], dtype=np.int64),
        local_district=np.array([doc.district_id or 0 if doc.local_only else -1 for doc in scenarios], dtype=np.int64),
        held=np.array([credential_bits(doc.credentials) for doc in entries], dtype=np.int64),
        district=np.array([doc.district_id or -2 for doc in entries], dtype=np.int64),
    )


def contained_in(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Mask of the values found in pool: np.isin by a sort and a binary search (three times as fast
    on half a million signatures)."""
    if not len(pool):
        return np.zeros(len(values), dtype=bool)
    pool = np.sort(pool)
    return pool[np.minimum(np.searchsorted(pool, values), len(pool) - 1)] == values


def best_in_groups(groups: np.ndarray, values: np.ndarray, limit: int) -> np.ndarray:
    """Mask of each group's `limit` highest values (equal values: the earlier first), as
    np.lexsort((-values, groups)) ranks them. One sort of packed keys ranks each group by its
    values rounded to float32 (similarity.descending_in_rows); a value above its group's
    `limit`-th rounded one is in, one below is out, and only those rounded equal to it (a few per
    group) are ranked exactly — a lexsort of every pair took seconds."""
    keep = np.zeros(len(values), dtype=bool)
    if not len(values):
        return keep
    rounded = values.astype(np.float32)
    rows, ranked = similarity.descending_in_rows(groups, rounded)
    firsts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
    sizes = np.diff(np.append(firsts, len(rows)))
    kth = np.full(int(rows[-1]) + 1, np.inf, dtype=np.float32)
    kth[rows[firsts]] = ranked[firsts + np.minimum(limit, sizes) - 1]
    keep = rounded > kth[groups]
    room = limit - np.bincount(groups[keep], minlength=len(kth))
    tied = np.flatnonzero(rounded == kth[groups])
    order = tied[np.lexsort((-values[tied], groups[tied]))]
    rank = np.arange(len(order)) - np.searchsorted(groups[order], groups[order], side="left")
    keep[order[rank < room[groups[order]]]] = True
    return keep


def _rebuild(row: MatchingModel, report, files: ThreadPoolExecutor) -> MatchingModel:
    timings, started = {}, time.perf_counter()
    scenarios, entries = scenario_docs(), entry_docs()
    timings["read"] = time.perf_counter() - started
    report(5, f"{len(scenarios)} scenarios, {len(entries)} entries")

    mark = time.perf_counter()
    cache = store.TokenCache(store.matching_dir() / "tokens")
    scenario_tokens, entry_tokens, need_tokens = tokenised(scenarios, entries, cache)
    names = cache.names
    cache.save()
    timings["tokenise"] = time.perf_counter() - mark
    report(30, "tokenised")

    mark = time.perf_counter()
    text, vectors = TextModel.fit(scenario_tokens + entry_tokens, names)
    s_vectors, e_vectors = vectors[: len(scenarios)], vectors[len(scenarios) :]
    s_embedded, e_embedded = text.embed(s_vectors), text.embed(e_vectors)
    del scenario_tokens, entry_tokens, cache, vectors
    timings["fit"] = time.perf_counter() - mark

    mark = time.perf_counter()
    s_rows, e_rows, _proxy_hubs = similarity.candidate_pairs(
        s_vectors, s_embedded, e_vectors, e_embedded, filters_of(scenarios, entries)
    )
    timings["candidates"] = time.perf_counter() - mark
    exact = similarity.pair_similarity(s_rows, e_rows, s_vectors, s_embedded, e_vectors, e_embedded)
    hubs = similarity.hub_levels(e_rows, exact, len(entries))
    relevance = exact - similarity.HUB_DISCOUNT * hubs[e_rows]
    # Each side's pool: what a rematch of it would score (rematch.py), so both store the same.
    scenario_pool = best_in_groups(s_rows, relevance, SCORED_PER_SCENARIO)
    entry_pool = best_in_groups(e_rows, relevance, SCORED_PER_ENTRY)
    chosen = np.flatnonzero(scenario_pool | entry_pool)
    timings["search"] = time.perf_counter() - mark
    report(55, f"{len(chosen)} pairs to score")

    mark = time.perf_counter()
    fitted_at = timezone.now()  # before the files: a document saved meanwhile counts as changed
    fitted = store.FittedModel(
        version=row.pk,
        fitted_at=fitted_at,
        text=text,
        scenario_ids=np.array([doc.id for doc in scenarios], dtype=np.int64),
        scenario_vectors=s_vectors,
        scenario_embedded=s_embedded,
        entry_ids=np.array([doc.id for doc in entries], dtype=np.int64),
        entry_vectors=e_vectors,
        entry_embedded=e_embedded,
        entry_hubs=hubs.astype(np.float32),
    )
    model_saved = files.submit(fitted.save, store.model_stem(row.pk))
    needs = NeedVectors(text, scenarios, [[names[token] for token in ids.tolist()] for ids in need_tokens])
    scored = score_pairs(
        scenarios, entries, s_rows[chosen], e_rows[chosen], relevance[chosen], needs, e_vectors, e_embedded
    )
    kept = best_per_side(scored, scenario_pool[chosen], entry_pool[chosen])
    kept_signatures = signatures(scored, kept, scenarios, entries)
    timings["score"] = time.perf_counter() - mark
    report(75, f"{len(kept)} matches")

    model_saved.result()

    mark = time.perf_counter()
    with store.bulk_writing(), transaction.atomic():
        # The first statement writes, so SQLite takes its write lock before the rows are read.
        MatchingModel.objects.filter(pk=row.pk).update(fitted_at=fitted_at)
        store.lock_matches(exclusive=True)
        stored = store.stored_signatures()
        stored_signatures = np.fromiter(stored.keys(), dtype=np.int64, count=len(stored))
        is_new = ~contained_in(kept_signatures, stored_signatures)
        keep = set(kept_signatures[~is_new].tolist())
        stale = [pk for signature, pk in stored.items() if signature not in keep]
        store.delete(stale)
        new, new_signatures = kept[is_new], kept_signatures[is_new]

        def explained(chunk: slice) -> list[tuple]:
            return match_values(row.pk, scored, new[chunk], new_signatures[chunk], scenarios, entries)

        # Explained and written a chunk at a time (memory), the next chunk explained in a thread
        # while this one is inserted: explaining is Python and holds the GIL, SQLite releases it
        # while it inserts (its indexes, the foreign keys) — a statement of many rows at a time
        # (store.insert_values) — so the two run on two cores at once.
        with ThreadPoolExecutor(1) as explaining:
            ahead = explaining.submit(explained, slice(0, WRITE_CHUNK))
            for start in range(WRITE_CHUNK, len(new) + WRITE_CHUNK, WRITE_CHUNK):
                values = ahead.result()
                if start < len(new):
                    ahead = explaining.submit(explained, slice(start, start + WRITE_CHUNK))
                store.insert_values(values)
        recommendations_changed_everywhere()  # raw writes: no signal
        previous = list(MatchingModel.objects.select_for_update().filter(state="active").values_list("pk", flat=True))
        MatchingModel.objects.filter(pk__in=previous).update(state="superseded")
        timings["write"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        MatchingModel.objects.filter(pk=row.pk).update(
            state="active",
            path=store.model_stem(row.pk).name,
            scenarios=len(scenarios),
            entries=len(entries),
            pairs=len(kept),
            activated_at=timezone.now(),
            stats={
                "timings": {key: round(value, 3) for key, value in timings.items()},
                "vocabulary": len(text.vocabulary),
                "associations": len(text.components),
                "candidates": len(s_rows),
                "written": len(new),
                "deleted": len(stale),
                "unchanged": len(kept) - len(new),
            },
        )
    store.discard_files(previous)
    if connection.vendor == "postgresql" and len(new) + len(stale) > 50_000:
        with connection.cursor() as cursor:  # fresh statistics after a bulk change (autovacuum may be off)
            cursor.execute(f"ANALYZE {Match._meta.db_table}")
    report(100, f"{len(kept)} matches")
    row.refresh_from_db()
    return row
