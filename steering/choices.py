from django.db import models  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

# === Targets ===

# === Programme tasks ===

# === SOE assessment ===

# === Cockpit ===

# === Reports ===
