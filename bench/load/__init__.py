"""The portal under load: data set, server pieces, journeys, driver and profiles (bench/load_portal.py)."""
