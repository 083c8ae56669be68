"""Matching between scenarios (their needs) and capability entries, both ways (DESIGN.md § Matching).

text.py        tokens: synonyms normalised (data/synonyms.txt), jieba words with a domain
               dictionary (data/terms.txt), character bigrams, and concept tokens from the domain
               vocabulary (data/concepts.txt); many documents at once over a process pool
documents.py   what matching reads of scenarios and entries, with a digest of each
model.py       the fit: sublinear TF-IDF, and term associations (a truncated SVD); .npz + JSON
similarity.py  similarity, the hub discount of generic entries, the candidate search, need coverage
scoring.py     hard filters, the score parts and their weights, 弱匹配, the explanation
matches.py     scored pairs → Match rows with their signatures; the weights and affinities in use
store.py       the model's files, the token cache, locks, reading and writing match rows
rebuild.py     the nightly rebuild (refit, one full search, rewrite the rows that changed)
rematch.py     one scenario or one entry after it is saved; a scenario's full ranking
refit.py       the nightly refit of the score weights on people's accept/decline answers
"""
