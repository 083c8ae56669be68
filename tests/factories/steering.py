"""Factories for steering, one section per topic."""

# === Targets ===

# === Programme tasks ===
import datetime  # noqa: E402

from accounts.choices import OrganisationKind  # noqa: E402
from steering.models import ProgrammeTask, ProgrammeUnit, ReportingCycle, UnitReport  # noqa: E402
from tests.factories.accounts import OrganisationFactory, UserFactory  # noqa: E402


def unit_reporter(short_name: str = "市国资委", **kwargs):
    """An official-role user of the unit's organisation (department staff); the seeded unit is
    linked to a government organisation named by its full name when it has none yet."""
    unit = ProgrammeUnit.objects.get(short_name=short_name)
    if unit.organisation_id is None:
        unit.organisation = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, name=unit.full_name)
        unit.save(update_fields=["organisation"])
    return UserFactory(organisation=unit.organisation, roles=["official"], **kwargs)


def city_leader(**kwargs):
    """An official in no programme unit (分管市领导): reads everything, read-only."""
    organisation = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, name="宁波市人民政府办公厅")
    return UserFactory(organisation=organisation, roles=["official"], **kwargs)


def open_cycle(*, due_on: datetime.date, opens_on: datetime.date | None = None, label: str = "2026年11月专项调度"):
    """An open ad hoc cycle with one report per task × unit (built directly, test setup only)."""
    from steering.services.programme import _create_reports

    cycle = ReportingCycle.objects.create(
        label=label, kind="ad_hoc", opens_on=opens_on or due_on - datetime.timedelta(days=24), due_on=due_on
    )
    _create_reports(cycle)
    return cycle


def report_of(cycle, *, task_code: int = 1, unit: str = "市国资委") -> UnitReport:
    return UnitReport.objects.get(cycle=cycle, task=ProgrammeTask.objects.get(code=task_code), unit__short_name=unit)


# === SOE assessment ===

# === Reports ===
