"""get_<field>_display() from the label tables of core.choice_labels: what Django's would say."""

import pytest
from django.db.models import Model
from django.utils.translation import override

from capability_list.models import CapabilityEntry
from core import choice_labels
from scenarios.models import Scenario


def django_display(instance, name: str):
    return Model._get_FIELD_display(instance, instance._meta.get_field(name))


@pytest.mark.parametrize("model", [Scenario, CapabilityEntry])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_choice_reads_as_django_reads_it(model, language):
    fields = [field for field in model._meta.concrete_fields if field.choices]
    assert fields
    with override(language):
        for field in fields:
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                mine = getattr(instance, f"get_{field.name}_display")()
                assert mine == django_display(instance, field.name)
                assert type(mine) is str


def test_the_language_in_use_picks_the_table():
    scenario = Scenario(stage="planned")
    with override("zh-hans"):
        chinese = scenario.get_stage_display()
    with override("en"):
        english = scenario.get_stage_display()
        assert english == django_display(scenario, "stage")
    assert chinese != english
    assert ("scenarios.Scenario", "stage", "en") in {
        (model._meta.label, name, language) for model, name, language in choice_labels._TABLES
    }


def test_a_value_outside_the_choices_is_shown_as_django_shows_it():
    assert Scenario(stage="no-such-stage").get_stage_display() == "no-such-stage"
    assert Scenario(stage=None).get_stage_display() is None
    unhashable = Scenario(stage=["unhashable"])
    assert unhashable.get_stage_display() == django_display(unhashable, "stage")
