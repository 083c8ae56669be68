import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Every capability test may use districts, industries and strategic areas."""
