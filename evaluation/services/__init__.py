"""Every write of evaluation, one module per topic. Import from here:
`from evaluation.services import round_open`."""

# === Frameworks ===


# === Rounds ===


# === Results and findings ===


# === Typical cases and replications ===


# === Tolerance register ===
