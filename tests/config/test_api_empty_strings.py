"""An empty string is never read as "none" by the JSON API. DRF reads "" as null for a nullable
related, decimal or boolean field (a convention of HTML forms, where an empty input is all a
browser can send); the OpenAPI schema documents null for "none", so in JSON "" is a bad value,
refused with a Chinese message like any other (the schemathesis sweep found `POST /api/v1/domains/`
storing `"parent": ""` as a top-level domain).

Generated: every write operation of the API (drf-spectacular's own walk of the router) and every
writable field of its request serializer, nested ones included — a new serializer or field is
covered the day it is added. Then the same over HTTP, for every role and every such field of the
operations that create without naming an object: a 400 naming the field, nothing stored."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField

from accounts.choices import OrganisationKind
from accounts.services.tokens import api_token_issue
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.fuzzing import watch_writes

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
WRITES = ("POST", "PUT", "PATCH")
ROLES = ["publisher", "company", "association", "judge", "operator", "official", "auditor", "sysadmin"]


def write_operations():
    """(method, path, request serializer instance) of every write operation of /api/v1/."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = []
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        if method not in WRITES or not path.startswith("/api/v1/"):
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        view.schema.get_operation(path, path_regex, "^/api/v1/", method, generator.registry)
        requested = view.schema.get_request_serializer()
        for serializer in requested.values() if isinstance(requested, dict) else [requested]:
            if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
                serializer = serializer()
            if isinstance(serializer, serializers.BaseSerializer):
                found.append((method, path, serializer))
    return found


def writable_fields(serializer, prefix=""):
    """(dotted name, field) of every field a request may set, through nested serializers and lists."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only or isinstance(field, serializers.HiddenField):
            continue
        yield f"{prefix}{name}", field
        child = field.child if isinstance(field, (serializers.ListSerializer, serializers.ListField)) else field
        if isinstance(child, serializers.Serializer):
            yield from writable_fields(child, f"{prefix}{name}.")


OPERATIONS = write_operations()
FIELDS = sorted(
    {
        f"{type(serializer).__name__}.{name}": field
        for _method, _path, serializer in OPERATIONS
        for name, field in writable_fields(serializer)
    }.items()
)


def test_the_walk_finds_the_api_write_operations_and_their_fields():
    labels = {label for label, _field in FIELDS}
    assert len(OPERATIONS) > 60
    assert {"DomainSerializer.parent", "ScenarioWriteSerializer.zone", "EntryWriteSerializer.industry"} <= labels


@pytest.mark.parametrize(("label", "field"), FIELDS, ids=[label for label, _field in FIELDS])
def test_no_writable_field_reads_an_empty_string_as_null(label, field):
    """ "" is refused with a Chinese message, or kept as "" by a text field that allows blank —
    never turned into null (or anything else)."""
    try:
        value = field.run_validation("")
    except ValidationError as refusal:
        assert CHINESE.search(str(refusal.detail)), f"{label}: {refusal.detail}"
    except SkipField:
        pytest.fail(f'{label}: "" is read as a field left out')
    else:
        assert value == "", f'{label}: "" was read as {value!r}'


def nullable(field) -> bool:
    """A field whose schema says null, and not "" (a text field that allows blank takes "")."""
    return field.allow_null and not getattr(field, "allow_blank", False)


# Operations that create without naming an object, and their nullable top-level fields.
CREATIONS = sorted(
    {
        (path, name)
        for method, path, serializer in OPERATIONS
        if method == "POST" and "{" not in path
        for name, field in serializer.fields.items()
        if not field.read_only and nullable(field)
    }
)
KIND = {
    "publisher": OrganisationKind.SOE,
    "company": OrganisationKind.COMPANY,
    "association": OrganisationKind.ASSOCIATION,
    "operator": OrganisationKind.GOVERNMENT,
    "official": OrganisationKind.GOVERNMENT,
}


@pytest.fixture
def callers(reference_data) -> dict[str, Client]:
    """A signed-in API client (token) for each role, in an organisation of the kind the role needs."""
    clients = {}
    for role in ROLES:
        organisation = OrganisationFactory(kind=KIND[role]) if role in KIND else None
        user = UserFactory(organisation=organisation, roles=[role])
        _token, key = api_token_issue(actor=user)
        clients[role] = Client(headers={"Authorization": f"Token {key}"})
    return clients


def test_the_creations_with_nullable_fields_are_found():
    assert {("/api/v1/domains/", "parent"), ("/api/v1/scenarios/", "zone")} <= set(CREATIONS)


@pytest.mark.parametrize(("path", "name"), CREATIONS, ids=[f"{path}:{name}" for path, name in CREATIONS])
def test_an_empty_string_for_a_nullable_field_is_a_chinese_400_for_every_role_and_stores_nothing(callers, path, name):
    answers = {}
    for role, client in callers.items():
        with watch_writes() as writes:
            response = client.post(path, {name: ""}, content_type="application/json")
        answers[role] = response.status_code
        assert response.status_code < 500 and not 200 <= response.status_code < 300, (role, response.content)
        assert not writes, f"{role}: {writes}"
        if response.status_code == 400:
            said = response.json().get(name)
            assert said and CHINESE.search(str(said)), (role, response.json())
    # Someone gets as far as the serializer (the others are refused before it: 404).
    assert 400 in answers.values(), answers
