import os
import shutil
import tempfile

import pytest

from tests.factories.accounts import OrganisationFactory, UserFactory, government

TEST_PASSWORD = "Secret-pass-2026"


def services_required() -> bool:
    """In CI a missing service or browser fails the test instead of skipping it."""
    return os.environ.get("CI_REQUIRE_SERVICES") == "1"


def require(available: bool, what: str) -> None:
    if available:
        return
    if services_required():
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available")


@pytest.fixture(autouse=True)
def _media_root(settings):
    directory = tempfile.mkdtemp(prefix="portal-media-")
    settings.MEDIA_ROOT = directory
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def company():
    return OrganisationFactory()


@pytest.fixture
def company_member(company):
    return UserFactory(organisation=company, roles=["company"], is_organisation_admin=True)


@pytest.fixture
def operator():
    return UserFactory(organisation=government(), roles=["operator"])


@pytest.fixture
def auditor():
    return UserFactory(roles=["auditor"])


def login(client, user):
    client.force_login(user)
    return client
