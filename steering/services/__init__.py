"""Every write of steering, one module per topic. Import from here:
`from steering.services import report_submit`."""

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Reports ===
