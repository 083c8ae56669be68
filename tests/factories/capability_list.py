import factory

from capability_list.models import CapabilityEntry, Industry, StrategicArea
from core.search import folded
from tests.factories.accounts import OrganisationFactory, UserFactory


def industry(code: str = "39") -> Industry:
    return Industry.objects.get(code=code)


def strategic_area(code: str = "1") -> StrategicArea:
    return StrategicArea.objects.get(code=code)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityEntry

    company = factory.SubFactory(OrganisationFactory)
    submitted_by = factory.LazyAttribute(lambda entry: UserFactory(organisation=entry.company, roles=["company"]))
    name = factory.Sequence(lambda n: f"测试产品{n}")
    kind = "product"
    description = "面向城市治理的智能感知产品。"
    technology_fields = factory.LazyFunction(lambda: ["机器视觉"])
    industry = factory.LazyFunction(industry)
    strategic_area = factory.LazyFunction(strategic_area)
    maturity = "mass"
    status = "draft"
    search_text = factory.LazyAttribute(lambda entry: folded(f"{entry.name} {entry.description}"))
