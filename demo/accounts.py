"""Demo organisations and people (demo/data/accounts.json): districts, organisations of every kind,
one login per role (README.md lists them), and one colleague for each other publisher and company
that acts in the demo, so that every scenario, entry and consortium answer comes from its own staff.

Organisations and accounts are reference data, written directly as an administrator's set-up
script would (no service opens a government department or gives a demo login its known password);
roles are granted by the system administrator and organisations verified by the operator through
the accounts services, with their rules, audit records and notifications.
"""

import hashlib
from functools import cache

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts import services
from accounts.choices import OrganisationKind, Role
from accounts.models import District, Organisation, RoleAssignment, User
from accounts.reference_data import seed_districts
from accounts.services.roles import role_assign
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from demo.clock import at, programme_start
from demo.files import load

DATA = load("accounts.json")
# Every demo login's password. It meets the password policy (accounts.validators: ten characters
# or more, three classes) like anybody's.
DEMO_PASSWORD = "Demo@2026ok"
# Six-digit administrative division codes used inside credit codes.
DIVISION_CODES = DATA["division_codes"]
# (username, display name, role, organisation name or None, organisation admin?) — the README's logins.
DEMO_USERS = [
    (user["username"], user["display_name"], user["role"], user["organisation"], user["organisation_admin"])
    for user in DATA["logins"]
]
FLAGS = ("is_high_growth", "is_specialised", "is_high_tech", "is_sme")


def demo_credit_code(name: str, district_code: str, kind: str) -> str:
    """A deterministic, valid credit code for a demo organisation (the same on every run)."""
    prefix = {
        OrganisationKind.GOVERNMENT: "11",
        OrganisationKind.INSTITUTE: "12",
        OrganisationKind.ASSOCIATION: "51",
        OrganisationKind.INTERMEDIARY: "52",
    }.get(kind, "91")
    digest = hashlib.sha256(name.encode()).digest()
    body = "".join(CREDIT_CODE_ALPHABET[byte % 31] for byte in digest[:9])
    first = prefix + DIVISION_CODES[district_code] + body
    return first + credit_code_check_character(first)


def organisations_ensure(rows: list[dict], *, kind: str | None = None) -> list[Organisation]:
    """Record the organisations not there yet, awaiting verification as a new one would be.
    Returns those it recorded."""
    districts = {district.code: district for district in District.objects.all()}
    recorded = []
    for row in rows:
        row_kind = kind or row["kind"]
        organisation, created = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(row["name"], row["district"], row_kind),
            defaults={
                "name": row["name"],
                "kind": row_kind,
                "district": districts[row["district"]],
                **{flag: flag in row["flags"] for flag in FLAGS},
            },
        )
        if created:
            recorded.append(organisation)
    return recorded


def organisations_verify(organisations: list[Organisation]) -> None:
    """The operator verifies them (accounts service: audit record, members told)."""
    operator = login("operator")
    for organisation in organisations:
        services.organisation_verify(actor=operator, organisation=organisation)


@cache
def _demo_password_hash() -> str:
    """Hashed once: every demo account has the same password, and hashing it for each of them is
    most of the time the accounts take to load."""
    return make_password(DEMO_PASSWORD)


def person_ensure(
    *, username: str, display_name: str, organisation: Organisation | None, organisation_admin: bool = False
) -> User:
    """A demo account with the demo password (set once; the other fields are put back on every run)."""
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@demo.ningbo.example")
        user.password = _demo_password_hash()
    user.display_name = display_name
    user.organisation = organisation
    user.is_organisation_admin = organisation_admin
    user.is_active = True
    user.email_confirmed_at = user.email_confirmed_at or timezone.now()
    user.save()
    return user


def role_ensure(user: User, role: str) -> None:
    """Grant the role through the accounts service (三员分立 and the organisation's kind are checked)."""
    if not RoleAssignment.objects.filter(user=user, role=role).exists():
        services.role_grant(actor=User.objects.get(username="sysadmin"), user=user, role=role)


def login(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def member_with_role(organisation: Organisation, role: str) -> User:
    """The organisation's login holding the role (each acting organisation has one in the demo)."""
    return (
        User.objects.filter(organisation=organisation, role_assignments__role=role, is_active=True)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def seed(stdout=None) -> None:
    seed_districts(District)
    # The programme's organisations and people have been registered since it began; the ones still
    # awaiting verification registered now.
    with at(programme_start(timezone.now())):
        _register_the_programme()
    organisations_ensure([row for row in DATA["organisations"] if not row["verified"]])
    if stdout:
        stdout.write(
            f"机构与人员：{len(DATA['organisations'])} 家机构，{len(DEMO_USERS)} 个演示账号（密码 {DEMO_PASSWORD}），另有 {len(DATA['colleagues'])} 位各单位经办人。"
        )


def _register_the_programme() -> None:
    """The verified organisations, every demo person with their roles, and the verification."""
    recorded = organisations_ensure([row for row in DATA["organisations"] if row["verified"]])
    organisations = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(name__in=[row["name"] for row in DATA["organisations"]])
    }
    people = [*DATA["logins"], *DATA["colleagues"]]
    users = {
        person["username"]: person_ensure(
            username=person["username"],
            display_name=person["display_name"],
            organisation=organisations.get(person["organisation"]),
            organisation_admin=person.get("organisation_admin", False),
        )
        for person in people
    }
    # The first administrator is set up as `manage.py grant_system_administrator` would: there is
    # nobody yet to grant it (no superuser: the role's group holds the admin's model permissions).
    sysadmin = next(users[person["username"]] for person in people if person["role"] == Role.ADMIN)
    if not RoleAssignment.objects.filter(user=sysadmin, role=Role.ADMIN).exists():
        role_assign(actor=None, user=sysadmin, role=Role.ADMIN)
    for person in people:
        if person["role"] != Role.ADMIN:
            role_ensure(users[person["username"]], person["role"])
    organisations_verify(recorded)
