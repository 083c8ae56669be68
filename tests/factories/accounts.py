import factory

from accounts.choices import OrganisationKind, VerificationStatus
from accounts.models import District, Organisation, RoleAssignment, User
from accounts.services.roles import system_administrator_access
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character


def valid_credit_code(number: int, prefix: str = "91330212") -> str:
    """A distinct, valid 统一社会信用代码 for each number."""
    body = ""
    for _ in range(9):
        number, digit = divmod(number, 31)
        body = CREDIT_CODE_ALPHABET[digit] + body
    first = prefix + body
    return first + credit_code_check_character(first)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "yinzhou"
    name = "鄞州区"
    name_en = "Yinzhou"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"宁波测试科技有限公司{n}")
    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 1000))
    kind = OrganisationKind.COMPANY
    district = factory.SubFactory(DistrictFactory)
    verification_status = VerificationStatus.VERIFIED


class UserFactory(factory.django.DjangoModelFactory):
    """A person; `roles=["operator"]` gives roles (bypassing services, for test setup only)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-2026")
    is_active = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role)
            if role == "admin":  # what the role gives in the admin: is_staff and the group's permissions
                system_administrator_access(self, granted=True)
        self.roles_forget()


def government(**kwargs) -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.GOVERNMENT, name=kwargs.pop("name", "宁波市科学技术局"), **kwargs)


def operator_user(**kwargs) -> User:
    return UserFactory(organisation=government(), roles=["operator"], **kwargs)
