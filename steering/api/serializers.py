"""steering API serializers.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
