"""The computed and imported indicators of a subject: computed by the rules when scoring begins,
recomputed and imported by operators on the subject's figures page, confirmed by the experts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Framework, IndicatorFigure
from tests.factories.accounts import OrganisationFactory, UserFactory, operator_user
from tests.factories.evaluation import evaluation_round, subject
from tests.factories.scenarios import ScenarioFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def _round_in_self_assessment():
    """A round on the seeded 企业级 framework (it has computed and imported leaves), ready to score."""
    framework = Framework.objects.get(level="enterprise", version=1)
    round_ = evaluation_round(framework=framework, status="self_assessment", experts=3)
    item = subject(
        round_,
        scenario=ScenarioFactory(status="in_implementation"),
        organisations=[(OrganisationFactory(), "supplier")],
    )
    return round_, item


def test_scoring_begins_with_every_computed_indicator_computed():
    round_, item = _round_in_self_assessment()
    computed = round_.framework.indicators.filter(method="computed", children__isnull=True)
    assert computed.exists() and not IndicatorFigure.objects.exists()
    services.round_advance(actor=round_.opened_by, round=round_)
    assert set(IndicatorFigure.objects.filter(subject=item).values_list("indicator_id", flat=True)) == set(
        computed.values_list("pk", flat=True)
    )


def test_an_operator_enters_an_imported_figure_and_sees_its_points(client):
    round_, item = _round_in_self_assessment()
    services.round_advance(actor=round_.opened_by, round=round_)
    imported = round_.framework.indicators.filter(method="imported", children__isnull=True).first()
    client.force_login(round_.opened_by)
    url = reverse("evaluation:subject-figures", args=[item.pk])
    page = client.get(url).content.decode()
    assert imported.name in page and "按规则重新计算" in page
    half = imported.target / 2
    response = client.post(
        url,
        {"indicator": imported.pk, f"figure-{imported.pk}-value": str(half), f"figure-{imported.pk}-note": "2025 年报"},
    )
    assert response.status_code == 302
    figure = IndicatorFigure.objects.get(subject=item, indicator=imported)
    assert figure.value == half and figure.points == imported.max_points / 2
    assert f"{figure.points} / {imported.max_points}" in client.get(url).content.decode()


def test_a_negative_figure_is_refused_on_the_form_and_nothing_is_stored(client):
    round_, item = _round_in_self_assessment()
    imported = round_.framework.indicators.filter(method="imported", children__isnull=True).first()
    client.force_login(round_.opened_by)
    url = reverse("evaluation:subject-figures", args=[item.pk])
    response = client.post(url, {"indicator": imported.pk, f"figure-{imported.pk}-value": "-3"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not IndicatorFigure.objects.filter(indicator=imported).exists()


def test_an_expert_indicator_or_a_foreign_id_cannot_be_imported(client):
    round_, item = _round_in_self_assessment()
    expert_leaf = round_.framework.indicators.filter(method="expert", children__isnull=True).first()
    client.force_login(round_.opened_by)
    url = reverse("evaluation:subject-figures", args=[item.pk])
    for indicator in [expert_leaf.pk, 10**20, "abc"]:
        response = client.post(url, {"indicator": indicator, f"figure-{indicator}-value": "1"})
        assert response.status_code == 404
    assert not IndicatorFigure.objects.exists()


def test_the_figures_page_is_for_operators_only(client):
    _round, item = _round_in_self_assessment()
    url = reverse("evaluation:subject-figures", args=[item.pk])
    client.force_login(UserFactory(roles=["official"]))
    assert client.get(url).status_code == 404
    client.force_login(operator_user())
    assert client.get(reverse("evaluation:subject-figures", args=[item.pk + 1000])).status_code == 404


def test_the_figures_page_reads_in_fixed_queries(client, django_assert_num_queries):
    round_, item = _round_in_self_assessment()
    services.round_advance(actor=round_.opened_by, round=round_)
    client.force_login(round_.opened_by)
    url = reverse("evaluation:subject-figures", args=[item.pk])
    client.get(url)
    # session, user (with roles and unread count), the subject with its round and framework, its
    # organisations, the framework's indicators, the figures with who recorded them
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    assert Decimal("0") <= IndicatorFigure.objects.filter(subject=item).first().points
