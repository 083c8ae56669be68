"""core.compiled_queries: a read compiled once per process answers as the ORM would for every id,
and a query whose id does not reach its statement as a parameter is refused at once."""

import pytest
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from accounts.models import Organisation, User
from core.compiled_queries import compiled_read
from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BUILT = []


def _members_of(organisation_id: int, user_id: int) -> QuerySet[Organisation]:
    BUILT.append((organisation_id, user_id))
    members = User.objects.filter(organisation_id=OuterRef("pk")).exclude(pk=user_id).order_by().values("organisation")
    return Organisation.objects.filter(pk=organisation_id).annotate(
        others=Subquery(members.annotate(count=Count("pk")).values("count"))
    )


def _folded(organisation_id: int) -> QuerySet[Organisation]:
    # The id written into the SQL itself: compiled once, every call would read the first one's row.
    return Organisation.objects.filter(pk=RawSQL(f"{int(organisation_id)}", ()))


def test_a_compiled_read_answers_as_the_orm_for_every_id_and_is_built_once():
    first, second = OrganisationFactory(), OrganisationFactory()
    people = UserFactory.create_batch(3, organisation=first) + [UserFactory(organisation=second)]
    BUILT.clear()
    for organisation, person in ((first, people[0]), (second, people[3]), (first, people[3])):
        read = list(compiled_read(_members_of, organisation.pk, person.pk))
        orm = list(_members_of(organisation.pk, person.pk))
        assert [(row.pk, row.others) for row in read] == [(row.pk, row.others) for row in orm]
    compiled_builds = [built for built in BUILT if built[0] < 0]
    assert len(compiled_builds) == 2  # compiled once, and once more with other stand-ins to check it
    assert list(compiled_read(_members_of, -1, -1)) == []


def test_a_read_whose_id_is_written_into_its_sql_is_refused():
    OrganisationFactory()
    with pytest.raises(RuntimeError, match="do not all reach its statement"):
        compiled_read(_folded, 1)
