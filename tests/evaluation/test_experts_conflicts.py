"""The bulk conflict computation of a round (evaluation.experts.subject_conflicted_pairs, on
contests.conflicts.stake_conflicted_pairs) finds exactly the pairs the one-pair rule
(subject_conflicts, on contests.conflicts.stake_conflicts) finds, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contests.models import JudgeProfile, JudgeRelationship
from evaluation.choices import SubjectRole
from evaluation.experts import expected_experts, subject_conflicted_pairs, subject_conflicts
from evaluation.models import RoundExpert
from tests.factories import evaluation as factories
from tests.factories.accounts import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _round_with_every_kind_of_stake():
    """Three subjects and seven experts: one of each conflict the contests' rules know, the lapsed
    relationships that no longer count, and one with none."""
    round_ = factories.evaluation_round()
    organisations = [OrganisationFactory() for _ in range(4)]
    subjects = [
        factories.subject(round_, title="对象一", organisations=[(organisations[0], SubjectRole.SUPPLIER)]),
        factories.subject(
            round_,
            title="对象二",
            organisations=[(organisations[1], SubjectRole.PUBLISHER), (organisations[2], SubjectRole.SUPPLIER)],
        ),
        factories.subject(round_, title="对象三", organisations=[(organisations[3], SubjectRole.RESPONSIBLE)]),
    ]
    long_ago = timezone.localdate().year - 10
    experts = {
        "same organisation": factories.expert(organisation=organisations[0]),
        "employer's credit code": factories.expert(),
        "shareholding long ago": factories.expert(),
        "recent collaboration": factories.expert(),
        "lapsed collaboration": factories.expert(),
        "lapsed employment": factories.expert(),
        "none": factories.expert(),
    }
    JudgeProfile.objects.create(
        user=experts["employer's credit code"], title="高工", affiliation_credit_code=organisations[2].credit_code
    )
    relationships = [
        ("shareholding long ago", 3, "shareholding", long_ago),
        ("recent collaboration", 1, "collaboration", None),
        ("lapsed collaboration", 0, "collaboration", long_ago),
        ("lapsed employment", 3, "employment", long_ago),
    ]
    for name, organisation, kind, ended in relationships:
        JudgeRelationship.objects.create(
            judge=experts[name], organisation=organisations[organisation], kind=kind, ended_year=ended
        )
    for expert in experts.values():
        RoundExpert.objects.create(round=round_, expert=expert, assigned_by=round_.opened_by)
    return round_, subjects, experts


def test_the_bulk_pairs_are_the_pairs_the_one_pair_rule_finds(django_assert_max_num_queries):
    round_, subjects, experts = _round_with_every_kind_of_stake()
    # the team, the subjects' organisations, their credit codes, the declared affiliations, the
    # declared relationships
    with django_assert_max_num_queries(5):
        pairs = subject_conflicted_pairs(round_)
    one_by_one = {
        (expert.pk, subject.pk)
        for expert in experts.values()
        for subject in subjects
        if subject_conflicts(expert, subject)
    }
    assert pairs == one_by_one
    names = {expert.pk: name for name, expert in experts.items()}
    titles = {subject.pk: subject.title for subject in subjects}
    assert sorted((names[expert], titles[subject]) for expert, subject in pairs) == [
        ("employer's credit code", "对象二"),
        ("recent collaboration", "对象二"),
        ("same organisation", "对象一"),
        ("shareholding long ago", "对象三"),
    ]


def test_the_count_of_queries_does_not_grow_with_the_team_or_the_subjects():
    counts = []
    for _ in range(2):
        round_, subjects, experts = _round_with_every_kind_of_stake()
        for index in range(len(counts) * 5):
            factories.subject(round_, title=f"更多{index}", organisations=[(OrganisationFactory(), "supplier")])
            RoundExpert.objects.create(round=round_, expert=factories.expert(), assigned_by=round_.opened_by)
        with CaptureQueriesContext(connection) as captured:
            subject_conflicted_pairs(round_)
            expected_experts(subjects[1])
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_experts_expected_on_a_subject_leave_out_the_conflicted_ones():
    round_, subjects, experts = _round_with_every_kind_of_stake()
    expected = {expert.pk for expert in expected_experts(subjects[1])}
    assert experts["employer's credit code"].pk not in expected and experts["recent collaboration"].pk not in expected
    assert experts["none"].pk in expected and experts["same organisation"].pk in expected
