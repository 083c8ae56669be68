import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every scenario test may use domains and districts."""
