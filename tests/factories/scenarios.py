from datetime import date
from decimal import Decimal

import factory

from accounts.models import District
from scenarios.choices import ScenarioStatus
from scenarios.models import Domain, NeedItem, Scenario
from scenarios.services import refresh_search_text
from tests.factories.accounts import OrganisationFactory, UserFactory


def domain(code: str = "transport") -> Domain:
    """Domains come from the data migration; tests pick one by code."""
    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    return Domain.objects.get(code=code)


def district(code: str = "yinzhou") -> District:
    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    return District.objects.get(code=code)


def soe(**kwargs):
    return OrganisationFactory(kind="soe", name=kwargs.pop("name", "宁波市测试国资集团有限公司"), **kwargs)


def publisher_user(organisation=None, **kwargs):
    return UserFactory(organisation=organisation or soe(), roles=["publisher"], **kwargs)


class ScenarioFactory(factory.django.DjangoModelFactory):
    """A complete scenario (ready to submit). Pass status=… to place it anywhere in the workflow."""

    class Meta:
        model = Scenario
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试应用场景{n}")
    publisher = factory.LazyFunction(soe)
    created_by = factory.LazyAttribute(
        lambda scenario: UserFactory(organisation=scenario.publisher, roles=["publisher"])
    )
    domain = factory.LazyFunction(domain)
    need_description = "在建项目需要新技术支撑，期望提升运行效率。"
    track = "mature"
    stage = "under_construction"
    funding_level = "city"
    funding_share = "full"
    funding_amount = Decimal("2000000.00")
    district = factory.LazyFunction(district)
    start_date = date(2026, 1, 1)
    end_date = date(2027, 6, 30)
    contact_name = "王工"
    contact_phone = "0574-87180000"
    status = ScenarioStatus.DRAFT

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        names = extracted if extracted is not None else ["车牌识别"]
        NeedItem.objects.bulk_create(
            [NeedItem(scenario=self, name=name, sort_order=index) for index, name in enumerate(names)]
        )
        refresh_search_text(self, [{"name": name, "detail": ""} for name in names])
        if (
            self.status in ("published", "in_contest", "matched", "in_implementation", "demonstrated", "closed")
            and not self.published_at
        ):
            from django.utils import timezone

            self.published_at = timezone.now()
        self.save()
