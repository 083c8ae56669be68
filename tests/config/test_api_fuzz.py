"""schemathesis over the whole API, once for every role: no answer is a 5xx, every request that
breaks the OpenAPI schema is refused with a 4xx, a refused request writes nothing, and every 2xx
answer matches the schema it documents (body and content type).

The world is the demo (`seed_demo`): every role has its own objects in every state, so ids in paths
are drawn half the time from what the operator and the role can list (their own objects, and for
everyone but the operator foreign ones), the other half by schemathesis. Each request runs in a
savepoint rolled back afterwards, so every request meets the same world and a revoked token or a
deleted row does not spoil the next one. Positive (schema-valid) and negative (schema-breaking)
requests are generated for each operation; PORTAL_FUZZ_EXAMPLES (default 2) of each per operation
and role keeps the run to a few minutes on one core; raise it for a deeper search.
"""

import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from accounts.models import User
from accounts.services.tokens import api_token_issue
from tests.fuzzing import PortalWsgiApp, watch_writes

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "2"))
# Anonymous, then each demo login (README.md): `leader` is an official with the city-wide view.
ROLES = [None, "publisher", "company", "association", "judge", "operator", "official", "leader", "auditor", "sysadmin"]
if os.environ.get("PORTAL_FUZZ_ROLES"):  # e.g. "operator,judge" while chasing one role's failure
    ROLES = [None if name == "anonymous" else name for name in os.environ["PORTAL_FUZZ_ROLES"].split(",")]
PATH_PARAMETER = re.compile(r"\{(\w+)\}")
NOTES = {"title", "description", "example"}


@dataclass
class Tally:
    operations: int = 0
    calls: int = 0
    by_class: Counter = field(default_factory=Counter)
    negatives: Counter = field(default_factory=Counter)
    evidence: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)
    lenient: Counter = field(default_factory=Counter)
    off_schema: Counter = field(default_factory=Counter)

    def problem(self, kind: str, role: str, case, detail: str) -> None:
        # One report per kind of problem, operation and role: the first example says enough.
        key = (kind, case.operation.label, role)
        if key in self.seen:
            return
        self.seen.add(key)
        curl = case.as_curl_command()
        self.problems.append(f"[{kind}] {role} {case.operation.label}\n  {curl[:600]}\n  {detail[:1500]}")

    def summary(self, roles: int, seconds: float) -> str:
        classes = ", ".join(f"{name}: {self.by_class[name]}" for name in ("2xx", "3xx", "4xx", "5xx"))
        return (
            f"API fuzz: {self.operations} operations × {roles} roles, {EXAMPLES} examples per operation, role "
            f"and mode; {self.calls} requests in {seconds:.0f} s ({classes}); negative requests "
            f"{sum(self.negatives.values())} ({dict(self.negatives)}); evidence left by refusals "
            f"{dict(self.evidence)}; {len(self.problems)} problems\n"
            f"negative query or form fields answered as if absent: {dict(self.lenient)}\n"
            f"2xx answers off the documented schema: {dict(self.off_schema)}"
        )


def load_schema():
    raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    # Any 4xx is a correct refusal of a request that breaks the schema (400, 404, 405, 413 …).
    config = schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": ["4XX"]}}})
    return schemathesis.openapi.from_dict(raw, config=config)


def auth_headers(role: str | None) -> dict[str, str]:
    if role is None:
        return {}
    _token, key = api_token_issue(actor=User.objects.get(username=role))
    return {"Authorization": f"Token {key}"}


def listed_values(schema, headers: dict[str, str]) -> dict[str, list]:
    """Path values a person can reach: for every list (/api/v1/<resource>/), the ids, codes or
    metrics of the first 200 items it shows them."""
    client = Client(headers=headers)
    values: dict[str, list] = {}
    for path in schema.raw_schema["paths"]:
        if PATH_PARAMETER.search(path) or "get" not in schema.raw_schema["paths"][path]:
            continue
        response = client.get(path, {"page_size": 200})
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("application/json"):
            continue
        body = response.json()
        items = body.get("results", []) if isinstance(body, dict) else body
        for name in ("id", "code", "metric"):
            found = [item[name] for item in items if isinstance(item, dict) and name in item]
            if found:
                values[f"{path}{{{name}}}"] = found
    return values


def reachable_values(operation, known: dict[str, list]) -> tuple[str, list] | None:
    """For an operation's path parameter, its name and the known values of the resource it addresses."""
    names = PATH_PARAMETER.findall(operation.path)
    if len(names) != 1:
        return None
    values = known.get(f"{operation.path.split('{', 1)[0]}{{{names[0]}}}", [])
    return (names[0], sorted(set(values), key=str)) if values else None


def generated_cases(operation, mode) -> list:
    """EXAMPLES requests for the operation, made once and sent as every role: generating them costs
    more than sending them. Empty when nothing of the operation can break its schema."""
    cases = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=os.environ.get("CI") == "true",
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def collect(case):
        cases.append(case)

    try:
        collect()
    except Unsatisfiable:
        return []
    return cases


def as_role(case, number: int, known: dict[str, list]):
    """The case to send as a role: every other one addresses an object the role or the operator can
    list (unless the id itself is what breaks the schema), the rest keep schemathesis' id."""
    reachable = reachable_values(case.operation, known)
    case = case.derive(keep_auth=True)
    if reachable and number % 2 == 0 and not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
        name, values = reachable
        case.path_parameters[name] = values[number // 2 % len(values)]
    return case


def can_break_schema(operation) -> bool:
    """Whether a request to the operation can break its schema at all: not when it takes no body
    and its parameters are free text (schemathesis would search for a negative case in vain)."""
    if operation.body:
        return True
    for parameter in operation.iter_parameters():
        schema = {key: value for key, value in parameter.definition.get("schema", {}).items() if key not in NOTES}
        if schema != {"type": "string"}:
            return True
    return False


def lenient_by_convention(case) -> bool:
    """A schema-breaking request that may be answered as if the bad part were absent: a filter or
    page parameter in the query string (django-filter reads an empty or unknown value as no
    filter — the pages' filter forms share the FilterSets) or a field of an HTML form body (DRF
    reads a blank form field as one left out). A bad id in the path or a bad JSON body never is."""
    meta = case.meta
    if meta.is_negative_at(ParameterLocation.PATH) or meta.is_negative_at(ParameterLocation.HEADER):
        return False
    return not meta.is_negative_at(ParameterLocation.BODY) or case.media_type != "application/json"


def check_answer(tally: Tally, role: str, case, response, writes, app: PortalWsgiApp) -> None:
    status = response.status_code
    tally.by_class[f"{status // 100}xx"] += 1
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if negative:
        tally.negatives[status] += 1
    if negative or 400 <= status < 500:
        tally.evidence.update(writes.evidence)
    accepted_negative = False
    if status >= 500 or app.errors:
        tally.problem("5xx", role, case, app.errors[-1] if app.errors else response.text)
    elif negative:
        try:
            case.validate_response(response, checks=[negative_data_rejection])
        except FailureGroup as failures:
            if lenient_by_convention(case):
                tally.lenient[case.operation.label] += 1
            else:
                accepted_negative = True
                tally.problem("negative request accepted", role, case, f"{status} {failures}")
    elif 200 <= status < 300:
        try:
            case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
        except FailureGroup as failures:
            # The schema is the contract clients are generated from: a 2xx off it is a failure.
            tally.off_schema[case.operation.label] += 1
            tally.problem("2xx off the schema", role, case, f"{status} {failures}")
    if writes and (accepted_negative or 400 <= status < 500):
        tally.problem("refusal wrote rows", role, case, f"{status} {writes}")


def send(tally: Tally, app: PortalWsgiApp, role: str | None, case, headers: dict[str, str]) -> None:
    """One request in a savepoint rolled back afterwards, and what its answer says."""
    app.errors.clear()
    with transaction.atomic():
        with watch_writes() as writes:
            response = case.call(app=app, headers=headers)
        transaction.set_rollback(True)
    tally.calls += 1
    check_answer(tally, role or "anonymous", case, response, writes, app)


def test_every_operation_for_every_role_answers_without_5xx_and_refusals_write_nothing():
    started = time.monotonic()
    call_command("seed_demo", verbosity=0)
    print(f"seeded in {time.monotonic() - started:.0f} s")
    schema = load_schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    app = PortalWsgiApp()
    tally = Tally(operations=len(operations))
    operator_values = listed_values(schema, auth_headers("operator"))
    cases = {
        (operation.label, mode): generated_cases(operation, mode)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if mode is GenerationMode.POSITIVE or can_break_schema(operation)
    }
    print(f"generated {sum(map(len, cases.values()))} requests at {time.monotonic() - started:.0f} s")
    try:
        for role in ROLES:
            headers = auth_headers(role)
            known = listed_values(schema, headers) if role else {}
            for path, values in operator_values.items():
                known[path] = known.get(path, []) + values
            for generated in cases.values():
                for number, case in enumerate(generated):
                    send(tally, app, role, as_role(case, number, known), headers)
            print(f"{role or 'anonymous'}: {tally.calls} requests at {time.monotonic() - started:.0f} s")
    finally:
        app.close()
    print("\n" + tally.summary(len(ROLES), time.monotonic() - started))
    assert not tally.problems, "\n\n".join(tally.problems)
