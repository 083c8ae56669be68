"""Factories for steering, one section per topic."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Reports ===
