"""Matching between scenarios (their needs) and capability entries, both ways (DESIGN.md § Matching).

text.py      tokenisation: synonyms normalised, jieba words with a domain dictionary, and
             character 1–2-grams
vectors.py   the fitted model: TF-IDF over both token kinds, fused into one L2-normalised
             matrix per side, and its cache in each worker keyed by the model's version
scoring.py   hard filters, the weighted score (WEIGHTS, all in one place) and the explanation
search.py    the rebuild's candidate search: full, or warm (only the documents that changed)
kernels.py   the compiled loops (numba): the top-k search both ways, pair-wise dot products
engine.py    the full rebuild (only the matches whose signature changed are rewritten, in one
             transaction with the switch to the new model) and the rematch of one scenario
             or one entry
"""
