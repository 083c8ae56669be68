"""Steering pages: parse, authorise, call one service or selector, render.
One module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===
from .cockpit import cockpit, cockpit_drill  # noqa: E402, F401

# === Reports ===
