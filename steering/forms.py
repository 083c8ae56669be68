"""steering forms.py, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
