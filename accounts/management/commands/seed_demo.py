"""python manage.py seed_demo — realistic Chinese demo data; safe to run again (it reuses what exists).

Each app adds its own part in its `demo_data` module; this command calls them in dependency order.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.demo_data import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DISTRICTS,
    ORGANISATIONS,
    PENDING,
    PENDING_ORGANISATIONS,
    VERIFIED,
    demo_credit_code,
)
from accounts.models import District, Organisation, RoleAssignment, User


class Command(BaseCommand):
    help = "载入演示数据：区县、各类机构和每个角色的演示账号（可重复运行）。"

    @transaction.atomic
    def handle(self, *args, **options):
        districts = self.seed_districts()
        organisations = self.seed_organisations(districts)
        self.seed_users(organisations)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(districts)} 个区域，{len(organisations)} 家机构，{len(DEMO_USERS)} 个演示账号（密码 {DEMO_PASSWORD}）。"))

    def seed_districts(self) -> dict[str, District]:
        districts = {}
        for order, (code, name, name_en) in enumerate(DISTRICTS, start=1):
            districts[code], _created = District.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})
        return districts

    def seed_organisations(self, districts) -> dict[str, Organisation]:
        organisations = {}
        now = timezone.now()
        for name, kind, district_code, flags in ORGANISATIONS:
            verified = name not in PENDING_ORGANISATIONS
            organisation, _created = Organisation.objects.get_or_create(
                credit_code=demo_credit_code(name, district_code, kind),
                defaults={
                    "name": name,
                    "kind": kind,
                    "district": districts[district_code],
                    "verification_status": VERIFIED if verified else PENDING,
                    "verified_at": now if verified else None,
                    **{flag: True for flag in flags},
                },
            )
            organisations[name] = organisation
        return organisations

    def seed_users(self, organisations) -> None:
        for username, display_name, role, organisation_name, is_admin in DEMO_USERS:
            user = User.objects.filter(username__iexact=username).first()
            if user is None:
                user = User(username=username, email=f"{username}@demo.ningbo.example")
                user.set_password(DEMO_PASSWORD)
            user.display_name = display_name
            user.organisation = organisations[organisation_name] if organisation_name else None
            user.is_organisation_admin = is_admin
            user.is_active = True
            user.is_staff = role == "admin"
            user.email_confirmed_at = user.email_confirmed_at or timezone.now()
            user.save()
            RoleAssignment.objects.get_or_create(user=user, role=role)
