"""Every read of steering used by pages, the API and other apps, scoped to the user.
One module per topic; everything is importable from here."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
